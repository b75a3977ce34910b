// The kubelet-managed files: /etc/hosts (subdomain, hostAliases) and /etc/resolv.conf per dnsPolicy.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../api/object.js";
import { etcHosts, resolvConf } from "./container-files.js";

const pod = (spec: Record<string, unknown>): KubeObject => ({
  metadata: { name: "p", namespace: "ns" },
  spec,
});

describe("etcHosts", () => {
  it("names the pod, with its subdomain FQDN and host aliases", () => {
    const text = etcHosts(
      pod({ subdomain: "db", hostAliases: [{ ip: "1.2.3.4", hostnames: ["a.local", "b.local"] }] }),
      "p",
      "10.244.1.5",
    );
    assert.match(text, /^# Kubernetes-managed hosts file\.\n127\.0\.0\.1\tlocalhost\n/);
    assert.match(text, /\n10\.244\.1\.5\tp\.db\.ns\.svc\.cluster\.local\tp\n/);
    assert.match(text, /\n\n# Entries added by HostAliases\.\n1\.2\.3\.4\ta\.local\tb\.local\n$/);
  });
});

describe("resolvConf", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    [
      "ClusterFirst",
      {},
      "search ns.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n",
    ],
    ["hostNetwork falls back to the node's", { hostNetwork: true }, "search .\nnameserver 10.0.0.1\n"],
    [
      "ClusterFirstWithHostNet",
      { hostNetwork: true, dnsPolicy: "ClusterFirstWithHostNet" },
      "search ns.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n",
    ],
    [
      "None with dnsConfig",
      {
        dnsPolicy: "None",
        dnsConfig: {
          nameservers: ["1.1.1.1"],
          searches: ["x.local"],
          options: [{ name: "ndots", value: "2" }, { name: "edns0" }],
        },
      },
      "search x.local\nnameserver 1.1.1.1\noptions ndots:2 edns0\n",
    ],
  ];
  for (const [name, spec, text] of cases) it(name, () => assert.equal(resolvConf(pod(spec)), text));
});
