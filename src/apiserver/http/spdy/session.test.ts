// The SPDY session against a bare client on a loopback connection: streams opened and answered, data both
// ways with FIN and RST, PING, flow control (kept only once the client shows it keeps windows), WINDOW_UPDATEs
// for large input, the graceful GOAWAY close, protocol errors, and kubectl's real frames.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AsyncQueue } from "../../../util/async-queue.js";
import {
  type DataFrame,
  FLAG_FIN,
  GoAwayStatus,
  RstStatus,
  SETTINGS_INITIAL_WINDOW_SIZE,
} from "./frame-codec.js";
import { KUBECTL_EXEC_STREAM_TYPES, KUBECTL_EXEC_STREAMS } from "./kubectl-capture.suite.js";
import { DEFAULT_WINDOW, MAX_DATA_CHUNK, SpdySession, type SpdySessionOptions } from "./session.js";
import type { SpdyStream } from "./stream.js";
import { connectedPair, type ReceivedFrame, type TestSpdyClient } from "./test-client.suite.js";

interface Fixture {
  session: SpdySession;
  client: TestSpdyClient;
  /** The next stream the client opened, as the session handed it over. */
  nextStream(): Promise<SpdyStream>;
}

/** Runs `test` against a started session, then tears both ends down. */
async function withSession(
  test: (f: Fixture) => Promise<void>,
  options: Partial<SpdySessionOptions> = {},
): Promise<void> {
  const { server, client } = await connectedPair();
  const streams = new AsyncQueue<SpdyStream>();
  const session = new SpdySession(server, { onStream: (s) => streams.push(s), ...options });
  session.start();
  try {
    await test({
      session,
      client,
      nextStream: async () => {
        const next = await streams.next();
        assert.ok(!next.done, "a stream");
        return next.value;
      },
    });
  } finally {
    client.close();
    session.destroy();
  }
}

async function readAll(stream: SpdyStream): Promise<string> {
  let text = "";
  for await (const chunk of stream.data) text += chunk.toString();
  return text;
}

const isData = (streamId: number) => (f: ReceivedFrame) => f.type === "data" && f.streamId === streamId;

/** Data received on `streamId` until its FIN. */
async function readStream(client: TestSpdyClient, streamId: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (;;) {
    const { frame } = await client.until(isData(streamId));
    const data = frame as DataFrame;
    parts.push(data.data);
    if (data.flags & FLAG_FIN) return Buffer.concat(parts);
  }
}

/** Round-trips a PING: every frame the server sent before the echo has arrived by then. */
async function ping(client: TestSpdyClient, id: number): Promise<ReceivedFrame[]> {
  client.send({ type: "ping", id });
  const { skipped } = await client.until((f) => f.type === "ping" && f.id === id);
  return skipped;
}

