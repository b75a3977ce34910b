// `kubectl get <kind> -w --output-watch-events -o json`, read back as the sequence of watch events kubectl printed
// (pretty-printed JSON documents one after another), so a test can replay every change in order.
import type { Kubectl } from "../../support/kubectl.js";
import type { Manifest } from "./manifests.js";

export interface PrintedWatchEvent {
  type: string;
  object: Manifest;
}

/** Splits concatenated JSON documents; an incomplete last document stays in `rest`. */
export function splitJsonDocuments(text: string): { docs: string[]; rest: string } {
  const docs: string[] = [];
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === "\\") escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === "{") {
      if (depth === 0) start = i;
      depth++;
    } else if (ch === "}") {
      depth--;
      if (depth === 0) {
        docs.push(text.slice(start, i + 1));
        start = -1;
      }
    }
  }
  return { docs, rest: start >= 0 ? text.slice(start) : "" };
}

export class KubectlWatch {
  private constructor(private readonly run: ReturnType<Kubectl["start"]>) {}

  /** Starts `kubectl get <args> -w --output-watch-events -o json`. */
  static start(k: Kubectl, args: string[]): KubectlWatch {
    return new KubectlWatch(k.start(["get", ...args, "-w", "--output-watch-events", "-o", "json"]));
  }

  /** Every complete event printed so far. */
  events(): PrintedWatchEvent[] {
    return splitJsonDocuments(this.run.output()).docs.map((d) => JSON.parse(d) as PrintedWatchEvent);
  }

  /** Raw output, for failure messages. */
  output(): string {
    return this.run.output();
  }

  async stop(): Promise<PrintedWatchEvent[]> {
    await this.run.stop();
    return this.events();
  }
}

/**
 * Replays events into the live set of objects (by uid), calling `check` after each one past the first `settled`
 * (kubectl prints the initial list as one ADDED event per object, so the set is partial until then).
 */
export function replay(
  events: readonly PrintedWatchEvent[],
  settled: number,
  check: (objects: Manifest[]) => void,
): void {
  const live = new Map<string, Manifest>();
  events.forEach((e, i) => {
    const uid = e.object.metadata?.uid;
    if (e.type === "DELETED") live.delete(uid);
    else live.set(uid, e.object);
    if (i + 1 >= settled) check([...live.values()]);
  });
}
