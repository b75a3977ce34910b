// The cluster's network as a simulated container sees it: DNS names of services (`svc`, `svc.ns`,
// `svc.ns.svc.cluster.local`, ClusterFirst search order) and pods (`10-244-1-2.ns.pod.cluster.local`), and what
// answers at an address — a service's cluster IP forwards to one of its ready pods at the target port (a
// headless service's name resolves to those pods), a pod IP to the servers of that pod's containers, a node IP to
// its host-network pods. `wget`, `curl` and `nslookup` in `kubectl exec` use it.
import type { KubeObject } from "../api/object.js";
import { backendOf, belongsInEndpoints, selects } from "../api/service-backends.js";
import type { HttpOutcome } from "./exec/container-context.js";
import { CLUSTER_DOMAIN } from "./exec/container-files.js";
import { imageProfile } from "./exec/image-profile.js";
import { podServers, serveRequest } from "./exec/pod-servers.js";
import { nodeFacts } from "./exec/session-context.js";

export const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** What the network needs to know of the cluster: its services, pods and nodes now. */
export interface ClusterView {
  services(namespace?: string): KubeObject[];
  pods(namespace?: string): KubeObject[];
  node(name: string): KubeObject | undefined;
}

/** A name's answer: the FQDN it resolved as, and its addresses (none: NXDOMAIN). */
export interface Resolution {
  fqdn: string;
  addresses: string[];
}

export class ClusterNetwork {
  constructor(
    private readonly view: ClusterView,
    private readonly now: () => number,
  ) {}

  /** Resolves `name` as a pod of `namespace` would (search list: ns.svc, svc, the cluster domain). */
  resolve(name: string, namespace: string): Resolution | undefined {
    const bare = name.replace(/\.$/, "");
    if (IPV4.test(bare)) return { fqdn: bare, addresses: [bare] };
    const candidates = name.endsWith(".")
      ? [bare]
      : [
          `${bare}.${namespace}.svc.${CLUSTER_DOMAIN}`,
          `${bare}.svc.${CLUSTER_DOMAIN}`,
          `${bare}.${CLUSTER_DOMAIN}`,
          bare,
        ];
    // Each name of the search list in turn, as a resolver does until one has an answer.
    for (const fqdn of candidates) {
      const addresses = this.lookup(fqdn);
      if (addresses?.length) return { fqdn, addresses };
    }
    return candidates[0].endsWith(`.${CLUSTER_DOMAIN}`) ? { fqdn: candidates[0], addresses: [] } : undefined;
  }

  /** An HTTP GET to host:port/path from a pod of `namespace`. */
  get(host: string, port: number, path: string, namespace: string): HttpOutcome {
    const resolved = this.resolve(host, namespace);
    if (!resolved || resolved.addresses.length === 0) return "unresolved";
    return this.connect(resolved.addresses[0], port, path);
  }

  private lookup(fqdn: string): string[] | undefined {
    const parts = fqdn.split(".");
    const suffix = `.${CLUSTER_DOMAIN}`;
    if (!fqdn.endsWith(suffix)) return undefined;
    // <service>.<namespace>.svc.cluster.local
    if (parts.length === 5 && parts[2] === "svc") {
      const svc = this.view.services(parts[1]).find((s) => s.metadata.name === parts[0]);
      if (!svc) return [];
      if (svc.spec?.type === "ExternalName") return undefined;
      if (svc.spec?.clusterIP === "None") return this.readyPods(svc).map((p) => p.status.podIP);
      return [svc.spec?.clusterIP];
    }
    // <a-b-c-d>.<namespace>.pod.cluster.local
    if (parts.length === 5 && parts[2] === "pod" && /^\d+-\d+-\d+-\d+$/.test(parts[0])) {
      return [parts[0].replaceAll("-", ".")];
    }
    return parts.length >= 4 ? [] : undefined;
  }

  private readyPods(svc: KubeObject): KubeObject[] {
    return this.view
      .pods(svc.metadata.namespace)
      .filter((p) => selects(svc, p) && belongsInEndpoints(p, false) && backendOf(svc, p).ready);
  }

  /** What answers at ip:port: a service forwards to a ready pod, a pod or node IP serves its own servers. */
  private connect(ip: string, port: number, path: string): HttpOutcome {
    const svc = this.view.services().find((s) => s.spec?.clusterIP === ip);
    if (svc) {
      const servicePort = (svc.spec?.ports ?? []).find((p: { port: number }) => p.port === port);
      if (!servicePort) return "refused";
      for (const pod of this.readyPods(svc)) {
        const target = backendOf(svc, pod).ports.find((p) => p.name === (servicePort.name ?? ""));
        if (target) return this.serve(pod, target.port, path);
      }
      // No ready endpoint: kube-proxy rejects the connection.
      return "refused";
    }
    const pods = this.view.pods().filter((p) => p.status?.podIP === ip && p.status?.phase === "Running");
    const pod = pods.find((p) => !p.spec?.hostNetwork) ?? pods.find((p) => this.serves(p, port));
    return pod ? this.serve(pod, port, path) : "refused";
  }

  private serves(pod: KubeObject, port: number): boolean {
    return this.servers(pod).some((s) => s.port === port);
  }

  private servers(pod: KubeObject) {
    const started = new Map<string, string>();
    for (const s of pod.status?.containerStatuses ?? []) {
      if (s.state?.running) started.set(s.name, s.state.running.startedAt);
    }
    return podServers(
      (pod.spec?.containers ?? [])
        .filter((c: { name: string }) => started.has(c.name))
        .map((c: { name: string; image: string }) => ({
          spec: c,
          profile: imageProfile(c.image ?? ""),
          startedAt: Date.parse(started.get(c.name) ?? "") || this.now(),
        })),
    );
  }

  private serve(pod: KubeObject, port: number, path: string): HttpOutcome {
    const server = this.servers(pod).find((s) => s.port === port);
    if (!server) return "refused";
    const nodeName = pod.spec?.nodeName ?? "";
    const node = nodeFacts(this.view.node(nodeName), nodeName, this.now() - 60_000);
    return serveRequest(server, path, this.now(), node);
  }
}
