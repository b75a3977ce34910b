// ServiceAccount admission for pods (upstream plugin/pkg/admission/serviceaccount): a pod runs as the
// namespace's "default" ServiceAccount unless it names one, and gets the projected kube-api-access volume
// (token, cluster CA, namespace) mounted where client libraries look for it, unless automounting is off.
import { generateNameSuffix } from "../../api/names.js";
import type { KubeObject } from "../../api/object.js";

export const DEFAULT_SERVICE_ACCOUNT = "default";
export const SERVICE_ACCOUNT_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
/** The ConfigMap the root-CA publisher keeps in every namespace. */
export const ROOT_CA_CONFIG_MAP = "kube-root-ca.crt";
/** Upstream's bound token lifetime for the projected volume (1 h plus a little slack). */
const TOKEN_EXPIRATION_SECONDS = 3607;

function apiAccessVolume(name: string) {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: TOKEN_EXPIRATION_SECONDS, path: "token" } },
        { configMap: { name: ROOT_CA_CONFIG_MAP, items: [{ key: "ca.crt", path: "ca.crt" }] } },
        {
          downwardAPI: {
            items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }],
          },
        },
      ],
    },
  };
}

/** Mutates a pod being created, as the admission plugin does. */
export function admitPodServiceAccount(pod: KubeObject): void {
  const spec = pod.spec;
  if (!spec) return;
  if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount || DEFAULT_SERVICE_ACCOUNT;
  // The deprecated alias mirrors the name, as upstream's conversion keeps it.
  spec.serviceAccount = spec.serviceAccountName;
  if (spec.automountServiceAccountToken === false) return;
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  const alreadyMounted = containers.some((c: { volumeMounts?: { mountPath: string }[] }) =>
    (c.volumeMounts ?? []).some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH),
  );
  if (alreadyMounted) return;
  const name = `kube-api-access-${generateNameSuffix()}`;
  spec.volumes = [...(spec.volumes ?? []), apiAccessVolume(name)];
  for (const c of containers) {
    c.volumeMounts = [
      ...(c.volumeMounts ?? []),
      { name, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH },
    ];
  }
}
