// pods/exec against a real in-process server with a `ws` client: the remote-command channel protocol (v5 with
// its stdin half-close, v4, base64, the original channel.k8s.io), exit codes and errors on the error channel,
// TTY and resize, the client leaving, every failure answered before the upgrade (pod, container, host, streams,
// subprotocol, SPDY, no upgrade at all), and then the node fleet's simulated containers behind it.
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import { ApiError } from "../../src/api/errors.js";
import type { KubeObject } from "../../src/api/object.js";
import type { ExecIO, ExecSource } from "../../src/apiserver/http/pod-exec.js";
import { LocalClient } from "../../src/apiserver/local-client.js";
import { InformerFactory } from "../../src/informer/factory.js";
import { NodeFleet } from "../../src/nodes/fleet.js";
import { buildNode } from "../../src/nodes/node-template.js";
import { createLogger } from "../../src/util/log.js";
import { namespace, paths } from "../fixtures/objects.js";
import { assertFailure, assertOk } from "../fixtures/status.js";
import { eventually, type Response, TestCluster } from "../support/test-cluster.js";

const V5 = "v5.channel.k8s.io";
const NS = "exec";

/** An attach path with PodAttachOptions as kubectl sends them. */
function attachPath(pod: string, streams = ["stdin", "stdout", "stderr"]) {
  const q = new URLSearchParams();
  for (const s of streams) q.set(s, "true");
  return `${paths.pod(NS, pod)}/attach?${q}`;
}

/** An exec path with PodExecOptions as kubectl sends them. */
function execPath(
  pod: string,
  o: { container?: string; command?: string[]; tty?: boolean; streams?: string[] } = {},
) {
  const q = new URLSearchParams();
  for (const c of o.command ?? ["true"]) q.append("command", c);
  if (o.container) q.set("container", o.container);
  for (const s of o.streams ?? ["stdin", "stdout", "stderr"]) q.set(s, "true");
  if (o.tty) q.set("tty", "true");
  return `${paths.pod(NS, pod)}/exec?${q}`;
}

interface Session {
  ws: WebSocket;
  /** Messages received, as [channel, data]. */
  frames: [number, Buffer][];
  opened: Promise<void>;
  closed: Promise<number>;
  send(channel: number, data: string | Buffer): void;
}

/** Opens an exec WebSocket; `opened` rejects with the HTTP Response when the server refuses the upgrade. */
function connect(base: string, path: string, protocols: string[] = [V5]): Session {
  const ws = new WebSocket(`${base.replace(/^http/, "ws")}${path}`, protocols);
  const frames: [number, Buffer][] = [];
  const base64 = protocols.some((p) => p.includes("base64"));
  ws.on("message", (data: Buffer, isBinary) => {
    if (isBinary) frames.push([data[0], data.subarray(1)]);
    else {
      const text = data.toString();
      frames.push([text.charCodeAt(0) - 48, Buffer.from(text.slice(1), "base64")]);
    }
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("unexpected-response", (_req, res) => {
      let text = "";
      res.on("data", (d) => (text += d));
      res.on("end", () => reject({ status: res.statusCode, body: JSON.parse(text), headers: new Headers() }));
    });
    ws.once("error", reject);
  });
  const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
  return {
    ws,
    frames,
    opened,
    closed,
    send: (channel, data) => {
      const bytes = Buffer.from(data);
      if (base64) ws.send(String.fromCharCode(48 + channel) + bytes.toString("base64"));
      else ws.send(Buffer.concat([Buffer.of(channel), bytes]));
    },
  };
}

/** Each channel's data, concatenated. */
function channels(frames: [number, Buffer][]): Record<number, string> {
  const out: Record<number, string> = {};
  for (const [channel, data] of frames) out[channel] = (out[channel] ?? "") + data.toString();
  return out;
}

/** Runs an exec to the end (optionally sending stdin and the v5 half-close); returns channels and close code. */
async function runExec(base: string, path: string, o: { stdin?: string; protocols?: string[] } = {}) {
  const s = connect(base, path, o.protocols);
  await s.opened;
  if (o.stdin !== undefined) {
    s.send(0, o.stdin);
    s.send(255, Buffer.of(0));
  }
  const code = await s.closed;
  return { code, protocol: s.ws.protocol, frames: s.frames, streams: channels(s.frames) };
}

/** The Status an upgrade was refused with. */
async function refusal(base: string, path: string, protocols?: string[]): Promise<Response> {
  const s = connect(base, path, protocols);
  try {
    await s.opened;
  } catch (res) {
    return res as Response;
  }
  s.ws.terminate();
  throw new Error("the upgrade was accepted");
}

