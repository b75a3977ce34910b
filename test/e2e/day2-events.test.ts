// End-to-end: Events as kubectl shows them — `get events` (columns, --sort-by=.lastTimestamp, field selectors),
// `kubectl events` (--for, --types) and client-go's correlation as the controllers and kubelets record it: a
// crash-looping pod's BackOff counted up (`x N over …`), and the tenth distinct SuccessfulCreate of one
// DaemonSet combined into "(combined from similar events): …". Eleven workers give the DaemonSet eleven pods.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Kubectl } from "../support/kubectl.js";
import { type E2eCluster, startCluster } from "./support/cluster.js";
import { daemonSetWith, podsOf, readyPods } from "./support/day2.js";
import { describeSection, describeTable, squeeze } from "./support/describe.js";
import { getJson } from "./support/get-json.js";
import { type Manifest, namespace, toYaml } from "./support/manifests.js";
import { column, parseTable } from "./support/tables.js";
import { waitFor } from "./support/wait.js";

const NS = "ev";
const WORKERS = 11;
const EVENT_COLUMNS = ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"];
const AGE = /^\d+(s|m\d*s?)$/;

describe("kubectl get events, kubectl events and event correlation", () => {
  let cluster: E2eCluster;
  let k: Kubectl;
  let crasher: string;
  const events = async (...selector: string[]): Promise<Manifest[]> =>
    (await getJson(k, "events", "-n", NS, ...selector)).items;

  before(async () => {
    cluster = await startCluster(["--nodes", String(WORKERS + 1)]);
    k = cluster.kubectl;
    await k.ok(["apply", "-f", "-"], {
      stdin: toYaml([
        namespace(NS),
        // One crash-looping pod, on node1 only, started first: its back-off takes a while to repeat.
        daemonSetWith("crasher", NS, {
          templateAnnotations: { "sim.everynode.dev/crash": "true" },
          podSpec: { nodeSelector: { "kubernetes.io/hostname": "node1" } },
        }),
        daemonSetWith("agent", NS),
      ]),
    });
    await readyPods(k, NS, "app=agent", WORKERS);
    crasher = await waitFor(
      "the crasher pod",
      async () => (await podsOf(k, NS, "app=crasher"))[0]?.metadata.name,
    );
    // Events are recorded asynchronously, after the pods they tell of: wait until every scheduling and every
    // creation is in (the eleventh creation counts on the combined event), so the counts below are final.
    await waitFor("every Scheduled and SuccessfulCreate event", async () => {
      const scheduled = await events("--field-selector", "reason=Scheduled");
      const created = await events("--field-selector", "involvedObject.name=agent,reason=SuccessfulCreate");
      const creations = created.reduce((n, e) => n + (e.count ?? 1), 0);
      return scheduled.length === WORKERS + 1 && creations === WORKERS;
    });
  });
  after(() => cluster?.stop());

  it("get events prints upstream's columns; --sort-by=.lastTimestamp orders rows by time", async () => {
    const table = parseTable(await k.ok(["get", "events", "-n", NS]));
    assert.deepEqual(table.header, EVENT_COLUMNS);
    for (const row of table.rows) assert.match(row["LAST SEEN"], AGE);
    assert.ok(column(table, "OBJECT").includes("daemonset/agent"));

    const sorted = parseTable(
      await k.ok([
        "get",
        "events",
        "-n",
        NS,
        "--sort-by=.lastTimestamp",
        "-o",
        "custom-columns=LAST:.lastTimestamp,REASON:.reason,OBJECT:.involvedObject.name",
      ]),
    );
    const times = column(sorted, "LAST");
    assert.ok(times.length > WORKERS, `${times.length} events`);
    assert.deepEqual(times, [...times].sort(), "non-decreasing lastTimestamp");
    // The table form sorts too (kubectl asks for the full objects to sort them).
    const sortedTable = parseTable(await k.ok(["get", "events", "-n", NS, "--sort-by=.lastTimestamp"]));
    assert.deepEqual(sortedTable.header, EVENT_COLUMNS);
    assert.equal(sortedTable.rows.length, table.rows.length);
  });

  it("--field-selector filters events by involvedObject fields, reason and type", async () => {
    const byKind = parseTable(
      await k.ok(["get", "events", "-n", NS, "--field-selector", "involvedObject.kind=DaemonSet"]),
    );
    assert.ok(byKind.rows.length >= WORKERS, `${byKind.rows.length} rows`);
    assert.deepEqual([...new Set(column(byKind, "OBJECT"))].sort(), ["daemonset/agent", "daemonset/crasher"]);

    const scheduled = await events("--field-selector", "reason=Scheduled");
    assert.equal(scheduled.length, WORKERS + 1);
    for (const e of scheduled) {
      assert.equal(e.source.component, "default-scheduler");
      assert.match(
        e.message,
        new RegExp(`^Successfully assigned ${NS}/${e.involvedObject.name} to node\\d+$`),
      );
    }

    const ofAgent = await events(
      "--field-selector",
      "involvedObject.name=agent,involvedObject.kind=DaemonSet,reason!=SuccessfulDelete",
    );
    assert.ok(ofAgent.every((e) => e.reason === "SuccessfulCreate" && e.involvedObject.name === "agent"));

    const kubelet = await events("--field-selector", `source=kubelet,involvedObject.name=${crasher}`);
    assert.ok(kubelet.length > 0);
    assert.ok(kubelet.every((e) => e.source.component === "kubelet" && e.source.host === "node1"));

    const unknown = await k.run(["get", "events", "-n", NS, "--field-selector", "foo=bar"]);
    assert.equal(unknown.code, 1);
    assert.equal(
      unknown.stderr,
      'Error from server (BadRequest): Unable to find "/v1, Resource=events" that match label selector "", field selector "foo=bar": field label not supported: foo\n',
    );
  });

  it("the tenth distinct SuccessfulCreate of one DaemonSet is combined, as client-go's aggregator does", async () => {
    const created = await events("--field-selector", "involvedObject.name=agent,reason=SuccessfulCreate");
    const combined = created.filter((e) => e.message.startsWith("(combined from similar events): "));
    const plain = created.filter((e) => !e.message.startsWith("(combined"));
    assert.equal(plain.length, 9, plain.map((e) => e.message).join("\n"));
    assert.equal(combined.length, 1);
    // The 10th and 11th creations both land on the one combined event.
    assert.equal(combined[0].count, 2);
    const pods = (await podsOf(k, NS, "app=agent")).map((p) => p.metadata.name);
    for (const e of plain) assert.ok(pods.includes(e.message.replace("Created pod: ", "")), e.message);
  });

  it("kubectl events --for ds/NAME shows that object's events; --types=Warning filters", async () => {
    const forDs = parseTable(await k.ok(["events", "-n", NS, "--for", "ds/agent"]));
    assert.deepEqual(forDs.header, EVENT_COLUMNS);
    assert.deepEqual([...new Set(column(forDs, "OBJECT"))], ["DaemonSet/agent"]);
    assert.deepEqual([...new Set(column(forDs, "REASON"))], ["SuccessfulCreate"]);
    assert.equal(forDs.rows.length, 10);

    const none = await k.run(["events", "-n", NS, "--for", "ds/agent", "--types=Warning"]);
    assert.equal(none.code, 0);
    assert.equal(`${none.stdout}${none.stderr}`, `No events found in ${NS} namespace.\n`);

    const warnings = parseTable(
      await waitFor("a Warning event", () =>
        k.ok(["events", "-n", NS, "--types=Warning"]).then((t) => t.includes("Warning") && t),
      ),
    );
    assert.ok(warnings.rows.every((r) => r.TYPE === "Warning"));
    assert.deepEqual([...new Set(column(warnings, "OBJECT"))], [`Pod/${crasher}`]);
  });

  it("a crash-looping pod's BackOff event is counted up: `x N over` in kubectl events and describe", async () => {
    const backOff = await waitFor(
      "a BackOff event seen twice",
      async () => {
        const found = await events("--field-selector", `involvedObject.name=${crasher},reason=BackOff`);
        return found.length === 1 && found[0].count >= 2 ? found[0] : undefined;
      },
      { timeoutMs: 45_000, intervalMs: 500 },
    );
    assert.equal(backOff.type, "Warning");
    assert.match(
      backOff.message,
      new RegExp(`^Back-off restarting failed container main in pod ${crasher}_${NS}\\([0-9a-f-]{36}\\)$`),
    );
    assert.ok(Date.parse(backOff.lastTimestamp) > Date.parse(backOff.firstTimestamp));

    const forPod = parseTable(await k.ok(["events", "-n", NS, "--for", `pod/${crasher}`]));
    const row = forPod.rows.find((r) => r.REASON === "BackOff");
    assert.ok(row, JSON.stringify(forPod.rows));
    assert.match(row["LAST SEEN"], /^\d+s \(x\d+ over \d+s\)$/);
    // Every restart repeats Created and Started: one event each, counted.
    const started = forPod.rows.find((r) => r.REASON === "Started");
    assert.match(started?.["LAST SEEN"] ?? "", /\(x\d+ over \d+s\)$/);

    const text = await k.ok(["describe", "pod", crasher, "-n", NS]);
    const described = describeTable(text, "Events");
    const backOffRow = described.rows.find((r) => r.Reason === "BackOff");
    assert.equal(backOffRow?.Type, "Warning");
    assert.match(backOffRow?.Age ?? "", /^\d+s \(x\d+ over \d+s\)$/);
    assert.equal(backOffRow?.From, "kubelet");
    // The container section shows the crash that caused it.
    const container = describeSection(text, "main", 2).map(squeeze);
    const lastState = container.indexOf("Last State:  Terminated");
    assert.ok(lastState > 0, container.join("\n"));
    assert.deepEqual(container.slice(lastState + 1, lastState + 3), ["Reason:  Error", "Exit Code:  1"]);
    assert.match(container.find((l) => l.startsWith("Restart Count:")) ?? "", /^Restart Count: {2}[1-9]\d*$/);
  });

  it("kubelet events name the container they are about (get events -o wide SUBOBJECT)", async () => {
    const table = parseTable(
      await k.ok([
        "get",
        "events",
        "-n",
        NS,
        "-o",
        "wide",
        "--field-selector",
        `involvedObject.name=${crasher}`,
      ]),
    );
    for (const row of table.rows.filter((r) =>
      ["Pulled", "Created", "Started", "BackOff"].includes(r.REASON),
    )) {
      assert.equal(row.SUBOBJECT, "spec.containers{main}", JSON.stringify(row));
    }
  });
});
