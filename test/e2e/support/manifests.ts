// Kubernetes manifests for the end-to-end tests: the seed fixtures (read from fixtures/), small builders for
// test-specific objects, YAML rendering for `kubectl ... -f -`, and the `kind/name` references kubectl prints.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseAllDocuments, stringify } from "yaml";

export type Manifest = Record<string, any>;

export const FIXTURES_DIR = resolve(import.meta.dirname, "../fixtures");

export const fixturePath = (name: string): string => resolve(FIXTURES_DIR, name);

/** Every document of a fixture file, as plain objects (comments dropped). */
export function loadFixture(name: string): Manifest[] {
  return parseAllDocuments(readFileSync(fixturePath(name), "utf8"))
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((doc): doc is Manifest => doc !== null);
}

/** The single document of `kind` (and `name`, when given) in a fixture file. */
export function fixtureObject(file: string, kind: string, name?: string): Manifest {
  const found = loadFixture(file).filter((d) => d.kind === kind && (!name || d.metadata?.name === name));
  if (found.length !== 1) throw new Error(`${file} holds ${found.length} ${kind} ${name ?? ""} documents`);
  return found[0];
}

/** Renders documents as one multi-document YAML stream. */
export function toYaml(docs: Manifest[]): string {
  return docs.map((d) => stringify(d)).join("---\n");
}

const CLUSTER_SCOPED = new Set(["Namespace", "Node", "ClusterRole", "ClusterRoleBinding"]);

/** Deep copies of `docs` moved into namespace `ns` (cluster-scoped documents are left out). */
export function inNamespace(docs: Manifest[], ns: string): Manifest[] {
  return docs
    .filter((d) => !CLUSTER_SCOPED.has(d.kind))
    .map((d) => {
      const copy = structuredClone(d);
      copy.metadata = { ...copy.metadata, namespace: ns };
      return copy;
    });
}

export function namespace(name: string): Manifest {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name } };
}

export function configMap(name: string, ns: string, data: Record<string, string>): Manifest {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: ns }, data };
}

/** A minimal valid DaemonSet: one container, selector and template labels `app: <name>`. */
export function daemonSet(name: string, ns: string, image = "busybox:1.36"): Manifest {
  const labels = { app: name };
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name, namespace: ns, labels },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: "main", image }] } },
    },
  };
}

const RESOURCE_REFS: Record<string, string> = {
  Namespace: "namespace",
  Node: "node",
  ServiceAccount: "serviceaccount",
  ConfigMap: "configmap",
  Event: "event",
  ClusterRole: "clusterrole.rbac.authorization.k8s.io",
  ClusterRoleBinding: "clusterrolebinding.rbac.authorization.k8s.io",
  DaemonSet: "daemonset.apps",
};

/** How kubectl names an object in `-o name` and in apply/create results: `daemonset.apps/fluentd`. */
export function objectRef(doc: Manifest): string {
  const resource = RESOURCE_REFS[doc.kind];
  if (!resource) throw new Error(`no kubectl reference known for kind ${doc.kind}`);
  return `${resource}/${doc.metadata.name}`;
}

/** The last-applied-configuration kubectl records for `doc`: the manifest plus empty annotations. */
export function lastAppliedOf(doc: Manifest): Manifest {
  return { ...doc, metadata: { annotations: {}, ...doc.metadata } };
}

/** An RFC 3339 timestamp (whole seconds, as the API serialises metav1.Time) `secondsAgo` in the past. */
export function timestampAgo(secondsAgo: number): string {
  return new Date(Date.now() - secondsAgo * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}
