// End-to-end: Services in front of a DaemonSet with kubectl — cluster IPs and node ports, the Endpoints and
// EndpointSlices the controllers keep (ready pods only as addresses, named target ports resolved),
// `kubectl describe svc`, and the endpoints going with the service.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Kubectl } from "../support/kubectl.js";
import { type E2eCluster, startCluster } from "./support/cluster.js";
import { getJson } from "./support/get-json.js";
import { daemonSet, type Manifest, namespace, toYaml } from "./support/manifests.js";
import { parseTable } from "./support/tables.js";
import { waitFor } from "./support/wait.js";

const NS = "svc-e2e";

describe("kubectl and Services", () => {
  let cluster: E2eCluster;
  let k: Kubectl;
  let podIPs: string[];
  before(async () => {
    cluster = await startCluster();
    k = cluster.kubectl;
    const exporter = daemonSet("exporter", NS, "prom/node-exporter:v1.8.2");
    exporter.spec.template.spec.containers[0].ports = [{ name: "metrics", containerPort: 9100 }];
    const service: Manifest = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "exporter", namespace: NS },
      spec: {
        selector: { app: "exporter" },
        ports: [{ name: "metrics", port: 9100, targetPort: "metrics" }],
      },
    };
    await k.ok(["apply", "-f", "-"], { stdin: toYaml([namespace(NS), exporter, service]) });
    podIPs = await waitFor("the DaemonSet's pods to run", async () => {
      const pods = (await getJson(k, "pods", "-n", NS)).items.filter(
        (p: Manifest) => p.status?.phase === "Running",
      );
      return pods.length === 2 && pods.map((p: Manifest) => p.status.podIP).sort();
    });
  });
  after(() => cluster?.stop());

  it("get endpoints and endpointslices list the ready pods at their named port", async () => {
    const table = await waitFor("the endpoints", async () => {
      const t = parseTable(await k.ok(["get", "endpoints", "exporter", "-n", NS]));
      return t.rows[0]?.ENDPOINTS.split(",").length === 2 && t;
    });
    assert.deepEqual(table.header, ["NAME", "ENDPOINTS", "AGE"]);
    assert.deepEqual(table.rows[0].ENDPOINTS.split(",").sort(), podIPs.map((ip) => `${ip}:9100`).sort());
    // The EndpointSlice controller works from the same pod events as the endpoints controller, on its own time.
    const slices = await waitFor("the endpoint slice", async () => {
      const t = parseTable(
        await k.ok(["get", "endpointslices", "-n", NS, "-l", "kubernetes.io/service-name=exporter"]),
      );
      return t.rows[0]?.ENDPOINTS.split(",").length === 2 && t;
    });
    assert.deepEqual(slices.header, ["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"]);
    assert.equal(slices.rows.length, 1);
    assert.match(slices.rows[0].NAME, /^exporter-[a-z0-9]{5}$/);
    assert.deepEqual([slices.rows[0].ADDRESSTYPE, slices.rows[0].PORTS], ["IPv4", "9100"]);
    assert.deepEqual(slices.rows[0].ENDPOINTS.split(",").sort(), podIPs);
  });

  it("describe svc shows the cluster IP and the endpoints", async () => {
    const text = await k.ok(["describe", "svc", "exporter", "-n", NS]);
    const ip = (await getJson(k, "svc", "exporter", "-n", NS)).spec.clusterIP;
    assert.match(text, new RegExp(`^IP:\\s+${ip.replaceAll(".", "\\.")}$`, "m"));
    assert.match(text, /^TargetPort:\s+metrics\/TCP$/m);
    const line = text.split("\n").find((l) => l.startsWith("Endpoints:")) ?? "";
    assert.deepEqual(
      line
        .replace(/^Endpoints:\s+/, "")
        .split(",")
        .sort(),
      podIPs.map((ip) => `${ip}:9100`).sort(),
    );
  });

  it("from a pod, the service's name resolves and its port reaches a ready pod's node-exporter", async () => {
    const script =
      "nslookup exporter\nwget -qO- http://exporter.svc-e2e:9100/metrics | grep '^node_uname_info'\n";
    const r = await k.run(
      ["run", "-i", "--rm", "--restart=Never", "probe", "-n", NS, "--image=busybox:1.36", "--", "sh"],
      { stdin: script },
    );
    const ip = (await getJson(k, "svc", "exporter", "-n", NS)).spec.clusterIP;
    const dns = `Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\texporter.${NS}.svc.cluster.local\nAddress: ${ip}\n\n`;
    assert.ok(r.stdout.startsWith(dns), r.stdout);
    assert.match(
      r.stdout.slice(dns.length),
      /^node_uname_info\{[^}]*nodename="node\d"[^}]*\} 1\npod "probe" deleted\n$/,
    );
  });

  it("deleting the service takes its endpoints and slices with it", async () => {
    await k.ok(["delete", "svc", "exporter", "-n", NS]);
    await waitFor("the endpoints and slices to go", async () => {
      const left = await k.ok(["get", "endpoints,endpointslices", "-n", NS, "-o", "name"]);
      return left.trim() === "";
    });
  });
});
