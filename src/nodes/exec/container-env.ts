// A container's process environment as the kubelet and the runtime build it: the image's ENV, HOSTNAME, the
// pod spec's envFrom and env (literal values, downward-API fieldRef and resourceFieldRef, ConfigMap and Secret
// keys, `$(VAR)` references to variables defined before), the service links of the `kubernetes` Service, HOME.
import type { KubeObject } from "../../api/object.js";
import { parseQuantity } from "../../api/quantity.js";
import type { ImageProfile } from "./image-profile.js";

/** The `kubernetes` Service's ClusterIP and port (the first address of the default service CIDR). */
export const KUBERNETES_SERVICE_HOST = "10.96.0.1";
const KUBERNETES_SERVICE_PORT = "443";

/** Service-link variables every container gets for the `kubernetes` Service in `default`. */
export const KUBERNETES_SERVICE_ENV: readonly (readonly [string, string])[] = [
  ["KUBERNETES_SERVICE_HOST", KUBERNETES_SERVICE_HOST],
  ["KUBERNETES_SERVICE_PORT", KUBERNETES_SERVICE_PORT],
  ["KUBERNETES_SERVICE_PORT_HTTPS", KUBERNETES_SERVICE_PORT],
  ["KUBERNETES_PORT", `tcp://${KUBERNETES_SERVICE_HOST}:${KUBERNETES_SERVICE_PORT}`],
  ["KUBERNETES_PORT_443_TCP", `tcp://${KUBERNETES_SERVICE_HOST}:${KUBERNETES_SERVICE_PORT}`],
  ["KUBERNETES_PORT_443_TCP_PROTO", "tcp"],
  ["KUBERNETES_PORT_443_TCP_PORT", KUBERNETES_SERVICE_PORT],
  ["KUBERNETES_PORT_443_TCP_ADDR", KUBERNETES_SERVICE_HOST],
];

/** Reads ConfigMaps and Secrets of the pod's namespace (Secret values decoded); undefined when missing. */
export interface ConfigLookups {
  configMap(name: string): Promise<Record<string, string> | undefined>;
  secret(name: string): Promise<Record<string, string> | undefined>;
}

/** A downward-API field of the pod (`metadata.labels['app']`, `status.podIP`, …), as the kubelet resolves it. */
export function podFieldValue(
  pod: KubeObject,
  fieldPath: string,
  podIP: string,
  hostIP: string,
): string | undefined {
  const keyed = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (keyed) return (keyed[1] === "labels" ? pod.metadata.labels : pod.metadata.annotations)?.[keyed[2]];
  switch (fieldPath) {
    case "metadata.name":
      return pod.metadata.name;
    case "metadata.namespace":
      return pod.metadata.namespace;
    case "metadata.uid":
      return pod.metadata.uid;
    case "metadata.labels":
    case "metadata.annotations": {
      const map = fieldPath === "metadata.labels" ? pod.metadata.labels : pod.metadata.annotations;
      return Object.entries(map ?? {})
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join("\n");
    }
    case "spec.nodeName":
      return pod.spec?.nodeName;
    case "spec.serviceAccountName":
      return pod.spec?.serviceAccountName;
    case "status.podIP":
    case "status.podIPs":
      return podIP;
    case "status.hostIP":
    case "status.hostIPs":
      return hostIP;
  }
  return undefined;
}

/** A resourceFieldRef value: the container's limit (the node's allocatable when unset) or request, divided. */
export function resourceFieldValue(
  spec: Record<string, any>,
  ref: { resource?: string; divisor?: string },
  allocatable: Readonly<Record<string, string>>,
): string | undefined {
  const [kind, name] = (ref.resource ?? "").split(".", 2);
  if ((kind !== "limits" && kind !== "requests") || !name) return undefined;
  const text: string | undefined =
    spec.resources?.[kind]?.[name] ??
    (kind === "limits" ? allocatable[name] : name === "cpu" || name === "memory" ? "0" : undefined);
  if (text === undefined) return undefined;
  try {
    const amount = parseQuantity(text).nanos;
    const divisor = parseQuantity(ref.divisor ?? "1").nanos;
    if (divisor <= 0n) return undefined;
    // Upstream rounds up: a 250m CPU limit with divisor 1 is 1.
    return String((amount + divisor - 1n) / divisor);
  } catch {
    return undefined;
  }
}

