// `everynode create daemonset NAME --image=IMAGE`: the generator kubectl lacks (the seeds use
// `kubectl create daemonset … --dry-run=client -o yaml`, which does not exist upstream). It prints the manifest
// `kubectl create deployment` would print for a DaemonSet, ready for `| kubectl apply -f -`.
import { stringify } from "yaml";

export interface CreateDaemonSetOptions {
  name: string;
  images: string[];
  namespace?: string;
  port?: number;
  output: "yaml" | "json";
}

/** kubectl's container naming for generators: the image's last path segment without tag or digest. */
export function containerNameForImage(image: string): string {
  const last = image.split("/").pop() ?? image;
  const base = last.split("@")[0].split(":")[0];
  const name = base
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .replace(/^-+|-+$/g, "");
  return name || "container";
}

export function daemonSetManifest(o: CreateDaemonSetOptions): Record<string, unknown> {
  const labels = { app: o.name };
  const containers = o.images.map((image, i) => {
    const c: Record<string, unknown> = { image, name: containerNameForImage(image), resources: {} };
    if (i === 0 && o.port !== undefined) c.ports = [{ containerPort: o.port }];
    return c;
  });
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: {
      creationTimestamp: null,
      labels,
      name: o.name,
      ...(o.namespace ? { namespace: o.namespace } : {}),
    },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { creationTimestamp: null, labels }, spec: { containers } },
      updateStrategy: {},
    },
    status: { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 },
  };
}

export function renderDaemonSet(o: CreateDaemonSetOptions): string {
  const manifest = daemonSetManifest(o);
  return o.output === "json"
    ? `${JSON.stringify(manifest, null, 4)}\n`
    : stringify(manifest, { indentSeq: false, aliasDuplicateObjects: false });
}
