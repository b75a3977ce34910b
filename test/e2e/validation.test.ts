// End-to-end: what the server refuses and how kubectl shows it — upstream's validation messages, strict
// field validation (kubectl's default), --validate=false/warn — plus the schema clients read: `kubectl
// explain` and `kubectl api-resources`.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Kubectl } from "../support/kubectl.js";
import { explainPrintsEnums } from "../support/kubectl-texts.js";
import { type E2eCluster, startCluster } from "./support/cluster.js";
import { daemonSet, fixturePath, type Manifest, namespace, toYaml } from "./support/manifests.js";
import { parseTable } from "./support/tables.js";

/** A DaemonSet whose selector (app=bad) does not match its template labels (app=other). */
function mismatchedSelector(name: string, ns: string): Manifest {
  const ds = daemonSet(name, ns);
  ds.spec.selector = { matchLabels: { app: "bad" } };
  ds.spec.template.metadata.labels = { app: "other" };
  return ds;
}

/** A valid DaemonSet carrying fields the API does not know. */
function withUnknownFields(name: string, ns: string): Manifest {
  const ds = daemonSet(name, ns);
  ds.spec.foo = "bar";
  ds.spec.template.spec.containers[0].imagePullPolcy = "Always";
  return ds;
}

const MISMATCH =
  'The DaemonSet "bad" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: ' +
  "`selector` does not match template `labels`\n";