/** Replaces `$(NAME)` with variables defined so far (unknown ones stay as written); `$$` is a literal `$`. */
export function expandReferences(value: string, lookup: (name: string) => string | undefined): string {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === "$" && value[i + 1] === "$") {
      out += "$";
      i++;
    } else if (c === "$" && value[i + 1] === "(") {
      const close = value.indexOf(")", i + 2);
      if (close < 0) {
        out += value.slice(i);
        break;
      }
      const name = value.slice(i + 2, close);
      out += lookup(name) ?? value.slice(i, close + 1);
      i = close;
    } else {
      out += c;
    }
  }
  return out;
}

export interface EnvironmentInput {
  pod: KubeObject;
  /** The container's spec. */
  spec: Record<string, any>;
  profile: ImageProfile;
  hostname: string;
  podIP: string;
  hostIP: string;
  /** The node's allocatable resources (what a limit-less resourceFieldRef reports). */
  allocatable: Readonly<Record<string, string>>;
  /** The home directory of the user the process runs as. */
  home: string;
  /** A terminal was requested: TERM is set, as runtimes do. */
  tty: boolean;
  lookups: ConfigLookups;
}

const VALID_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

async function envFromEntries(
  entry: Record<string, any>,
  lookups: ConfigLookups,
): Promise<[string, string][]> {
  const source = entry.configMapRef ?? entry.secretRef;
  if (!source?.name) return [];
  const data = entry.configMapRef ? await lookups.configMap(source.name) : await lookups.secret(source.name);
  const prefix = typeof entry.prefix === "string" ? entry.prefix : "";
  return Object.entries(data ?? {})
    .map(([k, v]): [string, string] => [prefix + k, v])
    .filter(([k]) => VALID_NAME.test(k));
}

async function envValue(e: Record<string, any>, input: EnvironmentInput): Promise<string | undefined> {
  if (typeof e.value === "string") return e.value;
  const from = e.valueFrom;
  if (!from) return e.value === undefined ? "" : String(e.value);
  if (from.fieldRef)
    return podFieldValue(input.pod, from.fieldRef.fieldPath ?? "", input.podIP, input.hostIP);
  if (from.resourceFieldRef) return resourceFieldValue(input.spec, from.resourceFieldRef, input.allocatable);
  const keyRef = from.configMapKeyRef ?? from.secretKeyRef;
  if (keyRef?.name) {
    const data = from.configMapKeyRef
      ? await input.lookups.configMap(keyRef.name)
      : await input.lookups.secret(keyRef.name);
    return data?.[keyRef.key];
  }
  return undefined;
}

/** The environment of a process started in the container, in the order `env` prints it. */
export async function containerEnvironment(input: EnvironmentInput): Promise<[string, string][]> {
  const [path, ...imageEnv] = input.profile.env;
  const env = new Map<string, string>();
  if (path) env.set(path[0], path[1]);
  env.set("HOSTNAME", input.hostname);
  if (input.tty) env.set("TERM", "xterm");
  for (const [k, v] of imageEnv) env.set(k, v);
  // The kubelet resolves references against what the pod spec defined before, then the service links.
  const defined = new Map<string, string>();
  const lookup = (name: string) =>
    defined.get(name) ?? KUBERNETES_SERVICE_ENV.find(([k]) => k === name)?.[1] ?? undefined;
  for (const entry of input.spec.envFrom ?? []) {
    for (const [k, v] of await envFromEntries(entry, input.lookups)) defined.set(k, v);
  }
  for (const e of input.spec.env ?? []) {
    if (typeof e?.name !== "string") continue;
    const value = await envValue(e, input);
    if (value !== undefined) defined.set(e.name, expandReferences(value, lookup));
  }
  for (const [k, v] of defined) env.set(k, v);
  // The master service's links are set whatever enableServiceLinks says (it governs the other services).
  for (const [k, v] of KUBERNETES_SERVICE_ENV) if (!env.has(k)) env.set(k, v);
  if (!env.has("HOME")) env.set("HOME", input.home);
  return [...env];
}
