// `npm run bench`: measures everynode against the targets of the scale issue on this machine and prints one
// table (scenario, figure, unit, target, pass/fail), also written as JSON under bench/results/. Every figure is
// the median of several runs; the raw-SQLite baseline runs in the same process so the ratio holds on a noisy
// machine. Run `npm run bench -- --help` for the options.
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DAEMON_SETS, findResource } from "../src/api/resources.js";
import { MajorGcCounter } from "../src/util/major-gcs.js";
import {
  benchDaemonSet,
  createNodes,
  fullyAvailable,
  startCluster,
  stopCluster,
  waitForDaemonSet,
} from "./cluster.js";
import { rawSqliteWritesPerSecond } from "./raw-sqlite.js";
import { type Figure, median, percentile, renderTable } from "./report.js";
import { runWriteLoad } from "./write-load.js";

const CONFIG_MAPS = findResource("", "v1", "configmaps")!;

const HELP = `npm run bench -- [--nodes N] [--runs R] [--only NAME]

Runs the scale scenarios on an in-process everynode (SQLite store, HTTPS API, simulated pods with zero start
delay) and prints one table; the same figures go to bench/results/<date>.json.

  --nodes N   the base cluster size (default 5000); the large scenarios use 2N
  --runs R    runs per scenario, the figure is their median (default 3)
  --only S    run only scenarios whose name contains S (e.g. --only storage)
  --store U   run the rollout scenarios on this store instead of a SQLite file, e.g. etcd://127.0.0.1:2379
              (each cluster gets a prefix of its own there); the storage scenario always compares SQLite
  --help      this text
`;

