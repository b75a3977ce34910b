// Tests of the scale subresource finder: upstream's failures for kinds that are not served or have no scale.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Client } from "../../client/client.js";
import { scaleSubresourceFinder } from "./scale-finders.js";

/** No kind in the table has a scale subresource yet, so the finder must never reach the client. */
const unreachable = new Proxy({} as Client, {
  get: () => () => assert.fail("the client is not consulted"),
});

describe("scaleSubresourceFinder", () => {
  const find = scaleSubresourceFinder(unreachable);
  const cases: [string, { apiVersion: string; kind: string }, string][] = [
    [
      "a DaemonSet",
      { apiVersion: "apps/v1", kind: "DaemonSet" },
      "daemonsets.apps does not implement the scale subresource",
    ],
    ["a core kind", { apiVersion: "v1", kind: "Node" }, "nodes does not implement the scale subresource"],
    [
      "a kind that is not served",
      { apiVersion: "apps/v1", kind: "ReplicaSet" },
      'no matches for kind "ReplicaSet" in version "apps/v1"',
    ],
    ["a malformed apiVersion", { apiVersion: "a/b/c", kind: "X" }, "unexpected GroupVersion string: a/b/c"],
  ];
  for (const [name, ref, message] of cases) {
    it(name, async () => {
      await assert.rejects(find({ ...ref, name: "x", uid: "u" }, "default"), { message });
    });
  }
});
