// End-to-end: the same smoke sequence (apply, get, patch, delete) and the same day-2 sequence (rollout status,
// history, undo, describe ds, logs) with every kubectl minor from 1.27 to 1.33 installed beside the kubectl on
// PATH; 1.27/1.28 find strict field validation in protobuf /openapi/v2.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Kubectl } from "../support/kubectl.js";
import { type E2eCluster, startCluster } from "./support/cluster.js";
import { daemonSetWith, onlyReadyPods, TICKER_SCRIPT } from "./support/day2.js";
import { describeField, describeTable } from "./support/describe.js";
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

    it(`kubectl 1.${minor}: rollout status, history, undo, describe ds, logs`, {
      skip: binary ? false : `no kubectl.1.${minor} beside kubectl`,
    }, async () => {
      const k = new Kubectl(cluster.server.kubeconfig, binary);
      const ns = `day2-1-${minor}`;
      const n = ["-n", ns];
      const ticker = daemonSetWith("ticker", ns, { command: ["sh", "-c", TICKER_SCRIPT] });
      await k.ok(["apply", "-f", "-"], { stdin: toYaml([namespace(ns), ticker]) });
      const done = 'daemon set "ticker" successfully rolled out\n';
      assert.ok((await k.ok(["rollout", "status", "ds/ticker", ...n, "--timeout=30s"])).endsWith(done));

      const cause = "image to busybox:1.37";
      await k.ok(["annotate", "ds", "ticker", ...n, `kubernetes.io/change-cause=${cause}`]);
      assert.equal(
        await k.ok(["set", "image", "ds/ticker", "main=busybox:1.37", ...n]),
        "daemonset.apps/ticker image updated\n",
      );
      assert.ok((await k.ok(["rollout", "status", "ds/ticker", ...n, "--timeout=30s"])).endsWith(done));
      const history = (rows: string[]) =>
        `daemonset.apps/ticker \nREVISION  CHANGE-CAUSE\n${rows.join("\n")}\n\n`;
      assert.equal(
        await k.ok(["rollout", "history", "ds/ticker", ...n]),
        history(["1         <none>", `2         ${cause}`]),
      );
      assert.match(
        await k.ok(["rollout", "history", "ds/ticker", ...n, "--revision=2"]),
        /^daemonset\.apps\/ticker with revision #2\nPod Template:\n[\s\S]*Image:\tbusybox:1\.37\n/,
      );
      assert.equal(await k.ok(["rollout", "undo", "ds/ticker", ...n]), "daemonset.apps/ticker rolled back\n");
      assert.ok((await k.ok(["rollout", "status", "ds/ticker", ...n, "--timeout=30s"])).endsWith(done));
      assert.equal(
        await k.ok(["rollout", "history", "ds/ticker", ...n]),
        history([`2         ${cause}`, "3         <none>"]),
      );

      // describe counts every pod the DaemonSet owns by phase, the old ones still being deleted too.
      const pods = await onlyReadyPods(k, ns, "app=ticker", 2);
      const described = await k.ok(["describe", "ds", "ticker", ...n]);
      assert.equal(describeField(described, "Desired Number of Nodes Scheduled"), "2");
      assert.equal(describeField(described, "Number of Nodes Scheduled with Up-to-date Pods"), "2");
      assert.equal(describeField(described, "Pods Status"), "2 Running / 0 Waiting / 0 Succeeded / 0 Failed");
      const reasons = describeTable(described, "Events").rows.map((r) => r.Reason);
      assert.ok(reasons.includes("SuccessfulCreate") && reasons.includes("SuccessfulDelete"), reasons.join());

      const log = await k.ok(["logs", pods[0].metadata.name, ...n]);
      assert.equal(log.split("\n")[0], `hello from ${pods[0].metadata.name}`);
      const prefixed = await k.ok(["logs", "-l", "app=ticker", ...n, "--prefix", "--tail=1"]);
      assert.deepEqual(
        prefixed
          .trim()
          .split("\n")
          .map((l) => l.slice(0, l.indexOf("]") + 1))
          .sort(),
        pods.map((p) => `[pod/${p.metadata.name}/main]`).sort(),
      );
    });
  }
});
