// Writes carrying zero values Go's JSON encoding omits (`hostNetwork: false`, `hostPort: 0`, `minReadySeconds: 0`,
// a status count at 0) behave as on upstream, where decoding into Go structs drops them first: they are not
// stored, re-sending the same manifest is no change (no 422 for an immutable pod field, no new generation), and
// no manager owns a field the object does not have.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { daemonSet, namespace, paths, pod } from "../fixtures/objects.js";
import { assertOk } from "../fixtures/status.js";
import { TestCluster } from "../support/test-cluster.js";

const NS = "zeros";

function zeroPod() {
  const p = pod("web");
  p.spec.hostNetwork = false;
  p.spec.containers[0].ports = [{ containerPort: 80, hostPort: 0 }];
  return p;
}

describe("zero values Go's JSON leaves out", () => {
  let c: TestCluster;
  before(async () => {
    c = await TestCluster.start();
    assertOk(await c.post(paths.namespaces(), namespace(NS)), 201);
  });
  after(() => c?.stop());

  it("a pod keeps no zero omitempty field, and replacing it with the same manifest is accepted", async () => {
    const created = await c.post(paths.pods(NS), zeroPod());
    assertOk(created, 201);
    assert.equal("hostNetwork" in created.body.spec, false);
    assert.deepEqual(created.body.spec.containers[0].ports, [{ containerPort: 80, protocol: "TCP" }]);
    // The pod as read back, with the zeros a client's manifest carries: the same pod to upstream.
    const resent = structuredClone(created.body);
    resent.spec.hostNetwork = false;
    resent.spec.containers[0].ports[0].hostPort = 0;
    const replaced = await c.put(paths.pod(NS, "web"), resent);
    assertOk(replaced);
    assert.equal(
      replaced.body.metadata.resourceVersion,
      created.body.metadata.resourceVersion,
      "nothing changed",
    );
  });

  it("re-sending a DaemonSet with minReadySeconds: 0 changes neither generation nor managed fields", async () => {
    const ds = daemonSet("agent");
    ds.spec.minReadySeconds = 0;
    ds.spec.template.spec.hostNetwork = false;
    const created = await c.post(paths.daemonSets(NS), ds);
    assertOk(created, 201);
    assert.equal("minReadySeconds" in created.body.spec, false);
    const again = await c.put(paths.daemonSet(NS, "agent"), {
      ...ds,
      metadata: { name: "agent", resourceVersion: created.body.metadata.resourceVersion },
    });
    assertOk(again);
    assert.equal(again.body.metadata.generation, 1);
    assert.equal(again.body.metadata.resourceVersion, created.body.metadata.resourceVersion);
  });

  it("a status write with counts at 0 stores only the counts Go always writes, and owns no dropped one", async () => {
    const current = await c.get(paths.daemonSet(NS, "agent"));
    const status = {
      currentNumberScheduled: 0,
      numberMisscheduled: 0,
      desiredNumberScheduled: 0,
      numberReady: 0,
      numberAvailable: 0,
      numberUnavailable: 0,
      updatedNumberScheduled: 0,
      observedGeneration: 1,
    };
    const written = await c.put(`${paths.daemonSet(NS, "agent")}/status`, { ...current.body, status });
    assertOk(written);
    assert.deepEqual(written.body.status, {
      currentNumberScheduled: 0,
      numberMisscheduled: 0,
      desiredNumberScheduled: 0,
      numberReady: 0,
      observedGeneration: 1,
    });
    const owned = written.body.metadata.managedFields.find((f: any) => f.subresource === "status");
    // The counts Go always writes were already 0 since the create: the write changed only observedGeneration.
    assert.deepEqual(Object.keys(owned.fieldsV1["f:status"]), ["f:observedGeneration"]);
  });
});
