// The Secrets and ConfigMaps a pod uses (upstream podutil.VisitPodSecretNames / VisitPodConfigmapNames): image
// pull secrets, env and envFrom of every container, and secret, configMap and projected volumes. The node
// authorizer lets a kubelet read exactly these for the pods bound to it.
import type { KubeObject } from "../../../api/object.js";

export interface PodReferences {
  secrets: Set<string>;
  configMaps: Set<string>;
}

type Json = Record<string, any>;

const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter((x) => x && typeof x === "object") : []);

export function podReferences(pod: KubeObject): PodReferences {
  const secrets = new Set<string>();
  const configMaps = new Set<string>();
  const add = (set: Set<string>, name: unknown) => {
    if (typeof name === "string" && name) set.add(name);
  };
  const spec: Json = pod.spec ?? {};
  for (const s of list(spec.imagePullSecrets)) add(secrets, s.name);
  const containers = [
    ...list(spec.initContainers),
    ...list(spec.containers),
    ...list(spec.ephemeralContainers),
  ];
  for (const c of containers) {
    for (const e of list(c.env)) {
      add(secrets, e.valueFrom?.secretKeyRef?.name);
      add(configMaps, e.valueFrom?.configMapKeyRef?.name);
    }
    for (const e of list(c.envFrom)) {
      add(secrets, e.secretRef?.name);
      add(configMaps, e.configMapRef?.name);
    }
  }
  for (const v of list(spec.volumes)) {
    add(secrets, v.secret?.secretName);
    add(configMaps, v.configMap?.name);
    for (const s of list(v.projected?.sources)) {
      add(secrets, s.secret?.name);
      add(configMaps, s.configMap?.name);
    }
    // Volume plugins that name a secret for their credentials.
    for (const plugin of [
      "azureFile",
      "cephfs",
      "cinder",
      "flexVolume",
      "iscsi",
      "rbd",
      "scaleIO",
      "storageos",
    ]) {
      add(secrets, v[plugin]?.secretRef?.name ?? v[plugin]?.secretName);
    }
    add(secrets, v.csi?.nodePublishSecretRef?.name);
  }
  return { secrets, configMaps };
}