/** A raw HTTP request with upgrade headers (for SPDY, h2c). */
function rawUpgrade(base: string, path: string, method: string, upgrade: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers: { Connection: "Upgrade", Upgrade: upgrade } });
    req.on("response", (res) => {
      let text = "";
      res.on("data", (d) => (text += d));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), headers: new Headers() }),
      );
    });
    req.on("upgrade", () => reject(new Error("unexpected upgrade")));
    req.on("error", reject);
    req.end();
  });
}

/** An ExecSource whose commands exercise the protocol. */
class FakeSource implements ExecSource {
  readonly left: Promise<void>;
  private markLeft!: () => void;

  constructor() {
    this.left = new Promise((r) => (this.markLeft = r));
  }

  checkExec(_ns: string, _pod: string, container: string): void {
    if (container === "stopped") {
      throw ApiError.badRequest(`unable to upgrade connection: container not found ("${container}")`);
    }
  }

  async exec(_ns: string, _pod: string, _container: string, command: string[], io: ExecIO): Promise<number> {
    const [name, ...args] = command;
    switch (name) {
      case "echo-stdin": {
        let text = "";
        for await (const chunk of io.stdin ?? []) text += Buffer.from(chunk).toString();
        io.stdout(text);
        io.stderr(text.toUpperCase());
        return 0;
      }
      case "say":
        io.stdout(args.join(" "));
        io.stderr("to stderr");
        return 0;
      case "exit":
        return Number(args[0]);
      case "boom":
        throw ApiError.internal("error executing command in container: boom");
      case "crash":
        throw new Error("a bug");
      case "wait":
        await new Promise((r) => io.signal.addEventListener("abort", r, { once: true }));
        this.markLeft();
        return 0;
      case "resize":
        return new Promise((resolve) =>
          io.onResize?.((size) => {
            io.stdout(`${size.width}x${size.height}`);
            resolve(0);
          }),
        );
    }
    return 127;
  }

  async attach(_ns: string, _pod: string, container: string, io: ExecIO): Promise<void> {
    io.stdout(`attached to ${container}\n`);
    for await (const chunk of io.stdin ?? []) io.stdout(Buffer.from(chunk).toString().toUpperCase());
  }
}

function podObject(name: string, containers: string[], nodeName?: string): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name },
    spec: {
      ...(nodeName ? { nodeName } : {}),
      containers: containers.map((c) => ({ name: c, image: "busybox:1.36" })),
    },
  };
}

