// Which remote-command subprotocol a client's offer gets, what the error stream carries for each protocol
// version, and which resize messages are terminal sizes.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type ChannelStatus,
  negotiateChannelProtocol,
  parseTerminalSize,
  statusPayload,
  type TerminalSize,
} from "./exec-channels.js";

describe("negotiateChannelProtocol", () => {
  const cases: [string[], string | undefined][] = [
    [["v5.channel.k8s.io"], "v5.channel.k8s.io"],
    [["v5.channel.k8s.io", "v4.channel.k8s.io"], "v5.channel.k8s.io"],
    [["v4.channel.k8s.io", "v5.channel.k8s.io"], "v4.channel.k8s.io"],
    [["bogus", "v4.base64.channel.k8s.io"], "v4.base64.channel.k8s.io"],
    [[], "channel.k8s.io"],
    [["bogus"], undefined],
  ];
  for (const [offered, chosen] of cases) {
    it(`[${offered.join(", ")}] → ${chosen}`, () =>
      assert.equal(negotiateChannelProtocol(offered)?.name, chosen));
  }
});

describe("statusPayload", () => {
  const failure: ChannelStatus = {
    status: "Failure",
    message: "command terminated with non-zero exit code: command terminated with exit code 2",
    reason: "NonZeroExitCode",
    details: { causes: [{ reason: "ExitCode", message: "2" }] },
  };
  const cases: [string, ChannelStatus, number, string | undefined][] = [
    ["v4 success", { status: "Success" }, 4, '{"metadata":{},"status":"Success"}'],
    ["v5 failure", failure, 5, JSON.stringify({ metadata: {}, ...failure })],
    ["v3 success: nothing", { status: "Success" }, 3, undefined],
    ["v2 failure: its message", failure, 2, failure.message],
    ["v1 failure without a message", { status: "Failure" }, 1, ""],
  ];
  for (const [name, status, version, payload] of cases) {
    it(name, () => assert.equal(statusPayload(status, version), payload));
  }
});

describe("parseTerminalSize", () => {
  const cases: [string, TerminalSize | undefined][] = [
    ['{"Width":80,"Height":24}', { width: 80, height: 24 }],
    ['{"Width":80}', undefined],
    ['{"Width":"80","Height":24}', undefined],
    ["not json", undefined],
    ["null", undefined],
  ];
  for (const [text, size] of cases) {
    it(text, () => assert.deepEqual(parseTerminalSize(text), size));
  }
});
