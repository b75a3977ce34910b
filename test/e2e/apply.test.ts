// End-to-end: `kubectl apply` of the seed manifests against a real `everynode up` — creation of multi-document
// files, unchanged re-apply, three-way merge on change (pruning through last-applied), server dry run, diff.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Kubectl } from "../support/kubectl.js";
import { type E2eCluster, startCluster } from "./support/cluster.js";
import { getJson } from "./support/get-json.js";
import {
  fixtureObject,
  fixturePath,
  lastAppliedOf,
  loadFixture,
  type Manifest,
  objectRef,
  toYaml,
} from "./support/manifests.js";
import { waitForStable } from "./support/wait.js";

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/** The valid seed manifests besides seed 000, in an order where each namespace precedes its contents. */
const OTHER_SEEDS = [
  "seed-000-monitoring-agent.yaml",
  "seed-001-fluentd-logging.yaml",
  "seed-001-fluentd-elasticsearch.yaml",
  "seed-001-monitoring.yaml",
  "seed-001-calico-node.yaml",
  "seed-001-disk-cleanup.yaml",
  "seed-002-node-exporter.yaml",
  "seed-003-node-agent.yaml",
  "seed-003-fluent-bit.yaml",
  "seed-004-tutorial.yaml",
];

const resultLines = (docs: Manifest[], verb: (doc: Manifest) => string): string =>
  docs.map((d) => `${objectRef(d)} ${verb(d)}\n`).join("");

/** kind/namespace/name → resourceVersion of every object of the given kinds. */
async function resourceVersions(k: Kubectl, kinds: string): Promise<Record<string, string>> {
  const list = JSON.parse(await k.ok(["get", kinds, "-A", "-o", "json"]));
  return Object.fromEntries(
    list.items.map((o: Manifest) => [
      `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`,
      o.metadata.resourceVersion,
    ]),
  );
}

