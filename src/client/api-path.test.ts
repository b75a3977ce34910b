import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { queryString, resourcePath } from "./api-path.js";
import type { ResourceType } from "./client.js";

const pods: ResourceType = { group: "", version: "v1", resource: "pods", namespaced: true, kind: "Pod" };
const nodes: ResourceType = { group: "", version: "v1", resource: "nodes", namespaced: false, kind: "Node" };
const daemonSets: ResourceType = {
  group: "apps",
  version: "v1",
  resource: "daemonsets",
  namespaced: true,
  kind: "DaemonSet",
};

describe("resourcePath", () => {
  const cases: [string, string][] = [
    [resourcePath(pods, undefined), "/api/v1/pods"],
    [resourcePath(pods, "kube-system"), "/api/v1/namespaces/kube-system/pods"],
    [resourcePath(pods, "default", "web-1", "binding"), "/api/v1/namespaces/default/pods/web-1/binding"],
    [resourcePath(nodes, "ignored", "node-1", "status"), "/api/v1/nodes/node-1/status"],
    [resourcePath(daemonSets, "default", "agent"), "/apis/apps/v1/namespaces/default/daemonsets/agent"],
    [resourcePath(daemonSets, undefined), "/apis/apps/v1/daemonsets"],
    [resourcePath(pods, "default", "a b/c"), "/api/v1/namespaces/default/pods/a%20b%2Fc"],
  ];
  for (const [actual, expected] of cases) it(`builds ${expected}`, () => assert.equal(actual, expected));
});

describe("queryString", () => {
  it("keeps defined values and encodes them", () => {
    assert.equal(
      queryString({
        watch: true,
        labelSelector: "app in (a,b)",
        limit: 5,
        continue: undefined,
        fieldSelector: "",
      }),
      "?watch=true&labelSelector=app+in+%28a%2Cb%29&limit=5",
    );
  });

  it("is empty when nothing is set", () => assert.equal(queryString({ a: undefined }), ""));
});
