// End-to-end: a LimitRange through the real kubectl against `everynode up`. `kubectl describe namespace` says
// there is none at first; once created, `kubectl get limits` and `kubectl describe limitrange` show it as
// upstream prints it, `kubectl describe namespace` lists it under Resource Limits, a pod created without
// resources gets its defaults (and the annotation saying so), and a pod requesting less than the min is refused
// with upstream's 403 message.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Kubectl } from "../support/kubectl.js";
import { type E2eCluster, startCluster } from "./support/cluster.js";
import { squeeze } from "./support/describe.js";
import { getJson } from "./support/get-json.js";
import { type Manifest, namespace, toYaml } from "./support/manifests.js";
import { parseTable } from "./support/tables.js";

const NS = "limits-demo";

const limitRange: Manifest = {
  apiVersion: "v1",
  kind: "LimitRange",
  metadata: { name: "cpu-mem", namespace: NS },
  spec: {
    limits: [
      {
        type: "Container",
        min: { cpu: "100m" },
        max: { cpu: "2", memory: "1Gi" },
        default: { cpu: "500m", memory: "512Mi" },
        defaultRequest: { cpu: "250m", memory: "256Mi" },
      },
      { type: "Pod", max: { cpu: "4" } },
    ],
  },
};

const pod = (name: string, resources?: Manifest): Manifest => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: NS },
  spec: { containers: [{ name: "app", image: "nginx", ...(resources ? { resources } : {}) }] },
});

/** kubectl prints the rows of a LimitRange in map order, so they are compared as a set of squeezed lines. */
const ROWS = [
  "Container  cpu  100m  2  250m  500m  -",
  "Container  memory  -  1Gi  256Mi  512Mi  -",
  "Pod  cpu  -  4  -  -  -",
];
const HEADER = "Type  Resource  Min  Max  Default Request  Default Limit  Max Limit/Request Ratio";

describe("LimitRange with kubectl", () => {
  let cluster: E2eCluster;
  let k: Kubectl;

  before(async () => {
    cluster = await startCluster();
    k = cluster.kubectl;
    await k.ok(["apply", "-f", "-"], { stdin: toYaml([namespace(NS)]) });
  });
  after(() => cluster?.stop());

  it("describe namespace says there is no LimitRange yet", async () => {
    const text = await k.ok(["describe", "namespace", NS]);
    assert.match(text, /\n\nNo resource quota\.\n\nNo LimitRange resource\.\n$/);
  });

  it("creates a LimitRange and lists it with kubectl get limits", async () => {
    assert.equal(
      await k.ok(["create", "-f", "-"], { stdin: toYaml([limitRange]) }),
      "limitrange/cpu-mem created\n",
    );
    const table = parseTable(await k.ok(["get", "limits", "-n", NS]));
    assert.deepEqual(table.header, ["NAME", "CREATED AT"]);
    assert.equal(table.rows[0].NAME, "cpu-mem");
    assert.match(table.rows[0]["CREATED AT"], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it("describes the LimitRange with its defaults filled in", async () => {
    const lines = (await k.ok(["describe", "limitrange", "cpu-mem", "-n", NS]))
      .trimEnd()
      .split("\n")
      .map(squeeze);
    assert.deepEqual(lines.slice(0, 3), ["Name:  cpu-mem", `Namespace:  ${NS}`, HEADER]);
    assert.deepEqual(lines.slice(4).sort(), ROWS);
  });

  it("lists it under Resource Limits in kubectl describe namespace", async () => {
    const text = await k.ok(["describe", "namespace", NS]);
    const [, limits] = text.split("\nResource Limits\n");
    assert.ok(limits, text);
    const lines = limits.trimEnd().split("\n");
    assert.ok(
      lines.every((l) => l.startsWith(" ")),
      limits,
    );
    assert.equal(squeeze(lines[0]), HEADER);
    assert.deepEqual(lines.slice(2).map(squeeze).sort(), ROWS);
    assert.match(text, /\n\nNo resource quota\.\n\nResource Limits\n/);
  });

  it("gives a pod created without resources the defaults", async () => {
    assert.equal(
      await k.ok(["create", "-f", "-"], { stdin: toYaml([pod("defaulted")]) }),
      "pod/defaulted created\n",
    );
    const created = await getJson(k, "pod", "defaulted", "-n", NS);
    assert.deepEqual(created.spec.containers[0].resources, {
      limits: { cpu: "500m", memory: "512Mi" },
      requests: { cpu: "250m", memory: "256Mi" },
    });
    assert.equal(
      created.metadata.annotations["kubernetes.io/limit-ranger"],
      "LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app",
    );
  });

  it("refuses a pod requesting less than the min", async () => {
    const r = await k.run(["create", "-f", "-"], {
      stdin: toYaml([pod("small", { requests: { cpu: "50m" } })]),
    });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'Error from server (Forbidden): error when creating "STDIN": pods "small" is forbidden: ' +
        "minimum cpu usage per Container is 100m, but request is 50m\n",
    );
    const after = await k.run(["get", "pod", "small", "-n", NS]);
    assert.notEqual(after.code, 0);
  });
});
