// `everynode controller --kubeconfig FILE`: runs everynode's DaemonSet controller as its own process against any
// Kubernetes API server: a real cluster whose kube-controller-manager runs with --controllers=*,-daemonset, or
// `everynode up --controllers=*,-daemonset-controller`. Replicas elect a leader on a Lease, as
// kube-controller-manager does, so only one of them manages DaemonSets at a time.
import type { Client } from "../client/client.js";
import { EventRecorder } from "../client/event-recorder.js";
import { fencedClient } from "../client/fenced-client.js";
import { clientFromKubeconfig } from "../client/kubeconfig.js";
import { DaemonSetController } from "../controllers/daemonset/controller.js";
import { InformerFactory } from "../informer/factory.js";
import { LeaderElector } from "../runtime/leader-election.js";
import { Manager } from "../runtime/manager.js";
import { childLogger, createLogger, type Logger } from "../util/log.js";
import { electionSettings, type LeaderElectionFlags } from "./leader-election-flags.js";

/** The Lease replicas of `everynode controller` are elected on. */
export const DAEMONSET_CONTROLLER_LEASE = "everynode-daemonset-controller";

export interface ControllerCommandOptions {
  kubeconfig?: string;
  context?: string;
  election: LeaderElectionFlags;
}

export async function runController(o: ControllerCommandOptions): Promise<void> {
  const logger = createLogger("controller");
  const client = clientFromKubeconfig(o.kubeconfig, o.context);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    if (!o.election.leaderElect) {
      process.stdout.write("everynode controller: managing DaemonSets (no leader election)\n");
      await runDaemonSetController(client, logger, stop.signal);
      return;
    }
    const settings = electionSettings(o.election);
    const lease = `${settings.namespace}/${settings.name}`;
    const elector = new LeaderElector({ client, ...settings, logger });
    process.stdout.write(`everynode controller: waiting for the lease ${lease} as ${elector.identity}\n`);
    const end = await elector.run(stop.signal, async (signal) => {
      process.stdout.write(`everynode controller: leading (lease ${lease}); managing DaemonSets\n`);
      const fenced = fencedClient(client, signal, () => "this controller no longer holds the lease");
      await runDaemonSetController(fenced, logger, signal);
    });
    if (end === "lost") {
      // As kube-controller-manager does: stop, and let whatever restarts the process compete again.
      process.stderr.write(
        `everynode controller: lost the lease ${lease}${elector.observedHolder ? ` to ${elector.observedHolder}` : ""}; exiting\n`,
      );
      process.exitCode = 1;
    } else if (end === "failed") {
      process.stderr.write(
        `everynode controller: the controller stopped by itself (see the log); lease ${lease} handed back; exiting\n`,
      );
      process.exitCode = 1;
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    client.close();
  }
}

/** Informers and the DaemonSet controller on `client`, until `signal` aborts. */
async function runDaemonSetController(client: Client, logger: Logger, signal: AbortSignal): Promise<void> {
  const informers = new InformerFactory(client, { logger: childLogger(logger, { component: "informer" }) });
  const controller = new DaemonSetController({
    client,
    informers,
    logger: childLogger(logger, { component: "daemonset-controller" }),
    recorder: new EventRecorder(client, { component: "daemonset-controller" }, Date.now, (err) =>
      logger.debug({ err }, "event not recorded"),
    ),
  });
  const manager = new Manager({ logger });
  manager.add({ name: "informers", start: (s) => informers.start(s) });
  manager.add({ name: "daemonset-controller", start: (s) => controller.start(s) });
  await manager.start(signal);
}
