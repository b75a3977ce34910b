// Boots a real in-process control plane (memory storage, HTTP on a free loopback port) for integration
// tests, with a small JSON client over fetch.
import { ControlPlane } from "../../src/main/control-plane.js";
import { createLogger } from "../../src/util/log.js";

export interface Response<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export class TestCluster {
  private constructor(readonly cp: ControlPlane) {}

  static async start(store = "memory://"): Promise<TestCluster> {
    const cp = await ControlPlane.start({
      store,
      port: 0,
      logger: createLogger("test", process.env.EVERYNODE_LOG_LEVEL ?? "silent"),
    });
    return new TestCluster(cp);
  }

  get url(): string {
    return this.cp.url;
  }

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response<T>> {
    const init: RequestInit = { method, headers: { Accept: "application/json", ...headers } };
    if (body !== undefined) {
      init.body = typeof body === "string" ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)["Content-Type"] ??= "application/json";
    }
    const res = await fetch(this.url + path, init);
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // non-JSON body (health, metrics, text): keep the text
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  get = <T = any>(path: string, headers?: Record<string, string>) =>
    this.request<T>("GET", path, undefined, headers);
  post = <T = any>(path: string, body: unknown) => this.request<T>("POST", path, body);
  put = <T = any>(path: string, body: unknown) => this.request<T>("PUT", path, body);
  delete = <T = any>(path: string, body?: unknown) => this.request<T>("DELETE", path, body);
  patch = <T = any>(path: string, body: unknown, type: "json" | "merge" | "strategic" = "strategic") =>
    this.request<T>("PATCH", path, body, {
      "Content-Type": {
        json: "application/json-patch+json",
        merge: "application/merge-patch+json",
        strategic: "application/strategic-merge-patch+json",
      }[type],
    });

  /** Opens a watch and collects its events until `stop()`. */
  watch(path: string): { events: any[]; stop: () => void; closed: Promise<void> } {
    const controller = new AbortController();
    const events: any[] = [];
    const closed = (async () => {
      try {
        const res = await fetch(this.url + path, { signal: controller.signal });
        const reader = res.body!.getReader();
        const decoder = new TextDecoder();
        let buf = "";
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          buf += decoder.decode(value, { stream: true });
          let nl = buf.indexOf("\n");
          while (nl >= 0) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            if (line) events.push(JSON.parse(line));
            nl = buf.indexOf("\n");
          }
        }
      } catch (e) {
        if ((e as Error).name !== "AbortError") throw e;
      }
    })();
    return { events, stop: () => controller.abort(), closed };
  }

  async stop(): Promise<void> {
    await this.cp.stop();
  }
}

/** Polls `check` until it returns a truthy value or the timeout passes (10 s: CI runs two test files at once on two cores). */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
  what = "condition",
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ""}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
