// Writes the kubeconfig `everynode up` hands to kubectl: one cluster, one user, one context named everynode.
import { writeFileSync } from "node:fs";
import { stringify } from "yaml";

export interface KubeconfigOptions {
  server: string;
  caData?: string;
  token?: string;
  clientCertData?: string;
  clientKeyData?: string;
}

export function buildKubeconfig(o: KubeconfigOptions): string {
  const cluster: Record<string, string> = { server: o.server };
  if (o.caData) cluster["certificate-authority-data"] = Buffer.from(o.caData).toString("base64");
  const user: Record<string, string> = {};
  if (o.token) user.token = o.token;
  if (o.clientCertData) user["client-certificate-data"] = Buffer.from(o.clientCertData).toString("base64");
  if (o.clientKeyData) user["client-key-data"] = Buffer.from(o.clientKeyData).toString("base64");
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "everynode", cluster }],
    users: [{ name: "everynode-admin", user }],
    contexts: [
      { name: "everynode", context: { cluster: "everynode", user: "everynode-admin", namespace: "default" } },
    ],
    "current-context": "everynode",
    preferences: {},
  });
}

export function writeKubeconfig(path: string, o: KubeconfigOptions): void {
  writeFileSync(path, buildKubeconfig(o), { mode: 0o600 });
}
