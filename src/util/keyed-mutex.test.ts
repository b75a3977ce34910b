// Tests of the keyed async mutex: one holder per key in arrival order, keys independent, idle keys forgotten.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KeyedMutex } from "./keyed-mutex.js";

/** Lets every pending promise continuation run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("KeyedMutex", () => {
  it("runs holders of one key one at a time, in arrival order", async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const releases: (() => void)[] = [];
    const holders = ["a", "b", "c"].map((name) =>
      mutex.lock("ns").then((release) => {
        log.push(name);
        releases.push(release);
      }),
    );
    await settle();
    assert.deepEqual(log, ["a"]);
    releases[0]();
    await settle();
    assert.deepEqual(log, ["a", "b"]);
    releases[1]();
    await settle();
    releases[2]();
    await Promise.all(holders);
    assert.deepEqual(log, ["a", "b", "c"]);
    assert.equal(mutex.size, 0);
  });

  it("lets different keys proceed together", async () => {
    const mutex = new KeyedMutex();
    const first = await mutex.lock("a");
    const second = await mutex.lock("b");
    assert.equal(mutex.size, 2);
    first();
    second();
    assert.equal(mutex.size, 0);
  });

  it("releases after run, also when the work throws, and ignores a second release", async () => {
    const mutex = new KeyedMutex();
    await assert.rejects(
      mutex.run("k", () => {
        throw new Error("boom");
      }),
      /boom/,
    );
    assert.equal(await mutex.run("k", () => 42), 42);
    const release = await mutex.lock("k");
    release();
    release();
    assert.equal(await mutex.run("k", async () => "again"), "again");
    assert.equal(mutex.size, 0);
  });

  it("idle resolves once every holder and waiter so far has released", async () => {
    const mutex = new KeyedMutex();
    const finished: string[] = [];
    let releaseFirst!: () => void;
    const first = mutex.run("a", () =>
      new Promise<void>((r) => (releaseFirst = r)).then(() => finished.push("a1")),
    );
    const second = mutex.run("a", () => finished.push("a2"));
    const other = mutex.run("b", () => finished.push("b"));
    let idle = false;
    const idled = mutex.idle().then(() => (idle = true));
    await other;
    assert.equal(idle, false, "a is still held");
    releaseFirst();
    await idled;
    assert.deepEqual(finished, ["b", "a1", "a2"]);
    await Promise.all([first, second]);
  });
});
