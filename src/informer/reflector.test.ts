import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ApiError } from "../api/errors.js";
import type { KubeObject } from "../api/object.js";
import { LocalClient } from "../apiserver/local-client.js";
import { Registry } from "../apiserver/registry/registry.js";
import type {
  Client,
  ListOptions,
  ObjectList,
  ResourceType,
  WatchEvent,
  WatchOptions,
} from "../client/client.js";
import { FakeTimer } from "../client/fake-timer.js";
import { transportError } from "../client/response-error.js";
import { openBackend } from "../storage/registry.js";
import { Reflector, type ReflectorState, type ReflectorTarget } from "./reflector.js";

const configMaps: ResourceType = {
  group: "",
  version: "v1",
  resource: "configmaps",
  namespaced: true,
  kind: "ConfigMap",
};

const cm = (name: string, rv: string): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { namespace: "default", name, resourceVersion: rv },
});
const event = (type: WatchEvent["type"], name: string, rv: string): WatchEvent =>
  type === "BOOKMARK"
    ? { type, object: { kind: "ConfigMap", apiVersion: "v1", metadata: { resourceVersion: rv } } }
    : { type, object: cm(name, rv) };
const expired = (): WatchEvent => ({
  type: "ERROR",
  object: ApiError.expired("too old resource version: 1 (5)").toStatus() as unknown as KubeObject,
});

/** Records what the reflector writes, as lines that are easy to compare. */
class RecordingTarget implements ReflectorTarget {
  readonly log: string[] = [];
  replaced: KubeObject[] = [];
  private waiters: (() => void)[] = [];

  replace(objects: KubeObject[], rv: string): void {
    this.replaced = objects;
    this.push(`replace ${objects.map((o) => o.metadata.name).join(",")} @${rv}`);
  }

  apply(type: string, obj: KubeObject, rv: string): void {
    this.push(`${type} ${obj.metadata.name} @${rv}`);
  }

  bookmark(rv: string): void {
    this.push(`bookmark @${rv}`);
  }

  /** Resolves once some line satisfies `match`. */
  async until(match: (line: string) => boolean): Promise<void> {
    while (!this.log.some(match)) await new Promise<void>((r) => this.waiters.push(r));
  }

  private push(line: string): void {
    this.log.push(line);
    const w = this.waiters;
    this.waiters = [];
    for (const r of w) r();
  }
}

type Script<T> = (T | Error)[];

/**
 * A Client whose list and watch answers are scripted. When the watch script runs out, watch() stays open
 * until aborted, and `idle` resolves: the reflector has nothing left to do.
 */
class ScriptedClient implements Client {
  readonly lists: ListOptions[] = [];
  readonly watches: WatchOptions[] = [];
  readonly idle: Promise<void>;
  private markIdle!: () => void;

  constructor(
    private readonly listScript: Script<ObjectList>,
    private readonly watchScript: Script<WatchEvent[]>,
  ) {
    this.idle = new Promise((r) => {
      this.markIdle = r;
    });
  }

  async list(_t: ResourceType, _ns: string | undefined, options: ListOptions = {}): Promise<ObjectList> {
    this.lists.push(options);
    const next = this.listScript.shift();
    if (!next) throw new Error("list script exhausted");
    if (next instanceof Error) throw next;
    return next;
  }

  async *watch(_t: ResourceType, _ns: string | undefined, options: WatchOptions, signal?: AbortSignal) {
    this.watches.push(options);
    const next = this.watchScript.shift();
    if (next instanceof Error) throw next;
    if (next) {
      yield* next;
      return;
    }
    this.markIdle();
    await new Promise((r) => signal?.addEventListener("abort", r));
  }

  get = unsupported;
  create = unsupported;
  update = unsupported;
  patch = unsupported;
  delete = unsupported;
  createSubresource = unsupported;
}

async function unsupported(): Promise<never> {
  throw new Error("not used by the reflector");
}

/** Runs a reflector over a scripted client until it is idle, then stops it. */
async function runScript(listScript: Script<ObjectList>, watchScript: Script<WatchEvent[]>) {
  const client = new ScriptedClient(listScript, watchScript);
  const target = new RecordingTarget();
  const timer = new FakeTimer();
  const states: ReflectorState[] = [];
  const reflector = new Reflector(client, configMaps, target, {
    timer,
    random: () => 0,
    // Every watch is "long" on the fake clock unless a test says otherwise.
    onStateChange: (s) => {
      states.push(s);
      if (s.phase === "Watching") timer.advance(5_000);
    },
  });
  const controller = new AbortController();
  const run = reflector.run(controller.signal);
  await client.idle;
  controller.abort();
  await run;
  return { client, target, timer, states, reflector };
}

const list = (rv: string, names: string[], cont?: string): ObjectList => ({
  items: names.map((n) => cm(n, rv)),
  resourceVersion: rv,
  continue: cont,
});

