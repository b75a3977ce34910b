// End-to-end: the same smoke sequence (apply, get, patch, delete) with every kubectl minor from 1.27 to 1.33
// installed beside the kubectl on PATH; 1.27/1.28 find strict field validation in protobuf /openapi/v2.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Kubectl } from "../support/kubectl.js";
import { type E2eCluster, startCluster } from "./support/cluster.js";
import { daemonSet, namespace, toYaml } from "./support/manifests.js";
import { column, parseTable } from "./support/tables.js";

const MINORS = [27, 28, 29, 30, 31, 32, 33];

/** The directory of the real kubectl (`kubectl` on PATH is often a symlink to a versioned dispatcher). */
function kubectlDir(): string | undefined {
  try {
    const onPath = execFileSync("sh", ["-c", "command -v kubectl"], { encoding: "utf8" }).trim();
    return onPath ? dirname(realpathSync(onPath)) : undefined;
  } catch {
    return undefined;
  }
}

const dir = kubectlDir();
const binaryFor = (minor: number): string | undefined => {
  const path = dir && join(dir, `kubectl.1.${minor}`);
  return path && existsSync(path) ? path : undefined;
};

describe("kubectl 1.27 – 1.33", () => {
  let cluster: E2eCluster;
  before(async () => {
    cluster = await startCluster();
  });
  after(() => cluster?.stop());

  for (const minor of MINORS) {
    const binary = binaryFor(minor);
    it(`kubectl 1.${minor}: apply, get, patch, delete`, {
      skip: binary ? false : `no kubectl.1.${minor} beside kubectl`,
    }, async () => {
      const k = new Kubectl(cluster.server.kubeconfig, binary);
      const version = JSON.parse(await k.ok(["version", "--client", "-o", "json"]));
      assert.equal(version.clientVersion.minor, String(minor));

      const ns = `kubectl-1-${minor}`;
      const ds = ["ds", "smoke", "-n", ns];
      assert.equal(
        await k.ok(["apply", "-f", "-"], {
          stdin: toYaml([namespace(ns), daemonSet("smoke", ns, "nginx:1.25")]),
        }),
        `namespace/${ns} created\ndaemonset.apps/smoke created\n`,
      );
      // Strict field validation works only if this client found `fieldValidation` in the server's OpenAPI.
      const strict = daemonSet("strict", ns);
      strict.spec.foo = "bar";
      const refused = await k.run(["apply", "-f", "-"], { stdin: toYaml([strict]) });
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /strict decoding error: unknown field "spec\.foo"/);

      const table = parseTable(await k.ok(["get", "ds", "-n", ns]));
      assert.deepEqual(column(table, "NAME"), ["smoke"]);
      assert.equal(table.header[1], "DESIRED");

      const image = '{"spec":{"template":{"spec":{"containers":[{"name":"main","image":"nginx:1.26"}]}}}}';
      assert.equal(await k.ok(["patch", ...ds, "-p", image]), "daemonset.apps/smoke patched\n");
      assert.equal(
        await k.ok(["get", ...ds, "-o", "jsonpath={.spec.template.spec.containers[0].image}"]),
        "nginx:1.26",
      );

      assert.equal(await k.ok(["delete", ...ds]), 'daemonset.apps "smoke" deleted\n');
      const gone = await k.run(["get", ...ds]);
      assert.equal(gone.stderr, 'Error from server (NotFound): daemonsets.apps "smoke" not found\n');
    });
  }
});
