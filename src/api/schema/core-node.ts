// Schemas of core/v1 Node: spec (taints, pod CIDRs) and status (capacity, conditions, addresses, node info).

import { bool, definition, int32, int64, list, mapOf, ref, str } from "./builders.js";
import { objectMetaField, Quantity, Time, typeMeta } from "./meta.js";
import type { Schema } from "./types.js";

export const Taint: Schema = definition(
  "io.k8s.api.core.v1.Taint",
  "Repels pods that do not tolerate it.",
  {
    key: str("Taint key."),
    value: str("Taint value."),
    effect: str("NoSchedule, PreferNoSchedule or NoExecute.", {
      enum: ["NoExecute", "NoSchedule", "PreferNoSchedule"],
    }),
    timeAdded: ref(Time, "When a NoExecute taint was added."),
  },
  { required: ["key", "effect"] },
);

export const ConfigMapNodeConfigSource: Schema = definition(
  "io.k8s.api.core.v1.ConfigMapNodeConfigSource",
  "A ConfigMap used as kubelet configuration.",
  {
    namespace: str("Namespace of the ConfigMap."),
    name: str("Name of the ConfigMap."),
    uid: str("UID of the ConfigMap."),
    resourceVersion: str("Version of the ConfigMap."),
    kubeletConfigKey: str("Key holding the kubelet configuration."),
  },
  { required: ["namespace", "name", "kubeletConfigKey"] },
);

export const NodeConfigSource: Schema = definition(
  "io.k8s.api.core.v1.NodeConfigSource",
  "Deprecated source of kubelet configuration.",
  {
    configMap: ref(ConfigMapNodeConfigSource, "ConfigMap holding the configuration."),
  },
);

export const NodeSpec: Schema = definition("io.k8s.api.core.v1.NodeSpec", "The configuration of a node.", {
  podCIDR: str("Pod IP range assigned to the node."),
  podCIDRs: list(str(), "Pod IP ranges assigned to the node, one per IP family.", {
    patchStrategy: "merge",
    listType: "set",
  }),
  providerID: str("Cloud provider ID of the node."),
  unschedulable: bool("Keep new pods off the node when true."),
  taints: list(Taint, "Taints that repel pods without matching tolerations.", { listType: "atomic" }),
  configSource: ref(NodeConfigSource, "Deprecated dynamic kubelet configuration source."),
  externalID: str("Deprecated external ID."),
});

export const NodeCondition: Schema = definition(
  "io.k8s.api.core.v1.NodeCondition",
  "One aspect of a node's state.",
  {
    type: str("The condition type, such as Ready or MemoryPressure."),
    status: str("True, False or Unknown."),
    lastHeartbeatTime: ref(Time, "When the condition was last reported."),
    lastTransitionTime: ref(Time, "When the condition last changed from one status to another."),
    reason: str("A short machine-readable word explaining the last transition."),
    message: str("A human-readable explanation of the last transition."),
  },
  { required: ["type", "status"] },
);

export const NodeAddress: Schema = definition(
  "io.k8s.api.core.v1.NodeAddress",
  "One address of a node.",
  {
    type: str("Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS."),
    address: str("The address."),
  },
  { required: ["type", "address"] },
);

export const DaemonEndpoint: Schema = definition(
  "io.k8s.api.core.v1.DaemonEndpoint",
  "The port a daemon listens on.",
  {
    Port: int32("Port number."),
  },
  { required: ["Port"] },
);

export const NodeDaemonEndpoints: Schema = definition(
  "io.k8s.api.core.v1.NodeDaemonEndpoints",
  "Endpoints of daemons running on the node.",
  {
    kubeletEndpoint: ref(DaemonEndpoint, "Endpoint of the kubelet."),
  },
);

export const NodeSystemInfo: Schema = definition(
  "io.k8s.api.core.v1.NodeSystemInfo",
  "Versions and identifiers reported by a node.",
  {
    machineID: str("Machine ID."),
    systemUUID: str("System UUID."),
    bootID: str("Boot ID."),
    kernelVersion: str("Kernel version."),
    osImage: str("Operating system image."),
    containerRuntimeVersion: str("Container runtime and version."),
    kubeletVersion: str("Kubelet version."),
    kubeProxyVersion: str("Deprecated kube-proxy version."),
    operatingSystem: str("Operating system."),
    architecture: str("CPU architecture."),
  },
  {
    required: [
      "machineID",
      "systemUUID",
      "bootID",
      "kernelVersion",
      "osImage",
      "containerRuntimeVersion",
      "kubeletVersion",
      "kubeProxyVersion",
      "operatingSystem",
      "architecture",
    ],
  },
);

