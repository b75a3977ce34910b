// `everynode fleet --kubeconfig FILE --nodes N`: runs simulated nodes as their own process against any
// Kubernetes API server (everynode's or a real cluster's), so node load can be split across processes and
// machines. It registers N Node objects (named <prefix>-<i>, labelled as its own) and simulates only those.
import { isAlreadyExists } from "../api/errors.js";
import type { KubeObject } from "../api/object.js";
import { NODES } from "../api/resources.js";
import { clientFromKubeconfig } from "../client/kubeconfig.js";
import { InformerFactory } from "../informer/factory.js";
import { NodeFleet } from "../nodes/index.js";
import { buildNode, FLEET_LABEL } from "../nodes/node-template.js";
import { Manager } from "../runtime/manager.js";
import { childLogger, createLogger } from "../util/log.js";
import { EventLoopLoad } from "../util/loop-load.js";

export interface FleetOptions {
  kubeconfig?: string;
  context?: string;
  nodes: number;
  namePrefix: string;
  /** Registrations in flight at once while creating the nodes. */
  concurrency?: number;
}

export async function runFleet(o: FleetOptions): Promise<void> {
  const logger = createLogger("fleet");
  const client = clientFromKubeconfig(o.kubeconfig, o.context);
  const fleetName = o.namePrefix;
  const names = Array.from({ length: o.nodes }, (_, i) => `${o.namePrefix}-${i + 1}`);
  const started = performance.now();
  let created = 0;
  let next = 0;
  const register = async () => {
    while (next < names.length) {
      const i = next++;
      const node: KubeObject = buildNode(names[i], i, Date.now());
      // Workers only: a fleet never brings a control-plane node.
      delete node.metadata.labels?.["node-role.kubernetes.io/control-plane"];
      delete node.spec.taints;
      // As a kubelet registers: the cluster's node IPAM gives the pod range, so fleets never share one with `up`'s
      // nodes or each other.
      delete node.spec.podCIDR;
      delete node.spec.podCIDRs;
      node.metadata.labels = { ...node.metadata.labels, [FLEET_LABEL]: fleetName };
      await client.create(NODES, undefined, node).catch((e) => {
        if (!isAlreadyExists(e)) throw e;
      });
      created++;
      if (created % 1000 === 0 || created === names.length) {
        process.stdout.write(`registered ${created}/${names.length} nodes\n`);
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency ?? 32 }, register));
  process.stdout.write(
    `fleet "${fleetName}": ${names.length} nodes registered in ${Math.round(performance.now() - started)} ms; simulating\n`,
  );

  const informers = new InformerFactory(client, { logger: childLogger(logger, { component: "informer" }) });
  const fleet = new NodeFleet({
    client,
    informers,
    logger: childLogger(logger, { component: "node-fleet" }),
    nodeFilter: (node) => node.metadata.labels?.[FLEET_LABEL] === fleetName,
    eventLoad: new EventLoopLoad(),
  });
  const manager = new Manager({ logger });
  manager.add({ name: "informers", start: (signal) => informers.start(signal) });
  manager.add(fleet);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  await manager.start(stop.signal);
  client.close();
}