const { values } = parseArgs({
  options: {
    nodes: { type: "string", default: "5000" },
    runs: { type: "string", default: "3" },
    only: { type: "string" },
    store: { type: "string" },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const N = Number(values.nodes);
const RUNS = Number(values.runs);
if (!Number.isInteger(N) || N <= 0 || !Number.isInteger(RUNS) || RUNS <= 0) {
  process.stderr.write(`--nodes and --runs take positive whole numbers\n\n${HELP}`);
  process.exit(2);
}
const wanted = (name: string) => !values.only || name.includes(values.only);
const samples = new Map<string, number[]>();
const record = (name: string, value: number, unit: string) => {
  const list = samples.get(name) ?? [];
  list.push(value);
  samples.set(name, list);
  process.stdout.write(`${name}: ${value.toFixed(unit === "s" ? 2 : unit === "count" ? 0 : 1)} ${unit}\n`);
};
const secondsSince = (start: number) => (performance.now() - start) / 1000;

let clusters = 0;
/** Where a rollout cluster keeps its state: a fresh prefix of --store when given, else its own SQLite file. */
const rolloutStore = (): string | undefined =>
  values.store?.startsWith("etcd://")
    ? `${values.store.replace(/\/+$/, "")}/bench-${Date.now()}-${++clusters}`
    : values.store;

/** One cluster of `size` nodes: node creation, a DaemonSet rollout and a rolling update. */
async function rolloutRun(size: number, large: boolean): Promise<void> {
  const c = await startCluster(undefined, rolloutStore());
  try {
    let t = performance.now();
    await createNodes(c, size, (done) => process.stdout.write(`  … ${done}/${size} nodes\n`));
    record(`create ${size} nodes`, secondsSince(t), "s");

    t = performance.now();
    await c.client.create(
      DAEMON_SETS,
      "default",
      benchDaemonSet("agent", "registry.k8s.io/pause:3.9", "10%"),
    );
    await waitForDaemonSet(c, "default", "agent", fullyAvailable(size), 120_000, (ds) =>
      process.stdout.write(`  … ${ds.status?.numberAvailable ?? 0}/${size} pods available\n`),
    );
    record(`daemonset on ${size} nodes: desired=current=ready=available`, secondsSince(t), "s");

    t = performance.now();
    await c.client.patch(DAEMON_SETS, "default", "agent", "strategic", {
      spec: { template: { spec: { containers: [{ name: "agent", image: "registry.k8s.io/pause:3.10" }] } } },
    });
    await waitForDaemonSet(c, "default", "agent", fullyAvailable(size), 300_000, (ds) =>
      process.stdout.write(`  … ${ds.status?.updatedNumberScheduled ?? 0}/${size} pods updated\n`),
    );
    record(`rolling update maxUnavailable 10% on ${size} nodes`, secondsSince(t), "s");

    if (!large) return;
    // The server runs in this process: kubectl must run asynchronously, or it would wait on a blocked loop.
    const kubectl = (args: string[]) =>
      runKubectl(args, { ...process.env, KUBECONFIG: c.kubeconfig, KUBECACHEDIR: join(c.dir, "kube-cache") });
    await kubectl(["get", "nodes", "--no-headers", "-o", "name"]); // warm the discovery cache, as a user's shell is
    t = performance.now();
    await kubectl(["get", "pods", "-A", "--no-headers"]);
    record(`kubectl get pods -A over ${size} pods`, secondsSince(t), "s");

    // Cold start: the same data dir, from the SQLite file to a serving API.
    await stopCluster(c, false);
    t = performance.now();
    const again = await startCluster(c.dir, c.store);
    record(`cold start with ${size} nodes and their pods`, secondsSince(t), "s");
    Object.assign(c, again);

    for (const name of ["agent-2", "agent-3"]) {
      await c.client.create(DAEMON_SETS, "default", benchDaemonSet(name, "registry.k8s.io/pause:3.9"));
    }
    for (const name of ["agent", "agent-2", "agent-3"]) {
      await waitForDaemonSet(c, "default", name, fullyAvailable(size), 300_000);
    }
    // Idle: the rollouts' events trail them through their budgets (see docs/simulation.md);
    // wait until they are written, let heartbeats settle into their steady rhythm, then measure a window.
    for (let last = -1; c.components.pendingEvents > 0; ) {
      const pending = c.components.pendingEvents;
      if (Math.abs(pending - last) >= 10_000 || last < 0) {
        process.stdout.write(`  … ${pending} events still to write\n`);
        last = pending;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    await new Promise((r) => setTimeout(r, 5_000));
    const cpu0 = process.cpuUsage();
    const w0 = performance.now();
    await new Promise((r) => setTimeout(r, 10_000));
    const cpu = process.cpuUsage(cpu0);
    const busy = (cpu.user + cpu.system) / 1000 / (performance.now() - w0);
    record(`idle ${size} nodes x 3 DaemonSets: CPU`, busy * 100, "% of a core");
    record(
      `idle ${size} nodes x 3 DaemonSets: resident memory`,
      process.memoryUsage().rss / 1024 / 1024,
      "MiB",
    );

    const latency = await mutatingLatency(c.kubeconfig);
    record(`mutating API p99 at 500 writes/s (${size} nodes busy)`, latency.p99, "ms");
    record(`mutating API p50 at 500 writes/s (${size} nodes busy)`, latency.p50, "ms");
    record(`major GCs in the API-latency window (${size} nodes busy)`, latency.majorGCs, "count");
  } finally {
    await stopCluster(c);
  }
}

function runKubectl(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("kubectl", args, { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`kubectl ${args.join(" ")}: ${stderr}`)),
    );
  });
}

/**
 * Clients write ConfigMaps over HTTPS at 500 requests/s for 11 s; returns the p99 and p50 latencies in ms of the
 * last 10 s, and how many major GCs the server's heap went through meanwhile (the tail follows them: see
 * docs/performance.md). The first second is warm-up: it opens the client's keep-alive connections (TLS
 * handshakes), which a long-lived client pays once, not per request.
 */
async function mutatingLatency(kubeconfig: string): Promise<{ p99: number; p50: number; majorGCs: number }> {
  const rate = 500;
  const gcs = new MajorGcCounter();
  gcs.start();
  // Major GCs of the warm-up second are not the window's.
  const atWindowStart = new Promise<number>((resolve) => setTimeout(() => resolve(gcs.count), 1000));
  try {
    const latencies = await runWriteLoad({ kubeconfig, rate, seconds: 11, warmup: rate });
    const majorGCs = gcs.count - (await atWindowStart);
    return { p99: percentile(latencies, 0.99), p50: percentile(latencies, 0.5), majorGCs };
  } finally {
    gcs.stop();
  }
}

/** End-to-end object writes/s against raw SQLite inserts of the same documents, in this process. */
async function storageRun(): Promise<void> {
  const count = 5000;
  const c = await startCluster();
  try {
    const docs = Array.from({ length: count }, (_, i) => ({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: `cm-${i}`, namespace: "default", labels: { app: "bench" } },
      data: { payload: "x".repeat(1024) },
    }));
    let next = 0;
    const t = performance.now();
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < count) await c.client.create(CONFIG_MAPS, "default", docs[next++]);
      }),
    );
    const endToEnd = count / secondsSince(t);
    const raw = rawSqliteWritesPerSecond(docs.map((d) => JSON.stringify(d)));
    record("storage: end-to-end object writes", endToEnd, "writes/s");
    record("storage: raw SQLite writes of the same documents", raw, "writes/s");
    record("storage efficiency (end-to-end / raw)", endToEnd / raw, "ratio");
  } finally {
    await stopCluster(c);
  }
}