export const ContainerImage: Schema = definition(
  "io.k8s.api.core.v1.ContainerImage",
  "An image stored on a node.",
  {
    names: list(str(), "Names and digests of the image.", { listType: "atomic" }),
    sizeBytes: int64("Size of the image in bytes."),
  },
);

export const AttachedVolume: Schema = definition(
  "io.k8s.api.core.v1.AttachedVolume",
  "A volume attached to a node.",
  {
    name: str("Volume name."),
    devicePath: str("Device path of the volume."),
  },
  { required: ["name", "devicePath"] },
);

export const NodeConfigStatus: Schema = definition(
  "io.k8s.api.core.v1.NodeConfigStatus",
  "Status of the deprecated dynamic kubelet configuration.",
  {
    assigned: ref(NodeConfigSource, "Configuration assigned to the node."),
    active: ref(NodeConfigSource, "Configuration the node runs with."),
    lastKnownGood: ref(NodeConfigSource, "Last configuration known to work."),
    error: str("Error applying the configuration."),
  },
);

export const NodeRuntimeHandlerFeatures: Schema = definition(
  "io.k8s.api.core.v1.NodeRuntimeHandlerFeatures",
  "Features of a runtime handler.",
  {
    recursiveReadOnlyMounts: bool("Supports recursive read-only mounts."),
    userNamespaces: bool("Supports user namespaces."),
  },
);

export const NodeRuntimeHandler: Schema = definition(
  "io.k8s.api.core.v1.NodeRuntimeHandler",
  "A container runtime handler on the node.",
  {
    name: str("Handler name; empty for the default."),
    features: ref(NodeRuntimeHandlerFeatures, "Features the handler supports."),
  },
);

export const NodeFeatures: Schema = definition(
  "io.k8s.api.core.v1.NodeFeatures",
  "Features a node supports.",
  {
    supplementalGroupsPolicy: bool("Supports the supplementalGroupsPolicy setting."),
  },
);

export const NodeStatus: Schema = definition(
  "io.k8s.api.core.v1.NodeStatus",
  "The reported state of a node.",
  {
    capacity: mapOf(Quantity, "Total resources of the node."),
    allocatable: mapOf(Quantity, "Resources available for pods."),
    phase: str("Deprecated lifecycle phase of the node.", { enum: ["Pending", "Running", "Terminated"] }),
    conditions: list(NodeCondition, "The node's current conditions, such as Ready.", {
      patchStrategy: "merge",
      patchMergeKey: "type",
      listType: "map",
      listMapKeys: ["type"],
    }),
    addresses: list(NodeAddress, "Addresses through which the node is reached.", {
      patchStrategy: "merge",
      patchMergeKey: "type",
      listType: "map",
      listMapKeys: ["type"],
    }),
    daemonEndpoints: ref(NodeDaemonEndpoints, "Ports of daemons on the node."),
    nodeInfo: ref(NodeSystemInfo, "Versions and identifiers of the node."),
    images: list(ContainerImage, "Images present on the node.", { listType: "atomic" }),
    volumesInUse: list(str(), "Volumes attached and mounted on the node.", { listType: "atomic" }),
    volumesAttached: list(AttachedVolume, "Volumes attached to the node.", { listType: "atomic" }),
    config: ref(NodeConfigStatus, "Status of the deprecated dynamic kubelet configuration."),
    runtimeHandlers: list(NodeRuntimeHandler, "Runtime handlers available on the node.", {
      listType: "atomic",
    }),
    features: ref(NodeFeatures, "Features the node supports."),
  },
);

export const Node: Schema = definition(
  "io.k8s.api.core.v1.Node",
  "A machine, real or simulated, that runs pods.",
  {
    ...typeMeta(),
    metadata: objectMetaField(),
    spec: ref(NodeSpec, "How the node is configured."),
    status: ref(NodeStatus, "The node's most recently reported state."),
  },
  { gvk: { group: "", version: "v1", kind: "Node" } },
);
