// The kubelet's side of remote-command over SPDY: protocol negotiation from X-Stream-Protocol-Version, the
// streams an exec waits for, and an exec's transport end to end against a bare client (101, streams by
// `streamtype`, stdin, output, resize, the Status on the error stream, FINs and GOAWAY).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ApiError } from "../../../api/errors.js";
import type { ChannelStatus, TerminalSize } from "../exec-channels.js";
import type { ExecOptions, ExecTransport } from "../pod-exec.js";
import { FLAG_FIN } from "./frame-codec.js";
import { KUBECTL_EXEC_STREAMS } from "./kubectl-capture.suite.js";
import {
  acceptSpdyExec,
  expectedStreamTypes,
  negotiateStreamProtocol,
  SPDY_STREAM_PROTOCOLS,
} from "./remote-command.js";
import { connectedPair, type ReceivedFrame, type TestSpdyClient } from "./test-client.suite.js";

const protocol = (name: string) => {
  const found = SPDY_STREAM_PROTOCOLS.find((p) => p.name === name);
  assert.ok(found, name);
  return found;
};

const KUBECTL_129 =
  "v5.channel.k8s.io, v4.channel.k8s.io, v3.channel.k8s.io, v2.channel.k8s.io, channel.k8s.io";
const KUBECTL_127 = "v4.channel.k8s.io, v3.channel.k8s.io, v2.channel.k8s.io, channel.k8s.io";

describe("negotiateStreamProtocol", () => {
  const chosen: [string | string[], string][] = [
    [KUBECTL_129, "v5.channel.k8s.io"],
    [KUBECTL_127, "v4.channel.k8s.io"],
    [["v3.channel.k8s.io", "v4.channel.k8s.io"], "v3.channel.k8s.io"],
    ["bogus, v2.channel.k8s.io", "v2.channel.k8s.io"],
    ["channel.k8s.io", "channel.k8s.io"],
  ];
  for (const [offered, name] of chosen) {
    it(`${JSON.stringify(offered)} → ${name}`, () =>
      assert.equal(negotiateStreamProtocol(offered).name, name));
  }

  it("refuses a client that offers none, as the kubelet does", () => {
    assert.throws(
      () => negotiateStreamProtocol(undefined),
      (err: ApiError) =>
        err.code === 400 && err.message === "unable to upgrade: X-Stream-Protocol-Version is required",
    );
  });

  it("refuses protocols it does not serve over SPDY (base64 is for WebSockets) with 403", () => {
    assert.throws(
      () => negotiateStreamProtocol("v4.base64.channel.k8s.io"),
      (err: ApiError) =>
        err.code === 403 &&
        err.message ===
          "unable to upgrade: unable to negotiate protocol: client supports [v4.base64.channel.k8s.io], " +
            "server accepts [v5.channel.k8s.io v4.channel.k8s.io v3.channel.k8s.io v2.channel.k8s.io channel.k8s.io]",
    );
  });
});

const options = (o: Partial<ExecOptions>): ExecOptions => ({
  subresource: "exec",
  container: "c",
  command: ["sh"],
  stdin: false,
  stdout: true,
  stderr: true,
  tty: false,
  ...o,
});

describe("expectedStreamTypes", () => {
  const cases: [Partial<ExecOptions>, string, string[]][] = [
    [{}, "v4.channel.k8s.io", ["error", "stdout", "stderr"]],
    [{ stdin: true }, "v4.channel.k8s.io", ["error", "stdin", "stdout", "stderr"]],
    [{ stdin: true, stderr: false, tty: true }, "v5.channel.k8s.io", ["error", "stdin", "stdout", "resize"]],
    // Terminal resizing came with v3.
    [{ stdin: true, stderr: false, tty: true }, "v2.channel.k8s.io", ["error", "stdin", "stdout"]],
  ];
  for (const [o, name, types] of cases) {
    it(`${JSON.stringify(o)} over ${name}: ${types.join(", ")}`, () =>
      assert.deepEqual(expectedStreamTypes(options(o), protocol(name)), types));
  }
});

/** Everything the client got on each stream, and whether each was FIN'd, until the server's GOAWAY. */
async function drain(client: TestSpdyClient) {
  const data: Record<number, string> = {};
  const fin: number[] = [];
  let goaway: ReceivedFrame | undefined;
  while (!goaway) {
    const frame = await client.next();
    assert.ok(frame, "a GOAWAY before the connection ends");
    if (frame.type === "goaway") goaway = frame;
    if (frame.type !== "data") continue;
    if (frame.data.length > 0) data[frame.streamId] = (data[frame.streamId] ?? "") + frame.data.toString();
    if (frame.flags & FLAG_FIN) fin.push(frame.streamId);
  }
  return { data, fin, goaway };
}

/** Upgrades a loopback connection and opens `streams` ([id, streamtype]) as kubectl would. */
async function exec(name: string, o: Partial<ExecOptions>, streams: [number, string][]) {
  const { server, client } = await connectedPair({ httpResponse: true });
  const accepted = acceptSpdyExec(server, Buffer.alloc(0), protocol(name), options(o));
  for (const [id, streamtype] of streams) await client.open(id, { streamtype });
  const transport = await accepted;
  assert.ok(transport, "the streams were accepted");
  return { client, transport };
}

