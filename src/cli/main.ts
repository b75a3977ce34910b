// The `everynode` command line: parses arguments and dispatches to subcommands.
import { Command, InvalidArgumentError } from "commander";
import { DAEMONSET_CONTROLLER_LEASE, runController } from "./controller.js";
import { renderDaemonSet } from "./create-daemonset.js";
import { runFleet } from "./fleet.js";
import { addLeaderElectionOptions, leaderElectionFlags } from "./leader-election-flags.js";
import { CONTROL_PLANE_LEASE, up } from "./up.js";

function positiveInt(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0)
      throw new InvalidArgumentError(`${name} must be a whole number ≥ 0, got "${v}"`);
    return n;
  };
}

const program = new Command()
  .name("everynode")
  .description("A Kubernetes-compatible DaemonSet control plane with simulated nodes")
  .version("0.1.0");

addLeaderElectionOptions(
  program
    .command("up")
    .description("run the control plane and the simulated node fleet in the foreground")
    .option(
      "--nodes <n>",
      "nodes of a new cluster (one control-plane node, the rest workers)",
      positiveInt("--nodes"),
      3,
    )
    .option("--port <port>", "port of the Kubernetes API", positiveInt("--port"), 6443)
    .option("--data-dir <dir>", "where the cluster's state and kubeconfig live", ".everynode")
    .option(
      "--store <url>",
      "storage URL (default sqlite://<data-dir>/state.db; etcd://host:port[,host:port][/prefix]; memory:// for a throwaway cluster)",
    )
    .option("--etcd-cafile <file>", "for an etcd:// store over TLS: the CA that signed etcd's certificate")
    .option(
      "--etcd-certfile <file>",
      "for an etcd that authenticates clients: everynode's client certificate",
    )
    .option("--etcd-keyfile <file>", "the key of --etcd-certfile")
    .option(
      "--node-monitor-grace-period <duration>",
      "how long a node may miss heartbeats before it is marked Unknown",
      "40s",
    )
    .option(
      "--controllers <list>",
      'controllers to run, as kube-controller-manager reads it: "*" all, "name" one, "-name" not that one ' +
        '(e.g. "*,-daemonset-controller" to run `everynode controller` against this cluster instead)',
      "*",
    ),
  CONTROL_PLANE_LEASE,
  "runs the controllers, the scheduler and the simulated nodes (with an etcd:// store shared by several)",
).action(async (opts) => {
  await up({
    election: leaderElectionFlags(opts),
    controllers: opts.controllers,
    nodes: opts.nodes,
    port: opts.port,
    dataDir: opts.dataDir,
    store: opts.store,
    etcdFiles: { ca: opts.etcdCafile, cert: opts.etcdCertfile, key: opts.etcdKeyfile },
    nodeMonitorGracePeriod: opts.nodeMonitorGracePeriod,
  });
});

program
  .command("fleet")
  .description("run simulated nodes against any Kubernetes API server (everynode's or a real cluster's)")
  .option(
    "--kubeconfig <file>",
    "kubeconfig of the cluster to join (default $KUBECONFIG, then ~/.kube/config)",
  )
  .option("--context <name>", "kubeconfig context to use")
  .option("--nodes <n>", "simulated nodes to register and run", positiveInt("--nodes"), 10)
  .option("--name-prefix <prefix>", "node names are <prefix>-1 … <prefix>-N", "sim")
  .action(async (opts) => {
    await runFleet({
      kubeconfig: opts.kubeconfig,
      context: opts.context,
      nodes: opts.nodes,
      namePrefix: opts.namePrefix,
    });
  });

addLeaderElectionOptions(
  program
    .command("controller")
    .description(
      "run everynode's DaemonSet controller against any Kubernetes API server (everynode's or a real cluster's, " +
        "whose own DaemonSet controller is turned off)",
    )
    .option(
      "--kubeconfig <file>",
      "kubeconfig of the cluster to manage (default $KUBECONFIG, then ~/.kube/config)",
    )
    .option("--context <name>", "kubeconfig context to use"),
  DAEMONSET_CONTROLLER_LEASE,
  "manages DaemonSets",
).action(async (opts) => {
  await runController({
    kubeconfig: opts.kubeconfig,
    context: opts.context,
    election: leaderElectionFlags(opts),
  });
});

program
  .command("create")
  .description("print manifests kubectl has no generator for")
  .command("daemonset <name>")
  .alias("ds")
  .description("print a DaemonSet manifest (pipe it to `kubectl apply -f -`)")
  .requiredOption("--image <image...>", "container image(s); one container per image")
  .option("-n, --namespace <namespace>", "namespace to put in the manifest")
  .option("--port <port>", "container port of the first container", positiveInt("--port"))
  .option("-o, --output <format>", "yaml or json", "yaml")
  .action((name: string, opts) => {
    if (opts.output !== "yaml" && opts.output !== "json") {
      throw new InvalidArgumentError(`--output must be yaml or json, got "${opts.output}"`);
    }
    process.stdout.write(
      renderDaemonSet({
        name,
        images: opts.image,
        namespace: opts.namespace,
        port: opts.port,
        output: opts.output,
      }),
    );
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === "EADDRINUSE") {
    console.error(
      `everynode: the port is already in use (${e.message}); stop the other server or pass --port`,
    );
  } else {
    console.error(`everynode: ${e instanceof Error ? e.message : String(e)}`);
  }
  process.exit(1);
});