describe("kubectl apply", () => {
  let cluster: E2eCluster;
  let k: Kubectl;
  before(async () => {
    cluster = await startCluster();
    k = cluster.kubectl;
  });
  after(() => cluster?.stop());

  it("creates every object of seed 000's multi-document manifest and records last-applied", async () => {
    const docs = loadFixture("seed-000-fluentd.yaml");
    const out = await k.ok(["apply", "-f", fixturePath("seed-000-fluentd.yaml")]);
    assert.equal(
      out,
      "namespace/logging created\n" +
        "serviceaccount/fluentd created\n" +
        "clusterrole.rbac.authorization.k8s.io/fluentd created\n" +
        "clusterrolebinding.rbac.authorization.k8s.io/fluentd created\n" +
        "daemonset.apps/fluentd created\n",
    );

    const names = await k.ok([
      "get",
      "namespace/logging",
      "serviceaccount/fluentd",
      "clusterrole/fluentd",
      "clusterrolebinding/fluentd",
      "daemonset/fluentd",
      "-n",
      "logging",
      "-o",
      "name",
    ]);
    assert.equal(names, docs.map((d) => `${objectRef(d)}\n`).join(""));

    const manifest = fixtureObject("seed-000-fluentd.yaml", "DaemonSet");
    const ds = await getJson(k, "ds", "fluentd", "-n", "logging");
    assert.deepEqual(JSON.parse(ds.metadata.annotations[LAST_APPLIED]), lastAppliedOf(manifest));
    const container = ds.spec.template.spec.containers[0];
    assert.equal(container.image, "fluent/fluentd:latest");
    assert.deepEqual(container.volumeMounts, [{ name: "varlog", mountPath: "/var/log" }]);
    assert.equal(ds.spec.template.spec.volumes[0].hostPath.path, "/var/log");
    assert.equal(ds.metadata.generation, 1);

    const binding = await getJson(k, "clusterrolebinding", "fluentd");
    assert.deepEqual(binding.subjects, [{ kind: "ServiceAccount", name: "fluentd", namespace: "logging" }]);
    assert.deepEqual(binding.roleRef, {
      apiGroup: "rbac.authorization.k8s.io",
      kind: "ClusterRole",
      name: "fluentd",
    });
  });

  it("creates the DaemonSets of every other seed in one invocation", async () => {
    const docs = OTHER_SEEDS.flatMap(loadFixture);
    const out = await k.ok(["apply", ...OTHER_SEEDS.flatMap((f) => ["-f", fixturePath(f)])]);
    // seed 003's Fluent Bit re-declares the `logging` namespace that seed 000 created.
    assert.equal(
      out,
      resultLines(docs, (d) => (objectRef(d) === "namespace/logging" ? "unchanged" : "created")),
    );

    const stored = (await getJson(k, "ds", "-A")).items.map(
      (d: Manifest) => `${d.metadata.namespace}/${d.metadata.name}`,
    );
    const expected = [...docs, fixtureObject("seed-000-fluentd.yaml", "DaemonSet")]
      .filter((d) => d.kind === "DaemonSet")
      .map((d) => `${d.metadata.namespace ?? "default"}/${d.metadata.name}`);
    assert.deepEqual([...stored].sort(), [...expected].sort());
  });

  it("re-applying unchanged manifests prints unchanged and writes nothing", async () => {
    const kinds = "ds,ns,sa,clusterroles,clusterrolebindings";
    // Controllers may still be writing DaemonSet status after the creations; compare from a settled state.
    const versionsBefore = await waitForStable("resourceVersions", () => resourceVersions(k, kinds));
    const files = ["seed-000-fluentd.yaml", ...OTHER_SEEDS];
    const out = await k.ok(["apply", ...files.flatMap((f) => ["-f", fixturePath(f)])]);
    assert.equal(
      out,
      resultLines(files.flatMap(loadFixture), () => "unchanged"),
    );
    assert.deepEqual(await resourceVersions(k, kinds), versionsBefore);
  });

  it("re-applying seed 000 with a new image, an added env var and a removed volume prints configured and prunes", async () => {
    // Fields owned by someone else than the manifest: apply must keep them.
    await k.ok(["label", "ds", "fluentd", "-n", "logging", "team=observability"]);
    await k.ok([
      "patch",
      "ds",
      "fluentd",
      "-n",
      "logging",
      "--type=merge",
      "-p",
      '{"spec":{"minReadySeconds":5}}',
    ]);

    const docs = loadFixture("seed-000-fluentd.yaml");
    const ds = docs.find((d) => d.kind === "DaemonSet")!;
    const podSpec = ds.spec.template.spec;
    podSpec.containers[0].image = "fluent/fluentd:v1.16-1";
    podSpec.containers[0].env = [{ name: "FLUENTD_ARGS", value: "--no-supervisor -q" }];
    delete podSpec.containers[0].volumeMounts;
    delete podSpec.volumes;

    const out = await k.ok(["apply", "-f", "-"], { stdin: toYaml(docs) });
    assert.equal(
      out,
      resultLines(docs, (d) => (d.kind === "DaemonSet" ? "configured" : "unchanged")),
    );

    const stored = await getJson(k, "ds", "fluentd", "-n", "logging");
    const container = stored.spec.template.spec.containers[0];
    assert.equal(container.image, "fluent/fluentd:v1.16-1");
    assert.deepEqual(container.env, [{ name: "FLUENTD_ARGS", value: "--no-supervisor -q" }]);
    assert.equal(container.volumeMounts, undefined, "the removed volumeMount must be pruned");
    assert.equal(stored.spec.template.spec.volumes, undefined, "the removed volume must be pruned");
    assert.equal(stored.metadata.labels?.team, "observability", "a label set by kubectl label must survive");
    assert.equal(stored.spec.minReadySeconds, 5, "a field set by kubectl patch must survive");
    assert.deepEqual(JSON.parse(stored.metadata.annotations[LAST_APPLIED]), lastAppliedOf(ds));
    // created (1) → minReadySeconds (2) → template change (3); only the template change bumps the template generation.
    assert.equal(stored.metadata.generation, 3);
    assert.equal(stored.metadata.annotations["deprecated.daemonset.template.generation"], "2");
  });

  it("applying seed 003's node-exporter over seed 001's upgrades it and drops what seed 003 leaves out", async () => {
    const out = await k.ok(["apply", "-f", fixturePath("seed-003-node-exporter.yaml")]);
    assert.equal(out, "namespace/monitoring unchanged\ndaemonset.apps/node-exporter configured\n");

    const stored = await getJson(k, "ds", "node-exporter", "-n", "monitoring");
    const template = stored.spec.template;
    assert.deepEqual(
      template.metadata.annotations ?? {},
      {},
      "seed 001's prometheus.io annotations must be pruned",
    );
    assert.deepEqual(template.spec.tolerations, [{ operator: "Exists" }]);
    const container = template.spec.containers[0];
    assert.equal(container.image, "prom/node-exporter:v1.7.0");
    assert.deepEqual(container.volumeMounts, [
      { name: "proc", mountPath: "/host/proc", readOnly: true },
      { name: "sys", mountPath: "/host/sys", readOnly: true },
    ]);
    assert.deepEqual(container.args, ["--path.procfs=/host/proc", "--path.sysfs=/host/sys"]);
    assert.equal(template.spec.hostNetwork, true);
  });

  it("apply --dry-run=server reports what would happen and persists nothing", async () => {
    const current = await getJson(k, "ds", "fluentd", "-n", "logging");
    const changed = JSON.parse(current.metadata.annotations[LAST_APPLIED]);
    changed.spec.template.spec.containers[0].image = "fluent/fluentd:dry-run";
    const fresh = { ...structuredClone(changed), metadata: { name: "dry-only", namespace: "logging" } };

    const out = await k.ok(["apply", "--dry-run=server", "-f", "-"], { stdin: toYaml([changed, fresh]) });
    assert.equal(
      out,
      "daemonset.apps/fluentd configured (server dry run)\ndaemonset.apps/dry-only created (server dry run)\n",
    );

    const stored = await getJson(k, "ds", "fluentd", "-n", "logging");
    assert.equal(stored.spec.template.spec.containers[0].image, "fluent/fluentd:v1.16-1");
    assert.equal(stored.metadata.generation, current.metadata.generation);
    const missing = await k.run(["get", "ds", "dry-only", "-n", "logging"]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'Error from server (NotFound): daemonsets.apps "dry-only" not found\n');
  });

  it("kubectl diff exits 0 when live matches the manifest and 1 with a unified diff when it does not", async () => {
    const current = await getJson(k, "ds", "fluentd", "-n", "logging");
    const applied = JSON.parse(current.metadata.annotations[LAST_APPLIED]);

    const same = await k.run(["diff", "-f", "-"], { stdin: toYaml([applied]) });
    assert.equal(same.stderr, "");
    assert.equal(same.stdout, "");
    assert.equal(same.code, 0);

    const changed = structuredClone(applied);
    changed.spec.template.spec.containers[0].image = "fluent/fluentd:v1.17-1";
    const differs = await k.run(["diff", "-f", "-"], { stdin: toYaml([changed]) });
    assert.equal(differs.stderr, "");
    assert.equal(differs.code, 1);
    assert.match(differs.stdout, /^diff -u -N \S+\/apps\.v1\.DaemonSet\.logging\.fluentd \S+$/m);
    assert.match(differs.stdout, /^-\s+(- )?image: fluent\/fluentd:v1\.16-1$/m);
    assert.match(differs.stdout, /^\+\s+(- )?image: fluent\/fluentd:v1\.17-1$/m);

    const brandNew = { ...structuredClone(applied), metadata: { name: "brand-new", namespace: "logging" } };
    const added = await k.run(["diff", "-f", "-"], { stdin: toYaml([brandNew]) });
    assert.equal(added.code, 1);
    assert.match(added.stdout, /^\+ {2}name: brand-new$/m);

    // diff asks the server for a dry run: nothing changed or appeared.
    const stored = await getJson(k, "ds", "-n", "logging");
    assert.deepEqual(
      stored.items.map((d: Manifest) => [d.metadata.name, d.spec.template.spec.containers[0].image]),
      [
        ["fluent-bit", "fluent/fluent-bit:2.2"],
        ["fluentd", "fluent/fluentd:v1.16-1"],
      ],
    );
  });
});
