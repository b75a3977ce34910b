// The clients of the API-latency scenario: ConfigMap writes over HTTPS at a fixed rate, run on a worker thread so
// the load generator's own HTTP and TLS work does not share the event loop of the server it measures (real
// clients are other processes).
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { findResource } from "../src/api/resources.js";
import { clientFromKubeconfig } from "../src/client/kubeconfig.js";

export interface WriteLoad {
  kubeconfig: string;
  /** Requests started per second, on schedule whether or not earlier ones have answered. */
  rate: number;
  seconds: number;
  /** Requests at the start whose latency is not kept (opening the client's keep-alive connections). */
  warmup: number;
}

const CONFIG_MAPS = findResource("", "v1", "configmaps")!;

/** Runs the load on a worker thread; resolves with the kept latencies in ms. */
export function runWriteLoad(load: WriteLoad): Promise<number[]> {
  return new Promise((resolve, reject) => {
    // Workers do not inherit the tsx loader the bench runs under: the worker loads this file through tsx's API.
    const loader = import.meta.resolve("tsx/esm/api");
    const boot = `import(${JSON.stringify(loader)}).then((tsx) => tsx.tsImport(${JSON.stringify(import.meta.url)}, ${JSON.stringify(import.meta.url)}))`;
    const worker = new Worker(boot, { eval: true, workerData: load });
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`the write-load worker exited with code ${code}`)));
  });
}

/** The worker's side: the first 1,000 requests create ConfigMaps, the rest patch them in turn. */
async function generate({ kubeconfig, rate, seconds, warmup }: WriteLoad): Promise<number[]> {
  const client = clientFromKubeconfig(kubeconfig);
  const latencies: number[] = [];
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < rate * seconds; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const name = `load-${i % 1000}`;
    const t = performance.now();
    const op =
      i < 1000
        ? client.create(CONFIG_MAPS, "default", {
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: { name },
            data: { i: String(i) },
          })
        : client.patch(CONFIG_MAPS, "default", name, "merge", { data: { i: String(i) } });
    inflight.push(
      op.then(() => {
        if (i >= warmup) latencies.push(performance.now() - t);
      }),
    );
  }
  await Promise.all(inflight);
  client.close();
  return latencies;
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  generate(workerData as WriteLoad).then(
    (latencies) => port.postMessage(latencies),
    (err) => {
      throw err;
    },
  );
}
