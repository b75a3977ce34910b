// The Node objects `everynode up --nodes N` registers: one control-plane node tainted NoSchedule and workers,
// with the standard kubernetes.io labels, capacity and nodeInfo a kubelet would report.
import type { KubeObject } from "../api/object.js";

export const CONTROL_PLANE_NODE = "control-plane";
export const CONTROL_PLANE_ROLE_LABEL = "node-role.kubernetes.io/control-plane";
export const SIMULATED_KUBELET_VERSION = "v1.32.0";

/** Names of the nodes of a fresh cluster of `count` nodes: control-plane, node1, node2, … */
export function defaultNodeNames(count: number): string[] {
  if (count <= 0) return [];
  return [CONTROL_PLANE_NODE, ...Array.from({ length: count - 1 }, (_, i) => `node${i + 1}`)];
}

export function buildNode(name: string, index: number, now: number): KubeObject {
  const controlPlane = name === CONTROL_PLANE_NODE;
  const labels: Record<string, string> = {
    "beta.kubernetes.io/arch": "amd64",
    "beta.kubernetes.io/os": "linux",
    "kubernetes.io/arch": "amd64",
    "kubernetes.io/hostname": name,
    "kubernetes.io/os": "linux",
  };
  if (controlPlane) {
    labels[CONTROL_PLANE_ROLE_LABEL] = "";
    labels["node.kubernetes.io/exclude-from-external-load-balancers"] = "";
  }
  const capacity = {
    cpu: "4",
    memory: "8Gi",
    "ephemeral-storage": "100Gi",
    pods: "110",
    "hugepages-2Mi": "0",
  };
  const time = new Date(now).toISOString().replace(/\.\d{3}Z$/, "Z");
  const ip = `10.0.${Math.floor(index / 250)}.${(index % 250) + 2}`;
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels, annotations: { "node.alpha.kubernetes.io/ttl": "0" } },
    spec: {
      podCIDR: `10.244.${index}.0/24`,
      podCIDRs: [`10.244.${index}.0/24`],
      ...(controlPlane ? { taints: [{ key: CONTROL_PLANE_ROLE_LABEL, effect: "NoSchedule" }] } : {}),
    },
    status: {
      capacity,
      allocatable: { ...capacity },
      conditions: [
        condition(
          "MemoryPressure",
          "False",
          "KubeletHasSufficientMemory",
          "kubelet has sufficient memory available",
          time,
        ),
        condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", time),
        condition(
          "PIDPressure",
          "False",
          "KubeletHasSufficientPID",
          "kubelet has sufficient PID available",
          time,
        ),
        condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", time),
      ],
      addresses: [
        { type: "InternalIP", address: ip },
        { type: "Hostname", address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: "",
        systemUUID: "",
        bootID: "",
        kernelVersion: "6.1.0-everynode",
        osImage: "everynode simulated node",
        containerRuntimeVersion: "everynode://0.1.0",
        kubeletVersion: SIMULATED_KUBELET_VERSION,
        kubeProxyVersion: SIMULATED_KUBELET_VERSION,
        operatingSystem: "linux",
        architecture: "amd64",
      },
    },
  };
}

function condition(type: string, status: string, reason: string, message: string, time: string) {
  return { type, status, reason, message, lastHeartbeatTime: time, lastTransitionTime: time };
}