describe("Reflector (scripted server)", () => {
  it("lists, watches from the list's resourceVersion, and resumes after a clean end without relisting", async () => {
    const { client, target, timer, reflector } = await runScript(
      [list("10", ["a", "b"])],
      [
        [event("ADDED", "c", "11"), event("MODIFIED", "a", "12"), event("BOOKMARK", "", "15")],
        [event("DELETED", "b", "16")],
      ],
    );
    assert.deepEqual(target.log, [
      "replace a,b @10",
      "ADDED c @11",
      "MODIFIED a @12",
      "bookmark @15",
      "DELETED b @16",
    ]);
    assert.deepEqual(
      client.watches.map((w) => w.resourceVersion),
      ["10", "15", "16"],
      "each watch resumes at the last resourceVersion seen, bookmarks included",
    );
    assert.equal(client.lists.length, 1);
    assert.deepEqual(timer.sleeps, []);
    for (const w of client.watches) {
      assert.equal(w.allowWatchBookmarks, true);
      assert.equal(w.timeoutSeconds, 300);
    }
    assert.equal(reflector.lastSyncResourceVersion, "16");
    assert.deepEqual(reflector.state, { phase: "Stopped" });
  });

  it("pages through a list with continue tokens and applies it as one replace", async () => {
    const { client, target } = await runScript(
      [list("7", ["a"], "t1"), list("7", ["b"], "t2"), list("7", ["c"])],
      [],
    );
    assert.deepEqual(target.log, ["replace a,b,c @7"]);
    assert.deepEqual(
      client.lists.map((l) => [l.resourceVersion, l.continue, l.limit]),
      [
        ["0", undefined, 500],
        [undefined, "t1", 500],
        [undefined, "t2", 500],
      ],
    );
  });

  it("relists after a 410 ERROR event, with backoff, asking for state at least as new as it had", async () => {
    const { client, target, timer, states } = await runScript(
      [list("10", ["a"]), list("30", ["a", "z"])],
      [[event("ADDED", "b", "11"), expired()]],
    );
    assert.deepEqual(target.log, ["replace a @10", "ADDED b @11", "replace a,z @30"]);
    assert.deepEqual(
      client.lists.map((l) => l.resourceVersion),
      ["0", "11"],
    );
    assert.deepEqual(timer.sleeps, [800]);
    const backoff = states.find((s) => s.phase === "BackingOff");
    assert.equal(backoff?.phase === "BackingOff" && (backoff.error as ApiError).code, 410);
    assert.deepEqual(client.watches.at(-1)?.resourceVersion, "30");
  });

  it('lists from scratch (resourceVersion "") when the list itself answers 410', async () => {
    const { client, timer } = await runScript([ApiError.expired("too old"), list("40", ["a"])], []);
    assert.deepEqual(
      client.lists.map((l) => l.resourceVersion),
      ["0", ""],
    );
    assert.deepEqual(timer.sleeps, [800]);
  });

  it("backs off longer after each consecutive failure", async () => {
    const boom = () => ApiError.internal("etcd is sad");
    const { timer, client } = await runScript([boom(), boom(), boom(), list("1", [])], []);
    assert.deepEqual(timer.sleeps, [800, 1600, 3200]);
    assert.equal(client.lists.length, 4);
  });

  it("retries the watch itself, without relisting, when the connection is refused", async () => {
    const refused = transportError(
      "GET",
      "http://x",
      Object.assign(new Error("connect"), { code: "ECONNREFUSED" }),
    );
    const { client, timer } = await runScript([list("5", ["a"])], [refused]);
    assert.equal(client.lists.length, 1);
    assert.deepEqual(
      client.watches.map((w) => w.resourceVersion),
      ["5", "5"],
    );
    assert.deepEqual(timer.sleeps, [800]);
  });

  it("relists after a watch that fails for another reason", async () => {
    const { client } = await runScript([list("5", ["a"]), list("9", ["a"])], [ApiError.internal("boom")]);
    assert.deepEqual(
      client.lists.map((l) => l.resourceVersion),
      ["0", "5"],
    );
  });

  it("treats a watch the server ends at once without events as a failure (client-go's very short watch)", async () => {
    const client = new ScriptedClient([list("5", []), list("6", [])], [[]]);
    const timer = new FakeTimer();
    const reflector = new Reflector(client, configMaps, new RecordingTarget(), { timer, random: () => 0 });
    const controller = new AbortController();
    const run = reflector.run(controller.signal);
    await client.idle;
    controller.abort();
    await run;
    assert.equal(client.lists.length, 2);
    assert.deepEqual(timer.sleeps, [800]);
  });

  it("stops promptly when aborted while backing off", async () => {
    const client = new ScriptedClient([new Error("down")], []);
    const controller = new AbortController();
    const timer = new FakeTimer();
    timer.sleep = async () => {
      controller.abort();
      return false;
    };
    const reflector = new Reflector(client, configMaps, new RecordingTarget(), { timer });
    await reflector.run(controller.signal);
    assert.deepEqual(reflector.state, { phase: "Stopped" });
  });
});

