// End-to-end: `kubectl exec` against `everynode up` into a DaemonSet's pods (nginx beside node-exporter):
// env, hostname, files, node-exporter's metrics on localhost, a missing binary, a shell fed by piped stdin,
// exit codes, `kubectl run -i --rm` attached to a new pod's shell, and the same through kubectl 1.27 and 1.29,
// which speak SPDY/3.1 instead of WebSocket.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Kubectl } from "../support/kubectl.js";
import { type E2eCluster, startCluster } from "./support/cluster.js";
import { getJson } from "./support/get-json.js";
import { kubectlBinary } from "./support/kubectl-binaries.js";
import { type Manifest, namespace, toYaml } from "./support/manifests.js";
import { waitFor } from "./support/wait.js";

const NS = "exec-e2e";

const MONITOR: Manifest = {
  apiVersion: "apps/v1",
  kind: "DaemonSet",
  metadata: { name: "monitor", namespace: NS },
  spec: {
    selector: { matchLabels: { app: "monitor" } },
    template: {
      metadata: { labels: { app: "monitor" } },
      spec: {
        containers: [
          {
            name: "nginx",
            image: "nginx:1.27.3",
            env: [
              { name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
              { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
              { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
              { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
            ],
          },
          { name: "node-exporter", image: "prom/node-exporter:v1.8.2", ports: [{ containerPort: 9100 }] },
        ],
      },
    },
  },
};

describe("kubectl exec", () => {
  let cluster: E2eCluster;
  let k: Kubectl;
  let pod: Manifest;

  before(async () => {
    cluster = await startCluster();
    k = cluster.kubectl;
    await k.ok(["apply", "-f", "-"], { stdin: toYaml([namespace(NS), MONITOR]) });
    // Two workers (the control-plane node is tainted): one running pod on each.
    const pods = await waitFor("the DaemonSet's pods to run", async () => {
      const list = await getJson(k, "pods", "-n", NS);
      const running = list.items.filter((p: Manifest) => p.status?.phase === "Running" && p.status?.podIP);
      return running.length === 2 && running;
    });
    pod = pods[0];
  });
  after(() => cluster?.stop());

  const exec = (
    args: string[],
    options: { stdin?: string; env?: Record<string, string> } = {},
    kubectl = k,
  ) => kubectl.run(["exec", "-n", NS, pod.metadata.name, ...args], options);

  it("env: the container's environment with resolved downward-API fields", async () => {
    const r = await exec(["--", "env"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, `Defaulted container "nginx" out of: nginx, node-exporter\n`);
    const env = new Map(
      r.stdout
        .trim()
        .split("\n")
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    assert.equal(env.get("HOSTNAME"), pod.metadata.name);
    assert.equal(env.get("NODE_NAME"), pod.spec.nodeName);
    assert.equal(env.get("POD_NAME"), pod.metadata.name);
    assert.equal(env.get("POD_NAMESPACE"), NS);
    assert.equal(env.get("POD_IP"), pod.status.podIP);
    assert.equal(env.get("KUBERNETES_SERVICE_HOST"), "10.96.0.1");
    assert.match(env.get("PATH") ?? "", /\/usr\/bin/);
  });

  it("hostname and /etc/hostname name the pod", async () => {
    for (const command of [["hostname"], ["cat", "/etc/hostname"]]) {
      const r = await exec(["-c", "nginx", "--", ...command]);
      assert.deepEqual([r.code, r.stdout, r.stderr], [0, `${pod.metadata.name}\n`, ""]);
    }
  });

  it("node-exporter serves Prometheus metrics on localhost:9100", async () => {
    const r = await exec(["-c", "node-exporter", "--", "wget", "-qO-", "http://localhost:9100/metrics"]);
    assert.equal(r.code, 0, r.stderr);
    const head = r.stdout.split("\n").slice(0, 3);
    assert.deepEqual(head, [
      "# HELP go_goroutines Number of goroutines that currently exist.",
      "# TYPE go_goroutines gauge",
      "go_goroutines 8",
    ]);
    assert.match(r.stdout, new RegExp(`^node_uname_info\\{[^}]*nodename="${pod.spec.nodeName}"`, "m"));
    // The same through a pipeline inside the container.
    const piped = await exec([
      "-c",
      "node-exporter",
      "--",
      "sh",
      "-c",
      "wget -qO- localhost:9100/metrics | head -n 2",
    ]);
    assert.equal(piped.stdout, `${head.slice(0, 2).join("\n")}\n`);
  });

  it("a missing binary fails as containerd reports it", async () => {
    const r = await exec(["-c", "nginx", "--", "foo"]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.match(
      r.stderr,
      /^error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "foo": executable file not found in \$PATH: unknown\n$/,
    );
  });

  it("exec -i sh runs the commands piped to it", async () => {
    const r = await exec(["-i", "-c", "node-exporter", "--", "sh"], {
      stdin: "echo hello\nhostname\nid -un\nwget -qO- localhost:9100/metrics | grep -c '^node_load'\n",
    });
    assert.deepEqual([r.code, r.stderr], [0, ""]);
    assert.equal(r.stdout, `hello\n${pod.metadata.name}\nnobody\n3\n`);
  });

  it("a non-zero exit becomes kubectl's exit code", async () => {
    const r = await exec(["-c", "nginx", "--", "sh", "-c", "echo before; exit 3"]);
    assert.deepEqual([r.code, r.stdout, r.stderr], [3, "before\n", "command terminated with exit code 3\n"]);
    const piped = await exec(["-i", "-c", "nginx", "--", "sh"], { stdin: "exit 4\n" });
    assert.equal(piped.code, 4);
  });

  it("errors before the stream starts come back as the API server's Status", async () => {
    const missing = await k.run(["exec", "-n", NS, "nope", "--", "env"]);
    assert.deepEqual(
      [missing.code, missing.stderr],
      [1, 'Error from server (NotFound): pods "nope" not found\n'],
    );
    const container = await exec(["-c", "sidecar", "--", "env"]);
    assert.equal(container.code, 1);
    assert.equal(
      container.stderr,
      `Error from server (BadRequest): container sidecar is not valid for pod ${pod.metadata.name}\n`,
    );
  });

  /** `kubectl run -i --rm --restart=Never NAME --image=busybox -- sh`, fed two commands, as a user would. */
  const runOnce = (name: string, via: Kubectl = k) =>
    via.run(["run", "-i", "--rm", "--restart=Never", name, "-n", NS, "--image=busybox:1.36", "--", "sh"], {
      stdin: "echo hello from $(hostname)\nexit 3\n",
    });
  const assertRanOnce = async (r: { code: number; stdout: string; stderr: string }, name: string) => {
    assert.deepEqual(
      [r.code, r.stdout, r.stderr],
      [
        3,
        `hello from ${name}\npod "${name}" deleted\n`,
        `If you don't see a command prompt, try pressing enter.\npod ${NS}/${name} terminated (Error)\n`,
      ],
    );
    const left = await k.run(["get", "pod", name, "-n", NS]);
    assert.equal(left.stderr, `Error from server (NotFound): pods "${name}" not found\n`);
  };

  it("run -i --rm attaches to the new pod's shell, exits with its code, and deletes the pod", async () => {
    await assertRanOnce(await runOnce("one-off"), "one-off");
  });

  it("debug -i adds an ephemeral container to a running pod, attaches to its shell, and it ends with the shell", async () => {
    const list = await getJson(k, "pods", "-n", NS);
    const other = list.items.find((p: Manifest) => p.metadata.name !== pod.metadata.name).metadata.name;
    const args = ["debug", "-i", "-n", NS, other, "--image=busybox:1.36", "--target=nginx", "-c", "dbg"];
    const r = await k.run([...args, "--profile=general", "--", "sh"], { stdin: "echo from $(hostname)\n" });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      'Targeting container "nginx". If you don\'t see processes from this container it may be because the ' +
        `container runtime doesn't support this feature.\nfrom ${other}\n`,
    );
    const ended = await waitFor("the ephemeral container to end with its shell", async () => {
      const p = await getJson(k, "pod", other, "-n", NS);
      return p.status.ephemeralContainerStatuses?.[0]?.state?.terminated && p;
    });
    assert.equal(ended.status.ephemeralContainerStatuses[0].name, "dbg");
    assert.equal(ended.status.phase, "Running", "the pod runs on");
  });

  // kubectl before 1.30 streams exec over SPDY/3.1: the same session must come out the same.
  for (const minor of [27, 29]) {
    const binary = kubectlBinary(minor);
    it(`kubectl 1.${minor} (SPDY/3.1): env, exit codes, piped stdin and errors as with WebSocket`, {
      skip: binary ? false : `no kubectl.1.${minor} beside kubectl`,
    }, async () => {
      const spdy = new Kubectl(cluster.server.kubeconfig, binary);
      try {
        const env = await exec(["-c", "nginx", "--", "printenv", "POD_NAME", "NODE_NAME"], {}, spdy);
        assert.deepEqual(
          [env.code, env.stdout, env.stderr],
          [0, `${pod.metadata.name}\n${pod.spec.nodeName}\n`, ""],
        );
        const exit = await exec(["-c", "nginx", "--", "sh", "-c", "echo before; exit 3"], {}, spdy);
        assert.deepEqual(
          [exit.code, exit.stdout, exit.stderr],
          [3, "before\n", "command terminated with exit code 3\n"],
        );
        const piped = await exec(
          ["-i", "-c", "node-exporter", "--", "sh"],
          { stdin: "echo hello\nid -un\n" },
          spdy,
        );
        assert.deepEqual([piped.code, piped.stdout, piped.stderr], [0, "hello\nnobody\n", ""]);
        // Unknown commands fail with exactly the text the WebSocket path gives kubectl 1.30+.
        const [missing, newer] = await Promise.all([
          exec(["-c", "nginx", "--", "foo"], {}, spdy),
          exec(["-c", "nginx", "--", "foo"]),
        ]);
        assert.equal(missing.code, 1);
        assert.match(missing.stderr, /exec: "foo": executable file not found in \$PATH: unknown\n$/);
        const containerId = /failed to start exec "[0-9a-f]{64}"/g;
        assert.equal(missing.stderr.replace(containerId, ""), newer.stderr.replace(containerId, ""));
        await assertRanOnce(await runOnce(`one-off-${minor}`, spdy), `one-off-${minor}`);
      } finally {
        spdy.dispose();
      }
    });
  }
});
