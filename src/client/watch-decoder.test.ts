import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeFailureEvent, WatchDecoder } from "./watch-decoder.js";

const line = (type: string, name: string) =>
  `${JSON.stringify({ type, object: { kind: "ConfigMap", metadata: { name } } })}\n`;

describe("WatchDecoder", () => {
  it("decodes events split at every possible chunk boundary", () => {
    const text = line("ADDED", "a") + line("MODIFIED", "ü-ñ") + line("DELETED", "c");
    const bytes = Buffer.from(text);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const d = new WatchDecoder();
      const events = [...d.push(bytes.subarray(0, cut)), ...d.push(bytes.subarray(cut)), ...d.end()];
      assert.deepEqual(
        events.map((e) => [e.type, e.object.metadata.name]),
        [
          ["ADDED", "a"],
          ["MODIFIED", "ü-ñ"],
          ["DELETED", "c"],
        ],
        `cut at byte ${cut}`,
      );
    }
  });

  it("returns the last event when the stream ends without a newline, and skips blank lines", () => {
    const d = new WatchDecoder();
    assert.deepEqual(d.push("\n\n"), []);
    assert.deepEqual(d.push(line("BOOKMARK", "x").trim()), []);
    assert.deepEqual(
      d.end().map((e) => e.type),
      ["BOOKMARK"],
    );
  });

  const bad: [string, string][] = [
    ["not JSON", "{oops\n"],
    ["an unknown event type", '{"type":"CHANGED","object":{}}\n'],
    ["an event without an object", '{"type":"ADDED"}\n'],
  ];
  for (const [what, text] of bad) {
    it(`rejects ${what}`, () => {
      assert.throws(() => new WatchDecoder().push(text));
    });
  }

  it("reports an undecodable stream as an ERROR event carrying a 500 Status", () => {
    const e = decodeFailureEvent(new Error("boom"));
    assert.equal(e.type, "ERROR");
    assert.equal(e.object.code, 500);
    assert.match(e.object.message, /unable to decode an event from the watch stream: boom/);
  });
});