describe("SpdySession", () => {
  it("answers each stream the client opens with an empty SYN_REPLY and hands it over", () =>
    withSession(async ({ client, nextStream }) => {
      await client.open(1, { streamtype: "error" });
      await client.open(3, { streamtype: "stdin", extra: "x" });
      const [error, stdin] = [await nextStream(), await nextStream()];
      assert.deepEqual([error.id, error.header("streamtype")], [1, "error"]);
      assert.deepEqual([stdin.id, stdin.header("streamtype"), stdin.header("extra")], [3, "stdin", "x"]);
      for (const id of [1, 3]) {
        const { frame } = await client.until((f) => f.type === "syn_reply");
        assert.deepEqual([frame.type === "syn_reply" && frame.streamId, frame.headers], [id, new Map()]);
      }
    }));

  it("delivers the client's data until its FIN, and sends data then FIN", () =>
    withSession(async ({ client, nextStream }) => {
      await client.open(1, { streamtype: "stdin" });
      const stream = await nextStream();
      client.send({ type: "data", streamId: 1, flags: 0, data: Buffer.from("hello ") });
      client.send({ type: "data", streamId: 1, flags: FLAG_FIN, data: Buffer.from("world") });
      assert.equal(await readAll(stream), "hello world");
      assert.equal(stream.remoteClosed, true);
      stream.write("back");
      stream.end();
      stream.write("dropped after end");
      assert.equal((await readStream(client, 1)).toString(), "back");
      assert.equal(stream.localClosed, true);
    }));

  it("sends output past 64 KiB to a client that keeps no windows (Go's spdystream), in chunks", () =>
    withSession(async ({ client, nextStream }) => {
      await client.open(1, { streamtype: "stdout" });
      const stream = await nextStream();
      const big = Buffer.alloc(3 * DEFAULT_WINDOW, "x");
      stream.write(big);
      stream.end();
      const frames: DataFrame[] = [];
      for (;;) {
        const { frame } = await client.until(isData(1));
        frames.push(frame as DataFrame);
        if ((frame as DataFrame).flags & FLAG_FIN) break;
      }
      assert.ok(frames.every((f) => f.data.length <= MAX_DATA_CHUNK));
      assert.ok(Buffer.concat(frames.map((f) => f.data)).equals(big));
    }));

  it("keeps the client's windows once it announces one, resuming on WINDOW_UPDATE", () =>
    withSession(async ({ client, nextStream }) => {
      client.send({
        type: "settings",
        flags: 0,
        settings: [{ id: SETTINGS_INITIAL_WINDOW_SIZE, flags: 0, value: 1000 }],
      });
      await client.open(1, { streamtype: "stdout" });
      const stream = await nextStream();
      stream.write(Buffer.alloc(3000, "a"));
      stream.end();
      const sent = (frames: ReceivedFrame[]) =>
        frames.filter(isData(1)).reduce((n, f) => n + (f as DataFrame).data.length, 0);
      assert.equal(sent(await ping(client, 1)), 1000);
      client.send({ type: "window_update", streamId: 1, delta: 1500 });
      assert.equal(sent(await ping(client, 3)), 1500);
      client.send({ type: "window_update", streamId: 1, delta: 5000 });
      const rest = await readStream(client, 1);
      assert.equal(rest.length, 500);
    }));

  it("opens the client's windows again as its data is consumed (large stdin)", () =>
    withSession(async ({ client, nextStream }) => {
      await client.open(1, { streamtype: "stdin" });
      const stream = await nextStream();
      const chunk = Buffer.alloc(10 * 1024, "i");
      for (let i = 0; i < 4; i++) client.send({ type: "data", streamId: 1, flags: 0, data: chunk });
      const reader = stream.data[Symbol.asyncIterator]();
      let consumed = 0;
      while (consumed < 4 * chunk.length) consumed += (await reader.next()).value?.length ?? 0;
      const updates = (await ping(client, 1)).filter((f) => f.type === "window_update");
      // The session's window on arrival, the stream's as the reader took the data, each past half a window.
      assert.deepEqual(updates, [
        { type: "window_update", streamId: 0, delta: 4 * chunk.length },
        { type: "window_update", streamId: 1, delta: 4 * chunk.length },
      ]);
    }));

  it("echoes the client's PINGs (odd ids) and ignores even ones", () =>
    withSession(async ({ client }) => {
      client.send({ type: "ping", id: 2 });
      const skipped = await ping(client, 7);
      assert.deepEqual(skipped, []);
    }));

  it("ends a stream the client resets, dropping what was to be written", () =>
    withSession(async ({ client, nextStream }) => {
      await client.open(1, { streamtype: "stdin" });
      const stream = await nextStream();
      client.send({ type: "rst_stream", streamId: 1, status: RstStatus.CANCEL });
      assert.equal(await readAll(stream), "");
      stream.write("nobody listens");
      const skipped = await ping(client, 1);
      assert.deepEqual(skipped.filter(isData(1)), []);
    }));

  it("resets a stream opened out of order", () =>
    withSession(async ({ client }) => {
      await client.open(5, { streamtype: "error" });
      await client.open(3, { streamtype: "stdin" });
      await client.open(4, { streamtype: "stdout" });
      const skipped = await ping(client, 1);
      assert.deepEqual(
        skipped.map((f) => [f.type, "streamId" in f && f.streamId]),
        [
          ["syn_reply", 5],
          ["rst_stream", 3],
          ["rst_stream", 4],
        ],
      );
    }));

  it("closes gracefully: output and FINs, GOAWAY naming the last stream, its FIN, then waits for the client", () =>
    withSession(async ({ session, client, nextStream }) => {
      await client.open(1, { streamtype: "error" });
      await client.open(3, { streamtype: "stdout" });
      const [error, stdout] = [await nextStream(), await nextStream()];
      stdout.write("out");
      error.write("status");
      error.end();
      stdout.end();
      const closed = session.close();
      const frames = await client.rest();
      assert.deepEqual(
        frames.map((f) => (f.type === "data" ? [f.streamId, f.data.toString(), f.flags] : f.type)),
        [
          "syn_reply",
          "syn_reply",
          [3, "out", 0],
          [1, "status", 0],
          [1, "", FLAG_FIN],
          [3, "", FLAG_FIN],
          "goaway",
        ],
      );
      assert.deepEqual(frames.at(-1), { type: "goaway", lastGoodStreamId: 3, status: GoAwayStatus.OK });
      // The server has half-closed and waits for the client to close its end.
      assert.equal(session.closed.aborted, false);
      client.socket.end();
      await closed;
      assert.equal(session.closed.aborted, true);
    }));

  it("answers a malformed frame with GOAWAY PROTOCOL_ERROR and drops the connection", () =>
    withSession(async ({ session, client }) => {
      client.socket.write(Buffer.from("800200060000000400000001", "hex"));
      const frames = await client.rest();
      assert.deepEqual(frames, [
        { type: "goaway", lastGoodStreamId: 0, status: GoAwayStatus.PROTOCOL_ERROR },
      ]);
      assert.equal(session.closed.aborted, true);
    }));

  it("ends every stream when the client goes away", () =>
    withSession(async ({ session, client, nextStream }) => {
      await client.open(1, { streamtype: "stdin" });
      const stream = await nextStream();
      const aborted = new Promise((resolve) => session.closed.addEventListener("abort", resolve));
      client.socket.destroy();
      assert.equal(await readAll(stream), "");
      await aborted;
    }));

  it("serves kubectl's own frames: its four streams, then stdin and its FIN", () =>
    withSession(async ({ client, nextStream }) => {
      client.socket.write(KUBECTL_EXEC_STREAMS);
      const streams = [];
      for (const _ of KUBECTL_EXEC_STREAM_TYPES) streams.push(await nextStream());
      assert.deepEqual(
        streams.map((s) => s.header("streamtype")),
        KUBECTL_EXEC_STREAM_TYPES,
      );
      assert.equal(await readAll(streams[1]), "hi\n");
    }));
});
