// EventRecorder: client-go's correlation — dedup of identical events, aggregation from the 10th distinct
// similar message within a sliding 10-minute window, the per-object spam filter — and container field paths.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../api/object.js";
import type { Client } from "./client.js";
import { EventRecorder } from "./event-recorder.js";

/** A Client that keeps created events by name and applies merge patches to them. */
function eventStore() {
  const events = new Map<string, KubeObject>();
  const client = {
    async create(_type: unknown, _ns: string | undefined, obj: KubeObject) {
      events.set(obj.metadata.name ?? "", structuredClone(obj));
      return obj;
    },
    async patch(_type: unknown, _ns: string | undefined, name: string, _pt: unknown, patch: unknown) {
      const current = events.get(name);
      if (!current) throw new Error(`no event ${name}`);
      Object.assign(current, patch);
      return current;
    },
  } as unknown as Client;
  return { client, events: () => [...events.values()] };
}

const pod: KubeObject = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web-1", namespace: "ns", uid: "u1", resourceVersion: "7" },
};

function recorderAt(start = 1_000_000) {
  const store = eventStore();
  let now = start;
  const recorder = new EventRecorder(store.client, { component: "kubelet", host: "node1" }, () => now);
  return {
    recorder,
    events: store.events,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const messages = (events: KubeObject[]) => events.map((e) => `${e.message} x${e.count}`);

describe("EventRecorder", () => {
  it("writes through its gate, keeping the times of when the events happened", async () => {
    const store = eventStore();
    const held: (() => void)[] = [];
    let now = 1_000_000;
    const recorder = new EventRecorder(
      store.client,
      { component: "kubelet", host: "node1" },
      () => now,
      undefined,
      (write) => new Promise((resolve, reject) => held.push(() => void write().then(resolve, reject))),
    );
    recorder.event(pod, "Normal", "Pulled", "pulled");
    recorder.event(pod, "Normal", "Pulled", "pulled");
    assert.equal(store.events().length, 0, "nothing is written before the gate lets it through");
    now += 60_000;
    // The count bump waits behind the create, so it reaches the gate only once the create is through.
    for (let writes = 0; writes < 2; writes++) {
      await new Promise((resolve) => setImmediate(resolve));
      held.shift()?.();
    }
    await recorder.flush();
    const [event] = store.events();
    assert.equal(event.count, 2);
    assert.equal(event.firstTimestamp, new Date(1_000_000).toISOString().replace(".000Z", "Z"));
  });

  it("counts an identical event up instead of creating another", async () => {
    const { recorder, events, advance } = recorderAt();
    recorder.event(pod, "Warning", "BackOff", "Back-off restarting failed container main");
    advance(10_000);
    recorder.event(pod, "Warning", "BackOff", "Back-off restarting failed container main");
    advance(20_000);
    recorder.event(pod, "Warning", "BackOff", "Back-off restarting failed container main");
    await recorder.flush();
    const [only, ...rest] = events();
    assert.equal(rest.length, 0);
    assert.equal(only.count, 3);
    assert.equal(only.firstTimestamp, "1970-01-01T00:16:40Z");
    assert.equal(only.lastTimestamp, "1970-01-01T00:17:10Z");
  });

  it("a message repeated many times never counts as many similar events", async () => {
    const { recorder, events } = recorderAt();
    for (let i = 0; i < 15; i++) recorder.event(pod, "Normal", "Started", "Started container main");
    await recorder.flush();
    assert.deepEqual(messages(events()), ["Started container main x15"]);
  });

  const cases: { distinct: number; plain: number; combinedCount: number }[] = [
    { distinct: 9, plain: 9, combinedCount: 0 },
    { distinct: 10, plain: 9, combinedCount: 1 },
    { distinct: 11, plain: 9, combinedCount: 2 },
    { distinct: 14, plain: 9, combinedCount: 5 },
  ];
  for (const { distinct, plain, combinedCount } of cases) {
    it(`${distinct} distinct similar messages: ${plain} events of their own, the rest combined (${combinedCount})`, async () => {
      const { recorder, events } = recorderAt();
      for (let i = 1; i <= distinct; i++)
        recorder.event(pod, "Normal", "SuccessfulCreate", `Created pod: p${i}`);
      await recorder.flush();
      const all = events();
      const combined = all.filter((e) => String(e.message).startsWith("(combined from similar events): "));
      assert.equal(all.length - combined.length, plain);
      assert.equal(combined.length, combinedCount > 0 ? 1 : 0);
      if (combinedCount > 0) {
        assert.equal(combined[0].count, combinedCount);
        assert.equal(combined[0].message, `(combined from similar events): Created pod: p${distinct}`);
      }
    });
  }

  it("earlier messages keep counting on their own events once aggregation started", async () => {
    const { recorder, events } = recorderAt();
    for (let i = 1; i <= 10; i++) recorder.event(pod, "Normal", "Pulled", `image ${i}`);
    recorder.event(pod, "Normal", "Pulled", "image 1");
    await recorder.flush();
    assert.ok(messages(events()).includes("image 1 x2"));
  });

  it("the window slides: similar events each less than 10 minutes apart keep aggregating", async () => {
    const { recorder, events, advance } = recorderAt();
    for (let i = 1; i <= 10; i++) {
      recorder.event(pod, "Normal", "SuccessfulCreate", `Created pod: p${i}`);
      advance(5 * 60 * 1000);
    }
    await recorder.flush();
    assert.equal(events().filter((e) => String(e.message).startsWith("(combined")).length, 1);
  });

  it("a group idle for more than 10 minutes starts afresh", async () => {
    const { recorder, events, advance } = recorderAt();
    for (let i = 1; i <= 9; i++) recorder.event(pod, "Normal", "SuccessfulCreate", `Created pod: p${i}`);
    advance(11 * 60 * 1000);
    recorder.event(pod, "Normal", "SuccessfulCreate", "Created pod: p10");
    await recorder.flush();
    assert.equal(events().filter((e) => String(e.message).startsWith("(combined")).length, 0);
  });

  it("records the field path of a container and keeps parts apart", async () => {
    const { recorder, events } = recorderAt();
    recorder.event(pod, "Normal", "Started", "Started container", "spec.containers{a}");
    recorder.event(pod, "Normal", "Started", "Started container", "spec.containers{b}");
    recorder.event(pod, "Normal", "Started", "Started container", "spec.containers{a}");
    await recorder.flush();
    const byPath = Object.fromEntries(events().map((e) => [e.involvedObject.fieldPath, e.count]));
    assert.deepEqual(byPath, { "spec.containers{a}": 2, "spec.containers{b}": 1 });
    assert.deepEqual(events()[0].involvedObject, {
      kind: "Pod",
      name: "web-1",
      uid: "u1",
      apiVersion: "v1",
      resourceVersion: "7",
      namespace: "ns",
      fieldPath: "spec.containers{a}",
    });
    assert.equal(events()[0].source.host, "node1");
  });

  it("drops events about one object past a burst of 25, then allows one per 5 minutes", async () => {
    const { recorder, events, advance } = recorderAt();
    for (let i = 0; i < 30; i++) recorder.event(pod, "Normal", "Reason", `message ${i % 5}`);
    await recorder.flush();
    assert.equal(
      events().reduce((n, e) => n + Number(e.count), 0),
      25,
    );
    advance(5 * 60 * 1000);
    recorder.event(pod, "Normal", "Reason", "message 0");
    await recorder.flush();
    assert.equal(
      events().reduce((n, e) => n + Number(e.count), 0),
      26,
    );
  });

  it("forgets an object: what it records afterwards starts afresh, other objects keep their counts", async () => {
    const { recorder, events } = recorderAt();
    const other: KubeObject = { ...pod, metadata: { ...pod.metadata, name: "web-2", uid: "u2" } };
    recorder.event(pod, "Normal", "Pulled", "pulled");
    recorder.event(other, "Normal", "Pulled", "pulled");
    recorder.forget(pod);
    recorder.event(pod, "Normal", "Pulled", "pulled");
    recorder.event(other, "Normal", "Pulled", "pulled");
    await recorder.flush();
    const about = (name: string) =>
      events()
        .filter((e) => e.involvedObject.name === name)
        .map((e) => e.count);
    assert.deepEqual(about("web-1"), [1, 1], "a forgotten object's next event is a new one");
    assert.deepEqual(about("web-2"), [2]);
  });
});
