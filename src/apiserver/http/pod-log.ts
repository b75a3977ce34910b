// GET pods/{name}/log: container logs come from whoever runs the pod (the simulated kubelets of the node
// fleet), through the PodLogSource the server is given. Plain text; with follow=true a chunked stream that is
// flushed line by line until the container stops or the client goes away.
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "../../api/errors.js";
import type { RegistryStore } from "../registry/store.js";
import { checkKubeletNode, requestedContainer } from "./pod-container.js";

export interface PodLogOptions {
  previous?: boolean;
  tailLines?: number;
  sinceTime?: string;
  sinceSeconds?: number;
  timestamps?: boolean;
  limitBytes?: number;
}

/** What a kubelet answers for a pod's logs: lines (no newline), or a live stream of them with `follow`. */
export interface PodLogSource {
  logs(namespace: string, pod: string, container: string | undefined, options: PodLogOptions): string[];
  logs(
    namespace: string,
    pod: string,
    container: string | undefined,
    options: PodLogOptions & { follow: true; signal?: AbortSignal },
  ): AsyncIterable<string>;
}

function optionalInt(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw ApiError.badRequest(`${name} must be a non-negative integer, got "${v}"`);
  return n;
}

export async function servePodLog(
  source: PodLogSource | undefined,
  stores: { pods: RegistryStore; nodes: RegistryStore },
  namespace: string,
  name: string,
  q: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const pod = stores.pods.get(namespace, name);
  const container = requestedContainer(pod, q.get("container"));
  if (!pod.spec?.nodeName) {
    throw ApiError.badRequest(
      `container "${container}" in pod "${name}" is waiting to start: ContainerCreating`,
    );
  }
  checkKubeletNode(stores.nodes, pod.spec.nodeName);
  if (!source) {
    throw new ApiError(
      503,
      "ServiceUnavailable",
      `no kubelet serves logs for node ${pod.spec.nodeName} in this process`,
    );
  }
  const options: PodLogOptions = {
    previous: q.get("previous") === "true",
    tailLines: optionalInt(q, "tailLines"),
    sinceSeconds: optionalInt(q, "sinceSeconds"),
    sinceTime: q.get("sinceTime") ?? undefined,
    timestamps: q.get("timestamps") === "true",
    limitBytes: optionalInt(q, "limitBytes"),
  };
  if (q.get("follow") !== "true") {
    const text = source
      .logs(namespace, name, container, options)
      .map((l) => `${l}\n`)
      .join("");
    res.writeHead(200, { "Content-Type": "text/plain", "Content-Length": Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  const stop = new AbortController();
  const stream = source.logs(namespace, name, container, { ...options, follow: true, signal: stop.signal });
  res.writeHead(200, { "Content-Type": "text/plain", "Transfer-Encoding": "chunked" });
  res.flushHeaders();
  const abort = () => stop.abort();
  req.on("close", abort);
  res.on("close", abort);
  try {
    for await (const line of stream) {
      if (stop.signal.aborted) break;
      res.write(`${line}\n`);
    }
  } finally {
    req.off("close", abort);
    res.end();
  }
}