const TARGETS: { match: (name: string) => boolean; target: string; pass: (v: number) => boolean }[] = [
  {
    match: (n) => n === `daemonset on ${N} nodes: desired=current=ready=available`,
    target: "≤ 5 s",
    pass: (v) => v <= 5,
  },
  {
    match: (n) => n === `daemonset on ${2 * N} nodes: desired=current=ready=available`,
    target: "≤ 10 s",
    pass: (v) => v <= 10,
  },
  {
    match: (n) => n === `rolling update maxUnavailable 10% on ${N} nodes`,
    target: "≤ 10 s",
    pass: (v) => v <= 10,
  },
  { match: (n) => n.endsWith("3 DaemonSets: CPU"), target: "≤ 25 %", pass: (v) => v <= 25 },
  { match: (n) => n.endsWith("resident memory"), target: "≤ 1024 MiB", pass: (v) => v <= 1024 },
  { match: (n) => n.startsWith("mutating API p99"), target: "≤ 20 ms", pass: (v) => v <= 20 },
  { match: (n) => n.startsWith("kubectl get pods -A"), target: "≤ 1 s", pass: (v) => v <= 1 },
  { match: (n) => n.startsWith("cold start"), target: "≤ 3 s", pass: (v) => v <= 3 },
  { match: (n) => n.startsWith("storage efficiency"), target: "≥ 0.3", pass: (v) => v >= 0.3 },
];

const UNITS = new Map<string, string>();
const failures: string[] = [];
async function main(): Promise<void> {
  for (let run = 1; run <= RUNS; run++) {
    process.stdout.write(`\n— run ${run} of ${RUNS} —\n`);
    // A scenario that cannot finish is reported as failed; the others still run and print.
    const attempt = async (what: string, run: () => Promise<void>) => {
      try {
        await run();
      } catch (err) {
        failures.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
        process.stdout.write(`${what} did not finish: ${err instanceof Error ? err.message : err}\n`);
      }
    };
    if (wanted("storage")) await attempt("storage", storageRun);
    if (wanted("rollout") || wanted("nodes")) await attempt(`${N} nodes`, () => rolloutRun(N, false));
    if (wanted("large") || wanted("nodes")) await attempt(`${2 * N} nodes`, () => rolloutRun(2 * N, true));
  }
  const figures: Figure[] = [];
  for (const [scenario, values] of samples) {
    const figure = median(values);
    const t = TARGETS.find((x) => x.match(scenario));
    figures.push({
      scenario,
      figure,
      unit: UNITS.get(scenario) ?? unitOf(scenario),
      target: t?.target ?? "",
      pass: t ? t.pass(figure) : undefined,
      runs: values,
    });
  }
  process.stdout.write(`\n${renderTable(figures)}\n`);
  for (const f of failures) process.stdout.write(`FAILED TO FINISH — ${f}\n`);
  const dir = join(dirname(fileURLToPath(import.meta.url)), "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(
    file,
    JSON.stringify({ nodes: N, runs: RUNS, node: process.version, figures, failures }, null, 2),
  );
  process.stdout.write(`\nwritten to ${file}\n`);
}

function unitOf(scenario: string): string {
  if (scenario.includes("CPU")) return "% of a core";
  if (scenario.includes("memory")) return "MiB";
  if (scenario.startsWith("mutating")) return "ms";
  if (scenario.startsWith("major GCs")) return "count";
  if (scenario.includes("writes")) return "writes/s";
  if (scenario.includes("efficiency")) return "ratio";
  return "s";
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : err}\n`);
    process.exit(1);
  },
);