describe("pods/exec: the channel protocol", () => {
  let c: TestCluster;
  const source = new FakeSource();

  before(async () => {
    c = await TestCluster.start();
    c.cp.server.podExec = source;
    assertOk(await c.post(paths.namespaces(), namespace(NS)), 201);
    assertOk(await c.post("/api/v1/nodes", buildNode("node1", 1, Date.now())), 201);
    assertOk(await c.post(paths.pods(NS), podObject("web", ["main", "stopped"], "node1")), 201);
    assertOk(await c.post(paths.pods(NS), podObject("solo", ["main"], "node1")), 201);
    assertOk(await c.post(paths.pods(NS), podObject("unscheduled", ["main"])), 201);
    assertOk(await c.post(paths.pods(NS), podObject("stranded", ["main"], "gone")), 201);
  });
  after(() => c?.stop());

  it("v5: stdin until the half-close, stdout and stderr, then a Success Status and a normal closure", async () => {
    const r = await runExec(c.url, execPath("solo", { command: ["echo-stdin"] }), { stdin: "hello exec" });
    assert.equal(r.protocol, V5);
    assert.equal(r.code, 1000);
    // Upstream's "streams are ready" signal: an empty message on stdout first.
    assert.deepEqual(r.frames[0], [1, Buffer.alloc(0)]);
    assert.deepEqual(r.streams, {
      1: "hello exec",
      2: "HELLO EXEC",
      3: '{"metadata":{},"status":"Success"}',
    });
  });

  it("attach: needs no command, streams the container's process, and ends with Success", async () => {
    const r = await runExec(c.url, attachPath("solo"), { stdin: "typed" });
    assert.equal(r.code, 1000);
    assert.deepEqual(r.streams, {
      1: "attached to main\nTYPED",
      3: '{"metadata":{},"status":"Success"}',
    });
    const plain = await c.post(`${paths.pod(NS, "solo")}/attach?stdout=true`, {});
    assertFailure(plain, { code: 400, reason: "BadRequest", message: "Upgrade request required" });
    const none = await refusal(c.url, `${paths.pod(NS, "solo")}/attach`);
    assertFailure(none, {
      code: 400,
      reason: "BadRequest",
      message: "you must specify at least 1 of stdin, stdout, stderr",
    });
  });

  it("a non-zero exit is a NonZeroExitCode Status carrying the code", async () => {
    const r = await runExec(c.url, execPath("web", { container: "main", command: ["exit", "3"] }));
    assert.deepEqual(JSON.parse(r.streams[3]), {
      metadata: {},
      status: "Failure",
      message: "command terminated with non-zero exit code: command terminated with exit code 3",
      reason: "NonZeroExitCode",
      details: { causes: [{ reason: "ExitCode", message: "3" }] },
    });
  });

  it("a failure to run the command is its Status on the error channel", async () => {
    for (const [command, message] of [
      ["boom", "Internal error occurred: error executing command in container: boom"],
      ["crash", "Internal error occurred: a bug"],
    ]) {
      const r = await runExec(c.url, execPath("solo", { command: [command] }));
      const status = JSON.parse(r.streams[3]);
      assert.equal(status.status, "Failure");
      assert.equal(status.reason, "InternalError");
      assert.equal(status.code, 500);
      assert.equal(status.message, message);
    }
  });

  it("v4 is negotiated when offered first, in the client's order", async () => {
    const r = await runExec(c.url, execPath("solo", { command: ["say", "hi"] }), {
      protocols: ["v4.channel.k8s.io", V5],
    });
    assert.equal(r.protocol, "v4.channel.k8s.io");
    assert.deepEqual(r.streams, { 1: "hi", 2: "to stderr", 3: '{"metadata":{},"status":"Success"}' });
  });

  it("v4.base64 sends text messages with an ASCII channel digit and base64 data", async () => {
    const s = connect(c.url, execPath("solo", { command: ["say", "b64"] }), ["v4.base64.channel.k8s.io"]);
    const texts: string[] = [];
    let binary = 0;
    s.ws.on("message", (data: Buffer, isBinary) => (isBinary ? binary++ : texts.push(data.toString())));
    await s.opened;
    await s.closed;
    assert.equal(binary, 0);
    assert.equal(texts[0], "1");
    assert.ok(texts.includes(`1${Buffer.from("b64").toString("base64")}`), texts.join(" "));
  });

  it("channel.k8s.io (no subprotocol offered) carries a failure as plain text and success as nothing", async () => {
    const failed = await runExec(c.url, execPath("solo", { command: ["exit", "2"] }), { protocols: [] });
    assert.equal(failed.protocol, "");
    assert.equal(
      failed.streams[3],
      "command terminated with non-zero exit code: command terminated with exit code 2",
    );
    const ok = await runExec(c.url, execPath("solo", { command: ["say", "x"] }), { protocols: [] });
    assert.equal(ok.streams[3], undefined);
  });

  it("with a TTY there is no stderr stream: the command's stderr reaches stdout", async () => {
    const r = await runExec(c.url, execPath("solo", { command: ["say", "t"], tty: true }));
    assert.deepEqual(r.streams, { 1: "tto stderr", 3: '{"metadata":{},"status":"Success"}' });
  });

  it("terminal resizes reach the command", async () => {
    const s = connect(c.url, execPath("solo", { command: ["resize"], tty: true }));
    await s.opened;
    s.send(4, JSON.stringify({ Width: 120, Height: 40 }));
    await s.closed;
    assert.equal(channels(s.frames)[1], "120x40");
  });

  it("the client going away aborts the command", async () => {
    const s = connect(c.url, execPath("solo", { command: ["wait"] }));
    await s.opened;
    s.ws.terminate();
    await source.left;
  });

  const refusals: {
    name: string;
    path: string;
    protocols?: string[];
    code: number;
    reason: string;
    message: string | RegExp;
  }[] = [
    {
      name: "a missing pod",
      path: execPath("nope"),
      code: 404,
      reason: "NotFound",
      message: 'pods "nope" not found',
    },
    {
      name: "no container named in a pod of several",
      path: execPath("web"),
      code: 400,
      reason: "BadRequest",
      message: "a container name must be specified for pod web, choose one of: [main stopped]",
    },
    {
      name: "an unknown container",
      path: execPath("web", { container: "nope" }),
      code: 400,
      reason: "BadRequest",
      message: "container nope is not valid for pod web",
    },
    {
      name: "a pod without a node",
      path: execPath("unscheduled"),
      code: 400,
      reason: "BadRequest",
      message: "pod unscheduled does not have a host assigned",
    },
    {
      name: "a pod whose node is gone (the kubelet is found through its node)",
      path: execPath("stranded"),
      code: 404,
      reason: "NotFound",
      message: 'nodes "gone" not found',
    },
    {
      name: "a container that is not running (the kubelet's answer)",
      path: execPath("web", { container: "stopped" }),
      code: 400,
      reason: "BadRequest",
      message: 'unable to upgrade connection: container not found ("stopped")',
    },
    {
      name: "no command",
      path: execPath("solo", { command: [] }),
      code: 400,
      reason: "BadRequest",
      message: "you must specify at least one command for the container",
    },
    {
      name: "no stream",
      path: execPath("solo", { streams: [] }),
      code: 400,
      reason: "BadRequest",
      message: "you must specify at least 1 of stdin, stdout, stderr",
    },
    {
      name: "an unknown subprotocol",
      path: execPath("solo"),
      protocols: ["v9.channel.k8s.io"],
      code: 400,
      reason: "BadRequest",
      message:
        /^unable to upgrade: requested protocol\(s\) are not supported: \[v9\.channel\.k8s\.io\]; supports \[v5\.channel\.k8s\.io /,
    },
  ];
  for (const r of refusals) {
    it(`refuses the upgrade for ${r.name}`, async () => {
      assertFailure(await refusal(c.url, r.path, r.protocols), r);
    });
  }

  it("pods/log of a pod whose node is gone is the node's 404, as for exec; its container is checked first", async () => {
    assertFailure(await c.get(`${paths.pod(NS, "stranded")}/log`), {
      code: 404,
      reason: "NotFound",
      message: 'nodes "gone" not found',
    });
    assertFailure(await c.get(`${paths.pod(NS, "stranded")}/log?container=nope`), {
      code: 400,
      reason: "BadRequest",
      message: "container nope is not valid for pod stranded",
    });
  });

  it("refuses a SPDY/3.1 upgrade that names no stream protocol, as the kubelet does", async () => {
    const res = await rawUpgrade(c.url, execPath("solo"), "POST", "SPDY/3.1");
    assertFailure(res, {
      code: 400,
      reason: "BadRequest",
      message: "unable to upgrade: X-Stream-Protocol-Version is required",
    });
  });

  it("answers a request without an upgrade as upstream's proxy does", async () => {
    assertFailure(await c.post(execPath("solo"), {}), {
      code: 400,
      reason: "BadRequest",
      message: "Upgrade request required",
    });
  });

  it("answers 503 while no kubelet runs in this process", async () => {
    c.cp.server.podExec = undefined;
    try {
      assertFailure(await refusal(c.url, execPath("solo")), {
        code: 503,
        reason: "ServiceUnavailable",
        message: "no kubelet serves exec for node node1 in this process",
      });
    } finally {
      c.cp.server.podExec = source;
    }
  });

  it("serves other upgrade requests (e.g. h2c) as ordinary requests", async () => {
    const res = await rawUpgrade(c.url, "/version", "GET", "h2c");
    assert.equal(res.status, 200);
    assert.equal(res.body.major, "1");
  });
});

describe("pods/exec and pods/attach: the node fleet's simulated containers", () => {
  let c: TestCluster;
  const stop = new AbortController();
  let running: Promise<unknown>;

  before(async () => {
    c = await TestCluster.start();
    const client = new LocalClient(c.cp.registry);
    const logger = createLogger("test", "silent");
    const informers = new InformerFactory(client, { logger });
    const fleet = new NodeFleet({ client, informers, logger, timings: { startDelayMs: 1 } });
    running = Promise.all([fleet.start(stop.signal), informers.start(stop.signal)]);
    c.cp.server.podExec = fleet;
    assertOk(await c.post("/api/v1/nodes", buildNode("node1", 1, Date.now())), 201);
    assertOk(await c.post(paths.namespaces(), namespace(NS)), 201);
    const monitor: KubeObject = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "monitor" },
      spec: {
        nodeName: "node1",
        containers: [
          {
            name: "web",
            image: "nginx:1.27.3",
            env: [{ name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }],
          },
          { name: "exporter", image: "prom/node-exporter:v1.8.2" },
        ],
      },
    };
    assertOk(await c.post(paths.pods(NS), monitor), 201);
    const stuck = podObject("stuck", ["main"], "node1");
    stuck.metadata.annotations = { "sim.everynode.dev/pull": "fail" };
    assertOk(await c.post(paths.pods(NS), stuck), 201);
    await eventually(
      async () => (await c.get(paths.pod(NS, "monitor"))).body.status?.phase === "Running",
      5000,
      "the monitor pod to run",
    );
  });
  after(async () => {
    stop.abort();
    await running;
    await c?.stop();
  });

  const monitor = (container: string, command: string[]) => execPath("monitor", { container, command });

  it("runs programs with the container's environment", async () => {
    const r = await runExec(c.url, monitor("web", ["printenv", "NODE_NAME", "HOSTNAME"]));
    assert.equal(r.streams[1], "node1\nmonitor\n");
    assert.equal(r.streams[3], '{"metadata":{},"status":"Success"}');
  });

  it("reaches the pod's node-exporter on localhost", async () => {
    const r = await runExec(c.url, monitor("exporter", ["wget", "-qO-", "http://localhost:9100/metrics"]));
    assert.match(r.streams[1], /^node_cpu_seconds_total\{cpu="0",mode="idle"\} /m);
  });

  it("a shell reads piped stdin and its exit code travels in the Status", async () => {
    const r = await runExec(c.url, monitor("web", ["sh"]), { stdin: "echo hi\nexit 3\n" });
    assert.equal(r.streams[1], "hi\n");
    assert.deepEqual(JSON.parse(r.streams[3]).details, { causes: [{ reason: "ExitCode", message: "3" }] });
  });

  it("a missing executable fails as containerd reports it", async () => {
    const r = await runExec(c.url, monitor("exporter", ["bash"]));
    const status = JSON.parse(r.streams[3]);
    assert.equal(status.reason, "InternalError");
    assert.match(status.message, /exec: "bash": executable file not found in \$PATH: unknown$/);
  });

  const pod = (name: string, container: Record<string, unknown>): KubeObject => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name },
    spec: { nodeName: "node1", restartPolicy: "Never", containers: [{ name, ...container }] },
  });
  const runs = (name: string) =>
    eventually(
      async () => (await c.get(paths.pod(NS, name))).body.status?.phase === "Running",
      5000,
      `${name} to run`,
    );

  it("attach to a shell that keeps its stdin open (kubectl run -i) is that shell; the container ends with it", async () => {
    const shell = { image: "busybox:1.36", args: ["sh"], stdin: true, stdinOnce: true };
    assertOk(await c.post(paths.pods(NS), pod("shell", shell)), 201);
    await runs("shell");
    const r = await runExec(c.url, attachPath("shell"), { stdin: "echo hello from $(hostname)\nexit 3\n" });
    assert.equal(r.streams[1], "hello from shell\n");
    assert.equal(r.streams[3], '{"metadata":{},"status":"Success"}');
    await eventually(
      async () => {
        const { status } = (await c.get(paths.pod(NS, "shell"))).body;
        return status.phase === "Failed" && status.containerStatuses[0].state.terminated?.exitCode === 3;
      },
      5000,
      "the container to end with the shell's exit code",
    );
  });

  it("an attached shell's session ends when its pod is deleted", async () => {
    const shell = { image: "busybox:1.36", args: ["sh"], stdin: true, tty: true };
    assertOk(await c.post(paths.pods(NS), pod("doomed", shell)), 201);
    await runs("doomed");
    const s = connect(c.url, attachPath("doomed"));
    await s.opened;
    assertOk(await c.delete(`${paths.pod(NS, "doomed")}?gracePeriodSeconds=0`));
    const code = await Promise.race([s.closed, new Promise((r) => setTimeout(() => r("still open"), 5000))]);
    assert.equal(code, 1000);
  });

  it("attach to any other process streams what it writes from then on", async () => {
    const ticker = {
      image: "busybox:1.36",
      command: ["sh", "-c", "echo started; while true; do echo tick; sleep 1; done"],
    };
    assertOk(await c.post(paths.pods(NS), pod("ticker", ticker)), 201);
    await runs("ticker");
    const s = connect(c.url, attachPath("ticker", ["stdout"]));
    await s.opened;
    await eventually(async () => (channels(s.frames)[1] ?? "").includes("tick\n"), 5000, "a tick");
    s.ws.terminate();
    assert.match(channels(s.frames)[1], /^(tick\n)+$/, "only lines written after the attach");
  });

  it("a container that never started is refused before the upgrade", async () => {
    assertFailure(await refusal(c.url, execPath("stuck")), {
      code: 400,
      reason: "BadRequest",
      message: 'unable to upgrade connection: container not found ("main")',
    });
  });
});
