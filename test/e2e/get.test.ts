// End-to-end: `kubectl get` in every output form the seeds use (tables, wide, yaml, json, jsonpath, name,
// custom columns, labels), with selectors, sorting, several kinds at once, watches and events; and
// `kubectl cluster-info`, which lists services.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parse as parseYaml } from "yaml";
import type { Kubectl } from "../support/kubectl.js";
import { clusterInfoText } from "../support/kubectl-texts.js";
import { type E2eCluster, startCluster } from "./support/cluster.js";
import {
  daemonSet,
  fixturePath,
  type Manifest,
  namespace,
  timestampAgo,
  toYaml,
} from "./support/manifests.js";
import { column, parseTable, parseTables } from "./support/tables.js";
import { waitFor } from "./support/wait.js";

/** seed 004's DaemonSets in `default`, by name. */
const TUTORIAL = ["manual-update-agent", "node-agent", "ssd-agent", "system-agent"];
const AGE = /^\d+(s|m\d*s?)$/;

describe("kubectl get", () => {
  let cluster: E2eCluster;
  let k: Kubectl;
  before(async () => {
    cluster = await startCluster();
    k = cluster.kubectl;
    await Promise.all([
      k.ok([
        "apply",
        "-f",
        fixturePath("seed-000-fluentd.yaml"),
        "-f",
        fixturePath("seed-004-tutorial.yaml"),
      ]),
      k.ok(["label", "nodes", "node1", "disktype=ssd"]),
    ]);
  });
  after(() => cluster?.stop());

  it("get --raw /metrics shows request latencies, the controllers' work queues and storage commits", async () => {
    const text = await k.ok(["get", "--raw", "/metrics"]);
    const count = (prefix: string) =>
      Number(
        text
          .split("\n")
          .find((l) => l.startsWith(prefix))
          ?.split(" ")
          .pop() ?? Number.NaN,
      );
    assert.ok(count("apiserver_request_duration_seconds_count{") >= 1);
    assert.ok(count('workqueue_adds_total{name="daemonset"}') >= 1, "the DaemonSet controller's queue");
    assert.ok(count('workqueue_adds_total{name="node-fleet"}') >= 1, "the fleet's writer queue");
    assert.ok(count("everynode_storage_commit_duration_seconds_count") >= 1);
  });

  it("get ds prints upstream's columns, and -o wide adds containers, images and selector", async () => {
    const [plain, wide] = await Promise.all([
      k.ok(["get", "ds"]),
      k.ok(["get", "ds", "-o", "wide", "-n", "logging"]),
    ]);
    const table = parseTable(plain);
    assert.deepEqual(table.header, [
      "NAME",
      "DESIRED",
      "CURRENT",
      "READY",
      "UP-TO-DATE",
      "AVAILABLE",
      "NODE SELECTOR",
      "AGE",
    ]);
    assert.deepEqual(column(table, "NAME"), TUTORIAL);
    assert.deepEqual(column(table, "NODE SELECTOR"), ["<none>", "<none>", "disktype=ssd", "<none>"]);
    for (const row of table.rows) {
      for (const count of ["DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE"])
        assert.match(row[count], /^\d+$/);
      assert.match(row.AGE, AGE);
    }

    const w = parseTable(wide);
    assert.deepEqual(w.header, [
      "NAME",
      "DESIRED",
      "CURRENT",
      "READY",
      "UP-TO-DATE",
      "AVAILABLE",
      "NODE SELECTOR",
      "AGE",
      "CONTAINERS",
      "IMAGES",
      "SELECTOR",
    ]);
    assert.equal(w.rows.length, 1);
    const row = w.rows[0];
    assert.equal(row.NAME, "fluentd");
    assert.equal(row["NODE SELECTOR"], "<none>");
    assert.equal(row.CONTAINERS, "fluentd");
    assert.equal(row.IMAGES, "fluent/fluentd:latest");
    assert.equal(row.SELECTOR, "name=fluentd");
  });

  it("get nodes lists the control plane and the workers", async () => {
    const [plain, wide] = await Promise.all([k.ok(["get", "nodes"]), k.ok(["get", "nodes", "-o", "wide"])]);
    const table = parseTable(plain);
    assert.deepEqual(table.header, ["NAME", "STATUS", "ROLES", "AGE", "VERSION"]);
    assert.deepEqual(column(table, "NAME"), ["control-plane", "node1", "node2"]);
    assert.deepEqual(column(table, "STATUS"), ["Ready", "Ready", "Ready"]);
    assert.deepEqual(column(table, "ROLES"), ["control-plane", "<none>", "<none>"]);
    for (const row of table.rows) assert.match(row.VERSION, /^v1\.\d+\.\d+/);

    const w = parseTable(wide);
    assert.deepEqual(w.header, [
      "NAME",
      "STATUS",
      "ROLES",
      "AGE",
      "VERSION",
      "INTERNAL-IP",
      "EXTERNAL-IP",
      "OS-IMAGE",
      "KERNEL-VERSION",
      "CONTAINER-RUNTIME",
    ]);
    for (const row of w.rows) assert.match(row["INTERNAL-IP"], /^\d+\.\d+\.\d+\.\d+$/);
  });

  it("-o yaml and -o json print the stored object; lists come back as a v1 List", async () => {
    const [yamlText, jsonText, listText] = await Promise.all([
      k.ok(["get", "ds", "fluentd", "-n", "logging", "-o", "yaml"]),
      k.ok(["get", "ds", "fluentd", "-n", "logging", "-o", "json"]),
      k.ok(["get", "ds", "-o", "json"]),
    ]);
    const fromYaml = parseYaml(yamlText);
    const fromJson = JSON.parse(jsonText);
    // Two reads: status may move in between, the identity and the spec may not.
    assert.equal(fromYaml.metadata.uid, fromJson.metadata.uid);
    assert.deepEqual(fromYaml.spec, fromJson.spec);
    assert.equal(fromJson.apiVersion, "apps/v1");
    assert.equal(fromJson.kind, "DaemonSet");
    assert.equal(fromJson.metadata.name, "fluentd");
    assert.equal(fromJson.metadata.namespace, "logging");
    assert.match(fromJson.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(fromJson.metadata.resourceVersion, /^\d+$/);
    assert.deepEqual(fromJson.spec.selector, { matchLabels: { name: "fluentd" } });

    const list = JSON.parse(listText);
    assert.equal(list.apiVersion, "v1");
    assert.equal(list.kind, "List");
    assert.deepEqual(
      list.items.map((d: Manifest) => [d.apiVersion, d.kind, d.metadata.name]),
      TUTORIAL.map((name) => ["apps/v1", "DaemonSet", name]),
    );
  });

  it("stored DaemonSets carry upstream's defaults (the seeds read them back with jsonpath)", async () => {
    const [fluentd, strategy, onDelete] = await Promise.all([
      k.ok(["get", "ds", "fluentd", "-n", "logging", "-o", "json"]).then(JSON.parse),
      k.ok(["get", "daemonset", "node-agent", "-o", "jsonpath={.spec.updateStrategy}"]),
      k.ok(["get", "daemonset", "manual-update-agent", "-o", "jsonpath={.spec.updateStrategy.type}"]),
    ]);
    // kubectl prints a map as JSON with sorted keys.
    assert.equal(strategy, '{"rollingUpdate":{"maxSurge":0,"maxUnavailable":1},"type":"RollingUpdate"}');
    assert.equal(onDelete, "OnDelete");
    assert.equal(fluentd.spec.revisionHistoryLimit, 10);
    const pod = fluentd.spec.template.spec;
    assert.equal(pod.restartPolicy, "Always");
    assert.equal(pod.terminationGracePeriodSeconds, 30);
    assert.equal(pod.dnsPolicy, "ClusterFirst");
    assert.equal(pod.schedulerName, "default-scheduler");
    assert.deepEqual(pod.securityContext, {});
    assert.deepEqual(pod.volumes, [{ name: "varlog", hostPath: { path: "/var/log", type: "" } }]);
    const c = pod.containers[0];
    assert.equal(c.imagePullPolicy, "Always", "a :latest image is pulled Always");
    assert.equal(c.terminationMessagePath, "/dev/termination-log");
    assert.equal(c.terminationMessagePolicy, "File");
    assert.deepEqual(c.resources, {});
  });

  it("-o jsonpath, -o name and -o custom-columns", async () => {
    const [image, nodeNames, names, custom] = await Promise.all([
      k.ok([
        "get",
        "ds",
        "fluentd",
        "-n",
        "logging",
        "-o",
        "jsonpath={.spec.template.spec.containers[0].image}",
      ]),
      k.ok(["get", "nodes", "-o", 'jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}']),
      k.ok(["get", "ds", "-o", "name"]),
      k.ok([
        "get",
        "ds",
        "-o",
        "custom-columns=NAME:.metadata.name,IMAGE:.spec.template.spec.containers[*].image,APP:.spec.selector.matchLabels.app",
      ]),
    ]);
    assert.equal(image, "fluent/fluentd:latest");
    assert.equal(nodeNames, "control-plane\nnode1\nnode2\n");
    assert.equal(names, TUTORIAL.map((n) => `daemonset.apps/${n}\n`).join(""));
    const table = parseTable(custom);
    assert.deepEqual(table.header, ["NAME", "IMAGE", "APP"]);
    assert.deepEqual(
      table.rows.map((r) => [r.NAME, r.IMAGE, r.APP]),
      [
        ["manual-update-agent", "debian:12", "manual-update-agent"],
        ["node-agent", "busybox:1.36", "node-agent"],
        ["ssd-agent", "alpine:3.19", "ssd-agent"],
        ["system-agent", "nginx:1.25", "system-agent"],
      ],
    );
  });

  it("--show-labels and -L add label columns", async () => {
    const [dsLabels, nodeLabels, dsColumn, nodeColumns] = await Promise.all([
      k.ok(["get", "ds", "--show-labels"]),
      k.ok(["get", "nodes", "--show-labels"]),
      k.ok(["get", "ds", "-L", "app"]),
      k.ok(["get", "nodes", "-L", "kubernetes.io/arch", "-L", "disktype"]),
    ]);
    assert.deepEqual(
      column(parseTable(dsLabels), "LABELS"),
      TUTORIAL.map((n) => `app=${n}`),
    );
    const nodes = parseTable(nodeLabels);
    for (const row of nodes.rows) {
      const labels = row.LABELS.split(",");
      assert.ok(labels.includes(`kubernetes.io/hostname=${row.NAME}`), row.LABELS);
      assert.ok(labels.includes("kubernetes.io/os=linux"), row.LABELS);
      assert.ok(labels.includes("kubernetes.io/arch=amd64"), row.LABELS);
    }
    assert.deepEqual(column(parseTable(dsColumn), "APP"), TUTORIAL);
    const withColumns = parseTable(nodeColumns);
    assert.deepEqual(withColumns.header, ["NAME", "STATUS", "ROLES", "AGE", "VERSION", "ARCH", "DISKTYPE"]);
    assert.deepEqual(column(withColumns, "ARCH"), ["amd64", "amd64", "amd64"]);
    assert.deepEqual(column(withColumns, "DISKTYPE"), ["", "ssd", ""]);
  });

  it("-A adds the NAMESPACE column and `get all` includes DaemonSets", async () => {
    const [all, everything] = await Promise.all([
      k.ok(["get", "ds", "-A"]),
      k.ok(["get", "all", "-n", "logging"]),
    ]);
    const table = parseTable(all);
    assert.equal(table.header[0], "NAMESPACE");
    assert.deepEqual(
      table.rows.map((r) => `${r.NAMESPACE}/${r.NAME}`),
      [...TUTORIAL.map((n) => `default/${n}`), "logging/fluentd"],
    );
    // `all` also covers pods; whether the DaemonSet's pods are listed depends on the controller, not on get.
    const names = parseTables(everything).flatMap((t) => column(t, "NAME"));
    assert.ok(names.includes("daemonset.apps/fluentd"), everything);
    assert.ok(
      names.every((n) => n === "daemonset.apps/fluentd" || n.startsWith("pod/fluentd-")),
      everything,
    );
  });

  it("cluster-info names the control plane; get svc shows the kubernetes service", async () => {
    const server = (
      await k.ok(["config", "view", "--minify", "-o", "jsonpath={.clusters[0].cluster.server}"])
    ).trim();
    assert.equal(await k.ok(["cluster-info"]), clusterInfoText(await k.clientMinor(), server));
    const table = parseTable(await k.ok(["get", "svc", "-n", "default"]));
    assert.deepEqual(table.header, ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]);
    assert.deepEqual(
      table.rows.map((r) => [r.NAME, r.TYPE, r["CLUSTER-IP"], r["EXTERNAL-IP"], r["PORT(S)"]]),
      [["kubernetes", "ClusterIP", "10.96.0.1", "<none>", "443/TCP"]],
    );
  });

  it("--sort-by orders rows by any field", async () => {
    const [byImage, byHostname] = await Promise.all([
      k.ok(["get", "ds", "--sort-by=.spec.template.spec.containers[0].image"]),
      k.ok(["get", "nodes", "--sort-by=.metadata.labels.kubernetes\\.io/hostname", "-o", "name"]),
    ]);
    assert.deepEqual(column(parseTable(byImage), "NAME"), [
      "ssd-agent",
      "node-agent",
      "manual-update-agent",
      "system-agent",
    ]);
    assert.equal(byHostname, "node/control-plane\nnode/node1\nnode/node2\n");
  });

  it("get ds NAME prints one row; an unknown name is NotFound", async () => {
    const [one, missing] = await Promise.all([
      k.ok(["get", "ds", "node-agent"]),
      k.run(["get", "ds", "nope"]),
    ]);
    assert.deepEqual(column(parseTable(one), "NAME"), ["node-agent"]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stdout, "");
    assert.equal(missing.stderr, 'Error from server (NotFound): daemonsets.apps "nope" not found\n');
  });

  it("get ds,nodes prints one table per kind with kind-qualified names", async () => {
    const tables = parseTables(await k.ok(["get", "ds,nodes", "-n", "logging"]));
    assert.equal(tables.length, 2);
    assert.deepEqual(column(tables[0], "NAME"), ["daemonset.apps/fluentd"]);
    assert.equal(tables[0].header[1], "DESIRED");
    assert.deepEqual(column(tables[1], "NAME"), ["node/control-plane", "node/node1", "node/node2"]);
    assert.equal(tables[1].header[1], "STATUS");
  });

  it("-l filters by label selector (equality, set and existence forms)", async () => {
    const cases: [string[], string[]][] = [
      [["ds", "-l", "app=node-agent"], ["node-agent"]],
      [
        ["ds", "-l", "app in (ssd-agent,system-agent)"],
        ["ssd-agent", "system-agent"],
      ],
      [
        ["ds", "-l", "app!=node-agent"],
        ["manual-update-agent", "ssd-agent", "system-agent"],
      ],
      [["nodes", "-l", "disktype=ssd"], ["node1"]],
      [["nodes", "-l", "node-role.kubernetes.io/control-plane"], ["control-plane"]],
      [
        ["nodes", "-l", "!node-role.kubernetes.io/control-plane"],
        ["node1", "node2"],
      ],
    ];
    const outputs = await Promise.all(cases.map(([args]) => k.ok(["get", ...args])));
    cases.forEach(([args, expected], i) => {
      assert.deepEqual(column(parseTable(outputs[i]), "NAME"), expected, args.join(" "));
    });
    const none = await k.run(["get", "ds", "-l", "app=absent"]);
    assert.equal(none.code, 0);
    assert.equal(none.stdout, "");
    assert.equal(none.stderr, "No resources found in default namespace.\n");
  });

  it("--field-selector filters by field; unsupported fields are a BadRequest", async () => {
    const [byName, notDefault, schedulable, bad] = await Promise.all([
      k.ok(["get", "ds", "--field-selector", "metadata.name=ssd-agent"]),
      k.ok(["get", "ds", "-A", "--field-selector", "metadata.namespace!=default"]),
      k.ok(["get", "nodes", "--field-selector", "spec.unschedulable=false,metadata.name!=node2"]),
      k.run(["get", "ds", "--field-selector", "spec.foo=bar"]),
    ]);
    assert.deepEqual(column(parseTable(byName), "NAME"), ["ssd-agent"]);
    assert.deepEqual(column(parseTable(notDefault), "NAME"), ["fluentd"]);
    assert.deepEqual(column(parseTable(schedulable), "NAME"), ["control-plane", "node1"]);
    assert.equal(bad.code, 1);
    assert.equal(
      bad.stderr,
      'Error from server (BadRequest): Unable to find "apps/v1, Resource=daemonsets" that match label selector "", ' +
        'field selector "spec.foo=bar": "spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"\n',
    );
  });

  it("get -w streams a row for every change", async () => {
    await k.ok(["apply", "-f", "-"], {
      stdin: toYaml([namespace("watched"), daemonSet("watcher", "watched")]),
    });
    const plain = k.start(["get", "ds", "-w", "-n", "watched"]);
    const typed = k.start(["get", "ds", "-w", "-n", "watched", "--output-watch-events"]);
    const rows = (text: string) => text.split("\n").filter((l) => /\bwatcher/.test(l));
    try {
      // The first row is printed from the initial list; the watch resumes from that list's resourceVersion.
      for (const w of [plain, typed]) {
        await waitFor("the initial row", () => rows(w.output()).length >= 1, { detail: w.output });
      }
      await k.ok(["label", "ds", "watcher", "-n", "watched", "tier=infra"]);
      await k.ok(["apply", "-f", "-"], { stdin: toYaml([daemonSet("watcher-2", "watched")]) });
      await k.ok(["delete", "ds", "watcher", "-n", "watched"]);
      const seen = (w: typeof typed, pattern: RegExp) => rows(w.output()).some((l) => pattern.test(l));
      await waitFor("the DELETED event", () => seen(typed, /^DELETED\s+watcher\s/), {
        detail: typed.output,
      });
      await waitFor("the row of watcher-2", () => seen(plain, /^watcher-2\s/), { detail: plain.output });

      assert.match(
        plain.output(),
        /^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\n/,
      );
      for (const line of rows(plain.output())) {
        assert.match(line, /^watcher(-2)?\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+<none>\s+\S+$/);
      }
      assert.ok(rows(plain.output()).filter((l) => /^watcher\s/.test(l)).length >= 2, plain.output());

      assert.match(
        typed.output(),
        /^EVENT\s+NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\n/,
      );
      const events = rows(typed.output()).map((l) => l.split(/\s+/).slice(0, 2).join(" "));
      // Our writes, in order; a controller writing status may add MODIFIED rows in between.
      const order = ["ADDED watcher", "MODIFIED watcher", "ADDED watcher-2", "DELETED watcher"].map((e) =>
        events.indexOf(e),
      );
      assert.equal(events[0], "ADDED watcher", events.join(", "));
      assert.ok(
        order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1])),
        events.join(", "),
      );
    } finally {
      await Promise.all([plain.stop(), typed.stop()]);
    }
  });

  it("get events shows upstream's event columns, sorts by lastTimestamp and filters by type", async () => {
    // A namespace of its own, so no controller's events mix in.
    await k.ok(["apply", "-f", "-"], { stdin: toYaml([namespace("events")]) });
    const involved = { apiVersion: "apps/v1", kind: "DaemonSet", name: "fluentd", namespace: "events" };
    const event = (
      name: string,
      type: string,
      reason: string,
      message: string,
      secondsAgo: number,
    ): Manifest => ({
      apiVersion: "v1",
      kind: "Event",
      metadata: { name, namespace: "events" },
      involvedObject: involved,
      type,
      reason,
      message,
      source: { component: "daemonset-controller" },
      count: 1,
      firstTimestamp: timestampAgo(secondsAgo),
      lastTimestamp: timestampAgo(secondsAgo),
    });
    // Names sort opposite to time, so the default (name) order differs from --sort-by=.lastTimestamp.
    const docs = [
      event("fluentd.b-created", "Normal", "SuccessfulCreate", "Created pod: fluentd-x7k2p", 300),
      event(
        "fluentd.a-quota",
        "Warning",
        "FailedCreate",
        'Error creating: pods "fluentd-q9z4m" is forbidden: exceeded quota: logging-quota',
        30,
      ),
    ];
    assert.equal(
      await k.ok(["create", "-f", "-"], { stdin: toYaml(docs) }),
      "event/fluentd.b-created created\nevent/fluentd.a-quota created\n",
    );

    const [plain, sorted, warnings] = await Promise.all([
      k.ok(["get", "events", "-n", "events"]),
      k.ok(["get", "events", "-n", "events", "--sort-by=.lastTimestamp"]),
      k.ok(["get", "events", "-n", "events", "--field-selector", "type=Warning,involvedObject.name=fluentd"]),
    ]);
    const table = parseTable(plain);
    assert.deepEqual(table.header, ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]);
    assert.deepEqual(
      table.rows.map((r) => [r.TYPE, r.REASON, r.OBJECT, r.MESSAGE]),
      [
        ["Warning", "FailedCreate", "daemonset/fluentd", docs[1].message],
        ["Normal", "SuccessfulCreate", "daemonset/fluentd", docs[0].message],
      ],
    );
    for (const row of table.rows) assert.match(row["LAST SEEN"], AGE);
    assert.deepEqual(column(parseTable(sorted), "REASON"), ["SuccessfulCreate", "FailedCreate"]);
    assert.deepEqual(column(parseTable(warnings), "REASON"), ["FailedCreate"]);
  });
});