async function finish(client: TestSpdyClient, transport: ExecTransport, status: ChannelStatus) {
  const finished = transport.finish(status);
  const seen = await drain(client);
  client.socket.end();
  await finished;
  client.close();
  return seen;
}

describe("acceptSpdyExec", () => {
  it("answers 101 with the protocol, then runs over the streams and reports the Status (v4)", async () => {
    const { client, transport } = await exec("v4.channel.k8s.io", { stdin: true }, [
      [1, "error"],
      [3, "stdin"],
      [5, "stdout"],
      [7, "stderr"],
    ]);
    assert.match(client.httpResponse, /^HTTP\/1\.1 101 Switching Protocols\r\n/);
    assert.match(client.httpResponse, /\r\nUpgrade: SPDY\/3\.1\r\n/);
    assert.match(client.httpResponse, /\r\nX-Stream-Protocol-Version: v4\.channel\.k8s\.io\r\n/);
    client.send({ type: "data", streamId: 3, flags: FLAG_FIN, data: Buffer.from("input") });
    let stdin = "";
    for await (const chunk of transport.stdin) stdin += Buffer.from(chunk).toString();
    assert.equal(stdin, "input");
    transport.stdout("out");
    transport.stderr("err");
    const status: ChannelStatus = {
      status: "Failure",
      reason: "NonZeroExitCode",
      message: "command terminated with non-zero exit code: command terminated with exit code 3",
      details: { causes: [{ reason: "ExitCode", message: "3" }] },
    };
    const { data, fin, goaway } = await finish(client, transport, status);
    assert.deepEqual(JSON.parse(data[1]), { metadata: {}, ...status });
    assert.deepEqual([data[5], data[7]], ["out", "err"]);
    assert.deepEqual(fin.sort(), [1, 3, 5, 7]);
    assert.deepEqual(goaway, { type: "goaway", lastGoodStreamId: 7, status: 0 });
    assert.equal(transport.closed.aborted, true);
  });

  it("before v4, the error stream carries only a failure's message, as text", async () => {
    for (const [status, expected] of [
      [{ status: "Success" }, undefined],
      [{ status: "Failure", message: "boom" }, "boom"],
    ] as [ChannelStatus, string | undefined][]) {
      const { client, transport } = await exec("v2.channel.k8s.io", {}, [
        [1, "error"],
        [3, "stdout"],
        [5, "stderr"],
      ]);
      const { data } = await finish(client, transport, status);
      assert.equal(data[1], expected);
    }
  });

  it("reads terminal sizes from the resize stream, one JSON object a line, across frames", async () => {
    const { client, transport } = await exec("v4.channel.k8s.io", { tty: true, stderr: false }, [
      [1, "error"],
      [3, "stdout"],
      [5, "resize"],
    ]);
    const sizes: TerminalSize[] = [];
    const two = new Promise<void>((resolve) =>
      transport.onResize((size) => {
        sizes.push(size);
        if (sizes.length === 2) resolve();
      }),
    );
    for (const part of ['{"Width":80,"Hei', 'ght":24}\n{"Width":120,"Height":40}\n'])
      client.send({ type: "data", streamId: 5, flags: 0, data: Buffer.from(part) });
    await two;
    assert.deepEqual(sizes, [
      { width: 80, height: 24 },
      { width: 120, height: 40 },
    ]);
    await finish(client, transport, { status: "Success" });
  });

  it("gives up when the client does not open its streams in time, closing the connection", async () => {
    const { server, client } = await connectedPair({ httpResponse: true });
    const accepted = acceptSpdyExec(server, Buffer.alloc(0), protocol("v4.channel.k8s.io"), options({}), 1);
    try {
      assert.deepEqual(await client.rest(), [{ type: "goaway", lastGoodStreamId: 0, status: 0 }]);
    } finally {
      client.socket.end();
    }
    assert.equal(await accepted, undefined);
    client.close();
  });

  it("gives up when the client leaves before opening its streams", async () => {
    const { server, client } = await connectedPair({ httpResponse: true });
    const accepted = acceptSpdyExec(server, Buffer.alloc(0), protocol("v4.channel.k8s.io"), options({}));
    await client.open(1, { streamtype: "error" });
    await client.until((f) => f.type === "syn_reply");
    client.close();
    assert.equal(await accepted, undefined);
  });

  it("gives up at once when the frames that came with the request are malformed", async () => {
    const { server, client } = await connectedPair({ httpResponse: true });
    const garbage = Buffer.from("800200060000000400000001", "hex");
    const accepted = acceptSpdyExec(server, garbage, protocol("v4.channel.k8s.io"), options({}));
    assert.equal(await accepted, undefined);
    assert.deepEqual(await client.rest(), [{ type: "goaway", lastGoodStreamId: 0, status: 1 }]);
    client.close();
  });

  it("takes frames that came with the upgrade request (head)", async () => {
    const { server, client } = await connectedPair({ httpResponse: true });
    const accepted = acceptSpdyExec(
      server,
      KUBECTL_EXEC_STREAMS,
      protocol("v4.channel.k8s.io"),
      options({ stdin: true }),
    );
    const transport = await accepted;
    assert.ok(transport);
    let stdin = "";
    for await (const chunk of transport.stdin) stdin += Buffer.from(chunk).toString();
    assert.equal(stdin, "hi\n");
    const { fin } = await finish(client, transport, { status: "Success" });
    assert.deepEqual(fin.sort(), [1, 3, 5, 7]);
  });
});
