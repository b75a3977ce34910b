// End-to-end: seed 000's ResourceQuota scenario with the real kubectl against `everynode up --nodes 11` (ten
// workers). `kubectl create quota` sets the seed's limits; the seed's fluentd DaemonSet, which requests nothing,
// gets no pod ("must specify requests.cpu"); with requests it gets five of its ten (`kubectl get ds`: DESIRED 10,
// CURRENT 5) and FailedCreate events say which quota refused the rest; `kubectl get quota` and `kubectl describe
// quota` show the usage; raising the quota lets the DaemonSet finish.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Kubectl } from "../support/kubectl.js";
import { type E2eCluster, startCluster } from "./support/cluster.js";
import { getJson } from "./support/get-json.js";
import { fixtureObject, type Manifest, toYaml } from "./support/manifests.js";
import { parseTable } from "./support/tables.js";
import { waitFor } from "./support/wait.js";

const NS = "logging";

/** The seed's fluentd DaemonSet, optionally with the requests a quota on requests.cpu/memory demands. */
function fluentd(requests?: Record<string, string>): Manifest {
  const ds = structuredClone(fixtureObject("seed-000-fluentd.yaml", "DaemonSet"));
  if (requests) ds.spec.template.spec.containers[0].resources = { requests };
  return ds;
}

describe("ResourceQuota with kubectl (seed 000)", () => {
  let cluster: E2eCluster;
  let k: Kubectl;

  const dsRow = async () => parseTable(await k.ok(["get", "ds", "fluentd", "-n", NS])).rows[0];
  const failedCreates = async (): Promise<string[]> =>
    (await getJson(k, "events", "-n", NS)).items
      .filter((e: Manifest) => e.reason === "FailedCreate" && e.involvedObject?.name === "fluentd")
      .map((e: Manifest) => `${e.type} ${e.message}`);
  const waitForDs = (current: string, timeoutMs = 30_000) =>
    waitFor(
      `kubectl get ds to show DESIRED 10 CURRENT ${current}`,
      async () => {
        const row = await dsRow();
        return row?.DESIRED === "10" && row.CURRENT === current && row.READY === current ? row : undefined;
      },
      { timeoutMs, intervalMs: 200 },
    );

  before(async () => {
    cluster = await startCluster(["--nodes", "11"]);
    k = cluster.kubectl;
  });
  after(() => cluster?.stop());

  it("creates the seed's quota with kubectl create quota", async () => {
    await k.ok(["create", "namespace", NS]);
    assert.equal(
      await k.ok([
        "create",
        "quota",
        "logging-quota",
        "-n",
        NS,
        "--hard=pods=5,requests.cpu=2,requests.memory=4Gi",
      ]),
      "resourcequota/logging-quota created\n",
    );
    const table = await waitFor("the quota controller to fill in the status", async () => {
      const t = parseTable(await k.ok(["get", "quota", "-n", NS]));
      return t.rows[0]?.REQUEST ? t : undefined;
    });
    assert.deepEqual(table.header, ["NAME", "AGE", "REQUEST", "LIMIT"]);
    assert.equal(table.rows[0].REQUEST, "pods: 0/5, requests.cpu: 0/2, requests.memory: 0/4Gi");
  });

  it("refuses the seed's DaemonSet pods for lacking requests, and says so in events", async () => {
    await k.ok(["apply", "-f", "-"], { stdin: toYaml([fluentd()]) });
    const events = await waitFor("a FailedCreate event", async () => {
      const found = await failedCreates();
      return found.length > 0 ? found : undefined;
    });
    assert.match(
      events[0],
      /^Warning Error creating: pods "fluentd-[a-z0-9]{5}" is forbidden: failed quota: logging-quota: must specify requests\.cpu for: fluentd; requests\.memory for: fluentd$/,
    );
    // The controller writes status after its creations fail, so the event can come before the counts.
    const row = await waitFor("the DaemonSet's status to count the nodes", async () => {
      const r = await dsRow();
      return r.DESIRED === "0" ? undefined : r;
    });
    assert.equal(row.DESIRED, "10");
    assert.equal(row.CURRENT, "0");
  });

  it("runs 5 of 10 pods once they request resources, with clear events", async () => {
    await k.ok(["apply", "-f", "-"], { stdin: toYaml([fluentd({ cpu: "100m", memory: "200Mi" })]) });
    await waitForDs("5");
    const pods = (await getJson(k, "pods", "-n", NS)).items;
    assert.equal(pods.length, 5);
    assert.ok(pods.every((p: Manifest) => p.status?.phase === "Running"));

    const exceeded = await waitFor("an exceeded-quota FailedCreate event", async () =>
      (await failedCreates()).find((m) => m.includes("exceeded quota")),
    );
    assert.match(
      exceeded,
      /^Warning Error creating: pods "fluentd-[a-z0-9]{5}" is forbidden: exceeded quota: logging-quota, requested: pods=1, used: pods=5, limited: pods=5$/,
    );
    // kubectl get events shows the refusal against the DaemonSet.
    const table = parseTable(
      await k.ok(["get", "events", "-n", NS, "--field-selector", "reason=FailedCreate"]),
    );
    assert.ok(
      table.rows.some(
        (r) =>
          r.TYPE === "Warning" &&
          r.OBJECT === "daemonset/fluentd" &&
          r.MESSAGE.includes("exceeded quota: logging-quota"),
      ),
      JSON.stringify(table.rows),
    );
  });

  it("shows the usage with kubectl get quota and kubectl describe quota", async () => {
    const row = await waitFor("the quota's usage", async () => {
      const r = parseTable(await k.ok(["get", "quota", "logging-quota", "-n", NS])).rows[0];
      return r?.REQUEST === "pods: 5/5, requests.cpu: 500m/2, requests.memory: 1000Mi/4Gi" ? r : undefined;
    });
    assert.equal(row.LIMIT, "");
    const described = await k.ok(["describe", "quota", "logging-quota", "-n", NS]);
    assert.match(described, /^Name:\s+logging-quota$/m);
    assert.match(described, /^Namespace:\s+logging$/m);
    assert.match(described, /^Resource\s+Used\s+Hard$/m);
    assert.match(described, /^pods\s+5\s+5$/m);
    assert.match(described, /^requests\.cpu\s+500m\s+2$/m);
    assert.match(described, /^requests\.memory\s+1000Mi\s+4Gi$/m);
  });

  it("finishes the DaemonSet once the quota is raised", async () => {
    await k.ok([
      "patch",
      "quota",
      "logging-quota",
      "-n",
      NS,
      "--type=merge",
      "-p",
      '{"spec":{"hard":{"pods":"10"}}}',
    ]);
    await waitForDs("10", 60_000);
    const row = await waitFor("the quota's usage to follow", async () => {
      const r = parseTable(await k.ok(["get", "quota", "logging-quota", "-n", NS])).rows[0];
      return r?.REQUEST.startsWith("pods: 10/10,") ? r : undefined;
    });
    assert.equal(row.REQUEST, "pods: 10/10, requests.cpu: 1/2, requests.memory: 2000Mi/4Gi");
  });
});
