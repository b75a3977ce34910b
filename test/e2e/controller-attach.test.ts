// End-to-end: `everynode controller --kubeconfig` runs the DaemonSet controller as its own process against an API
// server whose own DaemonSet controller is off (`everynode up --controllers=*,-daemonset-controller`, as a real
// cluster's kube-controller-manager with --controllers=*,-daemonset). Replicas elect a leader on a Lease: one
// manages DaemonSets, the other waits, and takes over when the first stops (at once, since a clean stop hands the
// Lease back) or dies (once the Lease expires).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CliProcess } from "../support/everynode-process.js";
import { type E2eCluster, startCluster } from "./support/cluster.js";
import { podsOf, readyPods, rolledOut } from "./support/day2.js";
import { getJson } from "./support/get-json.js";
import { fixturePath } from "./support/manifests.js";
import { waitFor } from "./support/wait.js";

const LEASE = ["lease", "everynode-daemonset-controller", "-n", "kube-system"];
/**
 * Leader-election timings: a Lease of `lease`, renewed every half second, given up after 4 s without a renewal
 * (roomy enough that a loaded machine does not make a leader lose it by accident).
 */
const election = (lease: string) => [
  `--leader-elect-lease-duration=${lease}`,
  "--leader-elect-renew-deadline=4s",
  "--leader-elect-retry-period=500ms",
];

/** One `everynode controller` process and what it has printed. */
class ControllerProcess extends CliProcess {
  constructor(kubeconfig: string, args: string[]) {
    super(["controller", "--kubeconfig", kubeconfig, ...args]);
  }

  /** The identity it campaigns as, from its "waiting for the lease … as ID" line. */
  async identity(): Promise<string> {
    return (await this.waitForOutput(/ as (\S+)\n/, "its identity"))[1];
  }

  async leading(): Promise<void> {
    await this.waitForOutput(/leading \(lease kube-system\//, "that it leads");
  }
}

describe("everynode controller: the DaemonSet controller attached through a kubeconfig", () => {
  let cluster: E2eCluster;
  const controllers: ControllerProcess[] = [];
  const attach = (args: string[]) => {
    const c = new ControllerProcess(cluster.server.kubeconfig, args);
    controllers.push(c);
    return c;
  };

  before(async () => {
    cluster = await startCluster(["--controllers=*,-daemonset-controller"]);
  });
  after(async () => {
    await Promise.all(controllers.map((c) => c.stop("SIGKILL")));
    await cluster?.stop();
  });

  it("up --controllers=*,-daemonset-controller leaves DaemonSets alone", async () => {
    const k = cluster.kubectl;
    await k.ok(["apply", "-f", fixturePath("seed-000-fluentd.yaml")]);
    // Other controllers still run: the namespace's default ServiceAccount appears.
    await waitFor(
      "the default ServiceAccount",
      async () => (await k.run(["get", "sa", "default", "-n", "logging"])).code === 0,
    );
    // Nothing is to happen: give a running DaemonSet controller ample time to have shown itself.
    await new Promise((r) => setTimeout(r, 2000));
    const ds = await getJson(k, "ds", "fluentd", "-n", "logging");
    assert.equal(ds.status?.observedGeneration, undefined, "no controller has looked at it");
    assert.deepEqual(await podsOf(k, "logging", "name=fluentd"), []);
  });

  it("a controller attached with the cluster's kubeconfig takes the Lease and rolls the DaemonSet out", async () => {
    const k = cluster.kubectl;
    // A long Lease: the next test shows a clean stop hands it back rather than letting it run out.
    const first = attach(election("60s"));
    const id = await first.identity();
    await first.leading();
    assert.match(await rolledOut(k, "logging", "fluentd"), /successfully rolled out/);
    await readyPods(k, "logging", "name=fluentd", 2);
    const lease = await getJson(k, ...LEASE);
    assert.equal(lease.spec.holderIdentity, id);
    assert.equal(lease.spec.leaseDurationSeconds, 60);
    assert.match(
      await k.ok(["get", ...LEASE]),
      new RegExp(`^NAME +HOLDER +AGE\\neverynode-daemonset-controller +${id} +\\d+s\\n$`),
    );
  });

  it("a second replica waits; when the leader stops cleanly it takes over at once and manages the pods", async () => {
    const k = cluster.kubectl;
    const [first] = controllers;
    const second = attach(election("6s"));
    const id = await second.identity();
    await new Promise((r) => setTimeout(r, 1500));
    assert.ok(!second.output().includes("leading"), second.output());
    assert.equal(await first.stop("SIGTERM"), 0);
    // The first handed its 60 s Lease back, so the second leads within seconds.
    await second.leading();
    assert.equal((await getJson(k, ...LEASE)).spec.holderIdentity, id);
    const [pod] = await readyPods(k, "logging", "name=fluentd", 2);
    await k.ok(["delete", "pod", pod.metadata.name, "-n", "logging"]);
    const replaced = await readyPods(k, "logging", "name=fluentd", 2);
    assert.ok(!replaced.some((p) => p.metadata.name === pod.metadata.name));
  });

  it("when the leader dies, a waiting replica takes over once the Lease has expired", async () => {
    const k = cluster.kubectl;
    const leader = controllers[1];
    const standby = attach(election("6s"));
    const id = await standby.identity();
    assert.equal(await leader.stop("SIGKILL"), null, "killed: nothing handed back");
    // The dead leader's 6 s Lease runs out, then the standby takes it.
    await standby.leading();
    assert.equal((await getJson(k, ...LEASE)).spec.holderIdentity, id);
    const [pod] = await readyPods(k, "logging", "name=fluentd", 2);
    await k.ok(["delete", "pod", pod.metadata.name, "-n", "logging"]);
    await readyPods(k, "logging", "name=fluentd", 2);
  });

  it("up refuses a --controllers name no controller has", async () => {
    await assert.rejects(
      startCluster(["--controllers=*,-deployment"]),
      /--controllers: "-deployment" is not in the list of known controllers/,
    );
  });
});
