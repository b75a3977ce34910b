// Which remote-command subprotocol a client's offer gets.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { negotiateChannelProtocol } from "./exec-channels.js";

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