describe("validation, explain and api-resources", () => {
  let cluster: E2eCluster;
  let k: Kubectl;
  before(async () => {
    cluster = await startCluster();
    k = cluster.kubectl;
    await k.ok(["apply", "-f", "-"], { stdin: toYaml([namespace("checks")]) });
  });
  after(() => cluster?.stop());

  const notStored = async (name: string) => {
    const r = await k.run(["get", "ds", name, "-n", "checks"]);
    assert.equal(r.stderr, `Error from server (NotFound): daemonsets.apps "${name}" not found\n`);
  };

  it("a selector that does not match the template labels is rejected with upstream's message", async () => {
    const stdin = toYaml([mismatchedSelector("bad", "checks")]);
    const [applied, created] = await Promise.all([
      k.run(["apply", "-f", "-"], { stdin }),
      k.run(["create", "-f", "-"], { stdin }),
    ]);
    for (const r of [applied, created]) {
      assert.equal(r.code, 1);
      assert.equal(r.stdout, "");
      assert.equal(r.stderr, MISMATCH);
    }
    await notStored("bad");
  });

  it("seed 001's kube-bench scanner (restartPolicy OnFailure) is rejected, its namespace is created", async () => {
    const r = await k.run(["apply", "-f", fixturePath("seed-001-kube-bench.yaml")]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "namespace/security created\n");
    assert.equal(
      r.stderr,
      'The DaemonSet "kube-bench-scanner" is invalid: spec.template.spec.restartPolicy: Unsupported value: "OnFailure": ' +
        'supported values: "Always"\n',
    );
  });

  it("an update that changes the selector is rejected: the selector is immutable", async () => {
    await k.ok(["apply", "-f", "-"], { stdin: toYaml([daemonSet("fixed", "checks")]) });
    const patch =
      '{"spec":{"selector":{"matchLabels":{"app":"moved"}},"template":{"metadata":{"labels":{"app":"moved"}}}}}';
    const r = await k.run(["patch", "ds", "fixed", "-n", "checks", "--type=merge", "-p", patch]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'The DaemonSet "fixed" is invalid: spec.selector: Invalid value: ' +
        'v1.LabelSelector{MatchLabels:map[string]string{"app":"moved"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: ' +
        "field is immutable\n",
    );
  });

  it("several errors are listed one per line", async () => {
    const ds = mismatchedSelector("bad-twice", "checks");
    ds.spec.template.spec.containers[0].name = "Not_A_Name";
    const r = await k.run(["create", "-f", "-"], { stdin: toYaml([ds]) });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'The DaemonSet "bad-twice" is invalid: \n' +
        '* spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`\n' +
        '* spec.template.spec.containers[0].name: Invalid value: "Not_A_Name": a lowercase RFC 1123 label must consist of ' +
        "lower case alphanumeric characters or '-', and must start and end with an alphanumeric character " +
        "(e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')\n",
    );
  });

  it("unknown fields fail strict validation, kubectl's default", async () => {
    const stdin = toYaml([withUnknownFields("strict", "checks")]);
    const [applied, created] = await Promise.all([
      k.run(["apply", "-f", "-"], { stdin }),
      k.run(["create", "-f", "-"], { stdin }),
    ]);
    for (const r of [applied, created]) {
      assert.equal(r.code, 1);
      assert.equal(r.stdout, "");
      assert.equal(
        r.stderr,
        'Error from server (BadRequest): error when creating "STDIN": DaemonSet in version "v1" cannot be handled as a ' +
          "DaemonSet: strict decoding error: " +
          'unknown field "spec.foo", unknown field "spec.template.spec.containers[0].imagePullPolcy"\n',
      );
    }
    await notStored("strict");
  });

  it("--validate=false stores the object without the unknown fields; --validate=warn warns", async () => {
    const ignored = await k.run(["apply", "--validate=false", "-f", "-"], {
      stdin: toYaml([withUnknownFields("lenient", "checks")]),
    });
    assert.equal(ignored.stderr, "");
    assert.equal(ignored.stdout, "daemonset.apps/lenient created\n");
    const stored = JSON.parse(await k.ok(["get", "ds", "lenient", "-n", "checks", "-o", "json"]));
    assert.equal("foo" in stored.spec, false);
    assert.equal("imagePullPolcy" in stored.spec.template.spec.containers[0], false);

    const warned = await k.run(["create", "--validate=warn", "-f", "-"], {
      stdin: toYaml([withUnknownFields("warned", "checks")]),
    });
    assert.equal(warned.code, 0);
    assert.equal(warned.stdout, "daemonset.apps/warned created\n");
    assert.equal(
      warned.stderr,
      'Warning: unknown field "spec.foo"\nWarning: unknown field "spec.template.spec.containers[0].imagePullPolcy"\n',
    );
  });

  it("kubectl explain daemonset.spec.updateStrategy prints the field and its subfields", async () => {
    const out = await k.ok(["explain", "daemonset.spec.updateStrategy"]);
    assert.match(
      out,
      /^GROUP: {6}apps\nKIND: {7}DaemonSet\nVERSION: {4}v1\n\nFIELD: updateStrategy <DaemonSetUpdateStrategy>\n/,
    );
    assert.match(out, /\nDESCRIPTION:\n {4}\S.*\n/, "the field has a description");
    assert.match(out, /\nFIELDS:\n {2}rollingUpdate\t<RollingUpdateDaemonSet>\n {4}\S/);
    const enumLine = explainPrintsEnums(await k.clientMinor()) ? " {2}enum: OnDelete, RollingUpdate\n" : "";
    assert.match(out, new RegExp(`\n {2}type\t<string>\n${enumLine} {4}\\S`));
  });

  it("kubectl explain ds --recursive prints the whole DaemonSet tree", async () => {
    const out = await k.ok(["explain", "ds", "--recursive"]);
    assert.match(out, /^GROUP: {6}apps\nKIND: {7}DaemonSet\nVERSION: {4}v1\n\nDESCRIPTION:\n/);
    const lines = new Set(out.split("\n"));
    for (const line of [
      "  apiVersion\t<string>",
      "  kind\t<string>",
      "  metadata\t<ObjectMeta>",
      "  spec\t<DaemonSetSpec>",
      "    minReadySeconds\t<integer>",
      "    revisionHistoryLimit\t<integer>",
      "    selector\t<LabelSelector> -required-",
      "    template\t<PodTemplateSpec> -required-",
      "      spec\t<PodSpec>",
      "        containers\t<[]Container> -required-",
      "          image\t<string>",
      "        nodeSelector\t<map[string]string>",
      "        tolerations\t<[]Toleration>",
      "    updateStrategy\t<DaemonSetUpdateStrategy>",
      "      rollingUpdate\t<RollingUpdateDaemonSet>",
      "  status\t<DaemonSetStatus>",
      "    desiredNumberScheduled\t<integer> -required-",
    ]) {
      assert.ok(lines.has(line), `explain --recursive lacks ${JSON.stringify(line)}`);
    }
    const missing = await k.run(["explain", "ds.spec.foo"]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'error: field "foo" does not exist\n');
  });

  it("kubectl api-resources lists daemonsets with short name ds", async () => {
    const [all, apps] = await Promise.all([
      k.ok(["api-resources"]),
      k.ok(["api-resources", "--api-group=apps", "-o", "name"]),
    ]);
    const table = parseTable(all);
    assert.deepEqual(table.header, ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]);
    const row = (name: string) => table.rows.find((r) => r.NAME === name);
    assert.deepEqual(row("daemonsets"), {
      NAME: "daemonsets",
      SHORTNAMES: "ds",
      APIVERSION: "apps/v1",
      NAMESPACED: "true",
      KIND: "DaemonSet",
    });
    assert.deepEqual(row("nodes"), {
      NAME: "nodes",
      SHORTNAMES: "no",
      APIVERSION: "v1",
      NAMESPACED: "false",
      KIND: "Node",
    });
    assert.deepEqual(row("namespaces"), {
      NAME: "namespaces",
      SHORTNAMES: "ns",
      APIVERSION: "v1",
      NAMESPACED: "false",
      KIND: "Namespace",
    });
    assert.ok(apps.split("\n").includes("daemonsets.apps"), apps);
    assert.ok(apps.split("\n").includes("controllerrevisions.apps"), apps);
  });
});
