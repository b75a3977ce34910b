// End-to-end: `kubectl apply --server-side` against a real `everynode up` — creation, a conflicting apply
// from another field manager, --force-conflicts, managedFields shown by --show-managed-fields, and kubectl's
// migration of an object it applied client-side.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import type { Kubectl } from "../support/kubectl.js";
import { type E2eCluster, startCluster } from "./support/cluster.js";
import { getJson } from "./support/get-json.js";
import { daemonSet, namespace, toYaml } from "./support/manifests.js";

const NS = "ssa";
const IMAGE_PATH = '.spec.template.spec.containers[name="main"].image';

/** Every managedFields entry as `manager/Operation[/subresource]`, sorted. */
const owners = (obj: { metadata: { managedFields?: Record<string, string>[] } }): string[] =>
  (obj.metadata.managedFields ?? [])
    .map((e) => `${e.manager}/${e.operation}${e.subresource ? `/${e.subresource}` : ""}`)
    .sort();

describe("kubectl apply --server-side", () => {
  let cluster: E2eCluster;
  let k: Kubectl;
  const applyServerSide = (image: string, ...flags: string[]) =>
    k.run(["apply", "--server-side", ...flags, "-f", "-"], {
      stdin: toYaml([daemonSet("agent", NS, image)]),
    });
  const showManaged = async (name: string) =>
    parse(await k.ok(["get", "ds", name, "-n", NS, "-o", "yaml", "--show-managed-fields"]));

  before(async () => {
    cluster = await startCluster();
    k = cluster.kubectl;
    await k.ok(["apply", "-f", "-"], { stdin: toYaml([namespace(NS)]) });
  });
  after(() => cluster?.stop());

  it("creates the DaemonSet, and re-applying it changes nothing", async () => {
    const created = await applyServerSide("busybox:1.36");
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stdout, "daemonset.apps/agent serverside-applied\n");
    const ds = await getJson(k, "ds", "agent", "-n", NS);
    assert.equal(ds.spec.template.spec.containers[0].image, "busybox:1.36");
    assert.equal(ds.metadata.managedFields, undefined, "kubectl hides managedFields by default");

    const again = await applyServerSide("busybox:1.36");
    assert.equal(again.stdout, "daemonset.apps/agent serverside-applied\n");
    assert.equal((await getJson(k, "ds", "agent", "-n", NS)).metadata.generation, 1);
  });

  it("a different --field-manager changing the image gets kubectl's conflict error", async () => {
    const r = await applyServerSide("busybox:1.37", "--field-manager=rollout-bot");
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Apply failed with 1 conflict: conflict with "kubectl": /);
    assert.ok(r.stderr.includes(IMAGE_PATH), r.stderr);
    assert.match(r.stderr, /Please review the fields above--they currently have other managers/);
    assert.equal(
      (await getJson(k, "ds", "agent", "-n", NS)).spec.template.spec.containers[0].image,
      "busybox:1.36",
    );
  });

  it("--force-conflicts takes the image over, and --show-managed-fields shows both managers", async () => {
    const r = await applyServerSide("busybox:1.37", "--field-manager=rollout-bot", "--force-conflicts");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "daemonset.apps/agent serverside-applied\n");

    const ds = await showManaged("agent");
    assert.equal(ds.spec.template.spec.containers[0].image, "busybox:1.37");
    const applied = owners(ds).filter((o) => o.endsWith("/Apply"));
    assert.deepEqual(applied, ["kubectl/Apply", "rollout-bot/Apply"]);
    const entry = (manager: string) => ds.metadata.managedFields.find((e: any) => e.manager === manager);
    const imageOf = (manager: string) =>
      entry(manager).fieldsV1["f:spec"]["f:template"]["f:spec"]["f:containers"]['k:{"name":"main"}'][
        "f:image"
      ];
    assert.deepEqual(imageOf("rollout-bot"), {});
    assert.equal(imageOf("kubectl"), undefined, "kubectl no longer owns the image");
    assert.equal(entry("kubectl").apiVersion, "apps/v1");
    assert.equal(entry("kubectl").fieldsType, "FieldsV1");
  });

  it("migrates an object kubectl applied client-side: no conflict, and the client-side manager is gone", async () => {
    const manifest = daemonSet("migrated", NS, "busybox:1.36");
    const csa = await k.ok(["apply", "-f", "-"], { stdin: toYaml([manifest]) });
    assert.equal(csa, "daemonset.apps/migrated created\n");
    assert.ok(owners(await showManaged("migrated")).includes("kubectl-client-side-apply/Update"));

    const updated = daemonSet("migrated", NS, "busybox:1.37");
    const r = await k.run(["apply", "--server-side", "-f", "-"], { stdin: toYaml([updated]) });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "daemonset.apps/migrated serverside-applied\n");

    const ds = await showManaged("migrated");
    assert.equal(ds.spec.template.spec.containers[0].image, "busybox:1.37");
    const managers = owners(ds);
    assert.ok(managers.includes("kubectl/Apply"), managers.join());
    assert.ok(managers.includes("kubectl-last-applied/Apply"), managers.join());
    assert.ok(!managers.includes("kubectl-client-side-apply/Update"), managers.join());
    const lastApplied = JSON.parse(
      ds.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"],
    );
    assert.equal(lastApplied.spec.template.spec.containers[0].image, "busybox:1.37");
  });
});
