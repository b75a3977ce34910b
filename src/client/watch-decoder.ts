// Decodes a watch stream as it arrives: newline-delimited JSON events ({"type","object"}) split across
// arbitrary chunk boundaries, including multi-byte characters cut in half.
import { StringDecoder } from "node:string_decoder";
import { ApiError } from "../api/errors.js";
import type { WatchEvent, WatchEventType } from "./client.js";

const EVENT_TYPES = new Set<WatchEventType>(["ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"]);

function parseEvent(line: string): WatchEvent {
  let value: any;
  try {
    value = JSON.parse(line);
  } catch (e) {
    throw new Error(`invalid JSON: ${(e as Error).message}`);
  }
  if (!value || typeof value !== "object" || !EVENT_TYPES.has(value.type)) {
    throw new Error(`not a watch event: ${line.slice(0, 200)}`);
  }
  if (!value.object || typeof value.object !== "object" || Array.isArray(value.object)) {
    throw new Error(`watch event without an object: ${line.slice(0, 200)}`);
  }
  return { type: value.type, object: value.object };
}

/**
 * The ERROR event a client reports for a stream it cannot decode (client-go's StreamWatcher does the same):
 * the consumer sees a 500 Status and the stream ends.
 */
export function decodeFailureEvent(err: unknown): WatchEvent {
  const status = ApiError.internal(
    `unable to decode an event from the watch stream: ${(err as Error).message ?? err}`,
  ).toStatus();
  return { type: "ERROR", object: status as unknown as WatchEvent["object"] };
}

export class WatchDecoder {
  private readonly text = new StringDecoder("utf8");
  private pending = "";

  /** Events completed by this chunk; throws on a line that is not a watch event. */
  push(chunk: Buffer | string): WatchEvent[] {
    const data = this.pending + (typeof chunk === "string" ? chunk : this.text.write(chunk));
    const events: WatchEvent[] = [];
    let start = 0;
    for (let nl = data.indexOf("\n"); nl >= 0; nl = data.indexOf("\n", start)) {
      const line = data.slice(start, nl).trim();
      start = nl + 1;
      if (line) events.push(parseEvent(line));
    }
    this.pending = data.slice(start);
    return events;
  }

  /** The last event when the stream ended without a final newline. */
  end(): WatchEvent[] {
    const line = (this.pending + this.text.end()).trim();
    this.pending = "";
    return line ? [parseEvent(line)] : [];
  }
}
