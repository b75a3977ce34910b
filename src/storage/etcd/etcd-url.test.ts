// etcd storage URLs: endpoints, an optional key prefix, and what a mistyped one is told.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEtcdUrl } from "./etcd-url.js";

describe("parseEtcdUrl", () => {
  const cases: [string, string[], string][] = [
    ["etcd://127.0.0.1:2379", ["127.0.0.1:2379"], ""],
    [
      "etcd://10.0.0.1:2379,10.0.0.2:2379,etcd-3.internal:2379",
      ["10.0.0.1:2379", "10.0.0.2:2379", "etcd-3.internal:2379"],
      "",
    ],
    ["etcd://127.0.0.1:2379/team-a", ["127.0.0.1:2379"], "/team-a"],
    ["etcd://127.0.0.1:2379/a/b/", ["127.0.0.1:2379"], "/a/b"],
    ["etcd://[::1]:2379", ["[::1]:2379"], ""],
  ];
  for (const [url, hosts, prefix] of cases) {
    it(`reads ${url}`, () => assert.deepEqual(parseEtcdUrl(url), { hosts, prefix }));
  }

  const wrong: [string, RegExp][] = [
    ["etcd://", /"" is not host:port/],
    ["etcd://localhost", /"localhost" is not host:port; write etcd:\/\/127\.0\.0\.1:2379/],
    ["etcd://h:1,h", /"h" is not host:port/],
    ["etcd://h:99999", /"h:99999" is not host:port/],
    ["sqlite://x.db", /not an etcd:\/\/ URL/],
  ];
  for (const [url, message] of wrong) {
    it(`refuses ${url}`, () => assert.throws(() => parseEtcdUrl(url), message));
  }
});
