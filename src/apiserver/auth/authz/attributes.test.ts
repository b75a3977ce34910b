import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseRequestPath } from "../../request-info.js";
import type { UserInfo } from "../user-info.js";
import { requestAttributes } from "./attributes.js";
import { forbiddenError } from "./forbidden.js";

const alice: UserInfo = { username: "alice", groups: [] };
const attrsOf = (method: string, path: string) => {
  const url = new URL(path, "http://x");
  const a = requestAttributes(alice, method, url, parseRequestPath(url.pathname));
  return {
    verb: a.verb,
    group: a.apiGroup,
    resource: a.resource,
    sub: a.subresource,
    name: a.name,
    ns: a.namespace,
    path: a.path,
  };
};

describe("requestAttributes", () => {
  const cases: [string, string, Partial<ReturnType<typeof attrsOf>>][] = [
    ["GET", "/api/v1/namespaces/default/pods", { verb: "list", resource: "pods", ns: "default", name: "" }],
    ["GET", "/api/v1/pods?watch=true", { verb: "watch", resource: "pods", ns: "" }],
    ["GET", "/api/v1/namespaces/default/pods/web", { verb: "get", name: "web" }],
    [
      "GET",
      "/api/v1/namespaces/default/pods?fieldSelector=metadata.name%3Dweb",
      { verb: "list", name: "web" },
    ],
    [
      "GET",
      "/api/v1/namespaces/default/pods/web/log",
      { verb: "get", resource: "pods", sub: "log", name: "web" },
    ],
    ["POST", "/api/v1/namespaces/default/pods", { verb: "create", name: "" }],
    ["POST", "/api/v1/namespaces/default/pods/web/eviction", { verb: "create", sub: "eviction" }],
    [
      "PUT",
      "/apis/apps/v1/namespaces/ns/daemonsets/ds/status",
      { verb: "update", group: "apps", sub: "status" },
    ],
    ["PATCH", "/api/v1/nodes/n1", { verb: "patch", resource: "nodes", name: "n1", ns: "" }],
    ["DELETE", "/api/v1/namespaces/default/configmaps/c", { verb: "delete", name: "c" }],
    ["DELETE", "/api/v1/namespaces/default/configmaps", { verb: "deletecollection" }],
    // A namespace object is authorized inside itself, as upstream does.
    [
      "GET",
      "/api/v1/namespaces/team-a",
      { verb: "get", resource: "namespaces", name: "team-a", ns: "team-a" },
    ],
    ["GET", "/api/v1/namespaces", { verb: "list", resource: "namespaces", ns: "" }],
    ["GET", "/apis/apps/v1", { verb: "get", resource: "", path: "/apis/apps/v1" }],
    ["GET", "/healthz", { verb: "get", path: "/healthz" }],
  ];
  for (const [method, path, want] of cases) {
    it(`${method} ${path}`, () => {
      const got = attrsOf(method, path);
      for (const [k, v] of Object.entries(want)) assert.equal(got[k as keyof typeof got], v, k);
    });
  }
});

describe("forbidden messages", () => {
  const message = (method: string, path: string) => {
    const url = new URL(path, "http://x");
    return forbiddenError(requestAttributes(alice, method, url, parseRequestPath(url.pathname))).toStatus();
  };
  it("namespaced, cluster-scoped, named, subresource and non-resource variants", () => {
    assert.equal(
      message("GET", "/apis/apps/v1/namespaces/default/daemonsets").message,
      'daemonsets.apps is forbidden: User "alice" cannot list resource "daemonsets" in API group "apps" in the namespace "default"',
    );
    assert.equal(
      message("GET", "/api/v1/nodes").message,
      'nodes is forbidden: User "alice" cannot list resource "nodes" in API group "" at the cluster scope',
    );
    const named = message("GET", "/api/v1/namespaces/default/pods/web/log");
    assert.equal(
      named.message,
      'pods "web" is forbidden: User "alice" cannot get resource "pods/log" in API group "" in the namespace "default"',
    );
    assert.deepEqual(named.details, { name: "web", kind: "pods" });
    assert.equal(named.code, 403);
    assert.equal(named.reason, "Forbidden");
    assert.equal(message("GET", "/metrics").message, 'forbidden: User "alice" cannot get path "/metrics"');
  });
});