/**
 * Wraps a real client so a test decides when watches end and restart: it can end the open watch (as a server
 * timeout does) and hold the next watch call until released.
 */
class ControllableClient implements Client {
  readonly watchCalls: WatchOptions[] = [];
  private readonly open = new Set<AbortController>();
  private held: Promise<void> | undefined;
  private release: (() => void) | undefined;
  private callWaiters: (() => void)[] = [];

  constructor(private readonly inner: Client) {}

  get = (...a: Parameters<Client["get"]>) => this.inner.get(...a);
  list = (...a: Parameters<Client["list"]>) => this.inner.list(...a);
  create = (...a: Parameters<Client["create"]>) => this.inner.create(...a);
  update = (...a: Parameters<Client["update"]>) => this.inner.update(...a);
  patch = (...a: Parameters<Client["patch"]>) => this.inner.patch(...a);
  delete = (...a: Parameters<Client["delete"]>) => this.inner.delete(...a);
  createSubresource = (...a: Parameters<Client["createSubresource"]>) => this.inner.createSubresource(...a);

  async *watch(type: ResourceType, ns: string | undefined, options: WatchOptions, signal?: AbortSignal) {
    this.watchCalls.push(options);
    for (const w of this.callWaiters.splice(0)) w();
    const end = new AbortController();
    signal?.addEventListener("abort", () => end.abort(), { once: true });
    this.open.add(end);
    try {
      if (this.held) await this.held;
      yield* this.inner.watch(type, ns, options, end.signal);
    } finally {
      this.open.delete(end);
    }
  }

  /** Ends every open watch the way a server timeout does: the stream just stops. */
  endWatches(): void {
    for (const c of this.open) c.abort();
  }

  holdWatches(): void {
    this.held = new Promise((r) => {
      this.release = r;
    });
  }

  releaseWatches(): void {
    this.release?.();
    this.held = undefined;
  }

  async untilWatchCalls(n: number): Promise<void> {
    while (this.watchCalls.length < n) await new Promise<void>((r) => this.callWaiters.push(r));
  }
}

describe("Reflector against a real registry", () => {
  let registry: Registry;
  let local: LocalClient;
  before(async () => {
    // A watch window of 3 events per resource: a handful of writes pushes an old resourceVersion out of it.
    registry = await Registry.open(await openBackend("memory://"), { watchWindow: 3 });
    local = new LocalClient(registry);
  });
  after(() => registry.stop());

  // The 410 here is genuine: the reflector resumes from a resourceVersion that has fallen out of the server's
  // watch window, exactly as after a long disconnect. The wrapper only decides when the watch restarts, so
  // the test needs no sleeps and no injected ERROR.
  it("recovers from a real 410 Expired by relisting, then keeps watching", async () => {
    const client = new ControllableClient(local);
    const target = new RecordingTarget();
    const timer = new FakeTimer();
    const states: ReflectorState[] = [];
    const reflector = new Reflector(client, configMaps, target, {
      namespace: "default",
      timer,
      random: () => 0,
      onStateChange: (s) => states.push(s),
    });
    const controller = new AbortController();
    const run = reflector.run(controller.signal);
    await local.create(configMaps, "default", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "first" },
    });
    await target.until((l) => l.includes("first"));
    const resumeAt = reflector.lastSyncResourceVersion;

    // The server ends the watch after a while; the next watch is held while the world moves on.
    client.holdWatches();
    timer.advance(60_000);
    client.endWatches();
    await client.untilWatchCalls(2);
    for (let i = 0; i < 5; i++) {
      await local.create(configMaps, "default", {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: `later-${i}` },
      });
    }
    client.releaseWatches();
    await target.until((l) => l.startsWith("replace") && l.includes("later-4"));

    assert.equal(
      client.watchCalls[1].resourceVersion,
      resumeAt,
      "the watch resumed where it was, without relisting",
    );
    const backoff = states.find((s) => s.phase === "BackingOff");
    assert.equal(backoff?.phase === "BackingOff" && (backoff.error as ApiError).code, 410);
    assert.deepEqual(
      target.replaced.map((o) => o.metadata.name),
      ["first", "later-0", "later-1", "later-2", "later-3", "later-4"],
    );
    assert.equal(target.log.filter((l) => l.startsWith("replace")).length, 2, "exactly one relist");

    // Watching again after the relist.
    await local.create(configMaps, "default", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "after" },
    });
    await target.until((l) => l.startsWith("ADDED after"));
    controller.abort();
    await run;
  });
});
