// Schemas of core/v1 Pod, its full PodSpec (scheduling, affinity, security) and PodStatus, plus Binding.

import { bool, definition, int32, int64, list, mapOf, ref, str } from "./builders.js";
import { LocalObjectReference, ObjectReference } from "./core-common.js";
import {
  AppArmorProfile,
  Container,
  EphemeralContainer,
  ResourceRequirements,
  SELinuxOptions,
  SeccompProfile,
  WindowsSecurityContextOptions,
} from "./core-container.js";
import { Volume } from "./core-volume.js";
import { LabelSelector, ObjectMeta, objectMetaField, Quantity, Time, typeMeta } from "./meta.js";
import type { Schema } from "./types.js";

export const Sysctl: Schema = definition(
  "io.k8s.api.core.v1.Sysctl",
  "One kernel parameter.",
  {
    name: str("Parameter name."),
    value: str("Parameter value."),
  },
  { required: ["name", "value"] },
);

export const PodSecurityContext: Schema = definition(
  "io.k8s.api.core.v1.PodSecurityContext",
  "Security settings that apply to the whole pod.",
  {
    seLinuxOptions: ref(SELinuxOptions, "SELinux labels for all containers."),
    windowsOptions: ref(WindowsSecurityContextOptions, "Windows-specific settings for all containers."),
    runAsUser: int64("User ID container processes run as."),
    runAsGroup: int64("Group ID container processes run as."),
    runAsNonRoot: bool("Refuse to start containers as root."),
    supplementalGroups: list(int64(), "Extra group IDs added to each container process.", {
      listType: "atomic",
    }),
    supplementalGroupsPolicy: str("How supplemental groups are computed: Merge or Strict.", {
      enum: ["Merge", "Strict"],
    }),
    fsGroup: int64("Group that owns volumes and is added to every container process."),
    sysctls: list(Sysctl, "Namespaced kernel parameters set for the pod.", { listType: "atomic" }),
    fsGroupChangePolicy: str("When volume ownership is changed: OnRootMismatch or Always.", {
      enum: ["Always", "OnRootMismatch"],
    }),
    seccompProfile: ref(SeccompProfile, "Seccomp profile for all containers."),
    appArmorProfile: ref(AppArmorProfile, "AppArmor profile for all containers."),
    seLinuxChangePolicy: str("How SELinux labels are applied to volumes."),
  },
);

export const NodeSelectorRequirement: Schema = definition(
  "io.k8s.api.core.v1.NodeSelectorRequirement",
  "One requirement on a node label or field.",
  {
    key: str("The label or field key."),
    operator: str("In, NotIn, Exists, DoesNotExist, Gt or Lt.", {
      enum: ["DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn"],
    }),
    values: list(str(), "Values to compare with.", { listType: "atomic" }),
  },
  { required: ["key", "operator"] },
);

export const NodeSelectorTerm: Schema = definition(
  "io.k8s.api.core.v1.NodeSelectorTerm",
  "Requirements on node labels and fields, all of which must hold.",
  {
    matchExpressions: list(NodeSelectorRequirement, "Requirements on node labels.", { listType: "atomic" }),
    matchFields: list(NodeSelectorRequirement, "Requirements on node fields.", { listType: "atomic" }),
  },
  { mapType: "atomic" },
);

export const NodeSelector: Schema = definition(
  "io.k8s.api.core.v1.NodeSelector",
  "Terms of which at least one must match a node.",
  {
    nodeSelectorTerms: list(NodeSelectorTerm, "The terms, ORed together.", { listType: "atomic" }),
  },
  { required: ["nodeSelectorTerms"], mapType: "atomic" },
);

export const PreferredSchedulingTerm: Schema = definition(
  "io.k8s.api.core.v1.PreferredSchedulingTerm",
  "A weighted node preference.",
  {
    weight: int32("Weight from 1 to 100."),
    preference: ref(NodeSelectorTerm, "The node term to prefer."),
  },
  { required: ["weight", "preference"] },
);

export const NodeAffinity: Schema = definition("io.k8s.api.core.v1.NodeAffinity", "Node selection rules.", {
  requiredDuringSchedulingIgnoredDuringExecution: ref(
    NodeSelector,
    "Node rules that must hold for scheduling.",
  ),
  preferredDuringSchedulingIgnoredDuringExecution: list(
    PreferredSchedulingTerm,
    "Weighted node preferences.",
    { listType: "atomic" },
  ),
});

export const PodAffinityTerm: Schema = definition(
  "io.k8s.api.core.v1.PodAffinityTerm",
  "Pods to be near (or away from) within a topology domain.",
  {
    labelSelector: ref(LabelSelector, "Label query over pods."),
    namespaces: list(str(), "Namespaces the label query applies to.", { listType: "atomic" }),
    topologyKey: str("Node label that defines the topology domain."),
    namespaceSelector: ref(LabelSelector, "Label query over namespaces the term applies to."),
    matchLabelKeys: list(str(), "Label keys whose values are copied from this pod into the selector.", {
      listType: "atomic",
    }),
    mismatchLabelKeys: list(str(), "Label keys whose values must differ from this pod's.", {
      listType: "atomic",
    }),
  },
  { required: ["topologyKey"] },
);

export const WeightedPodAffinityTerm: Schema = definition(
  "io.k8s.api.core.v1.WeightedPodAffinityTerm",
  "A weighted pod affinity term.",
  {
    weight: int32("Weight from 1 to 100."),
    podAffinityTerm: ref(PodAffinityTerm, "The pod affinity term."),
  },
  { required: ["weight", "podAffinityTerm"] },
);

export const PodAffinity: Schema = definition(
  "io.k8s.api.core.v1.PodAffinity",
  "Rules to co-locate the pod with other pods.",
  {
    requiredDuringSchedulingIgnoredDuringExecution: list(
      PodAffinityTerm,
      "Terms that must hold for scheduling.",
      { listType: "atomic" },
    ),
    preferredDuringSchedulingIgnoredDuringExecution: list(WeightedPodAffinityTerm, "Weighted preferences.", {
      listType: "atomic",
    }),
  },
);

export const PodAntiAffinity: Schema = definition(
  "io.k8s.api.core.v1.PodAntiAffinity",
  "Rules to keep the pod apart from other pods.",
  {
    requiredDuringSchedulingIgnoredDuringExecution: list(
      PodAffinityTerm,
      "Terms that must hold for scheduling.",
      { listType: "atomic" },
    ),
    preferredDuringSchedulingIgnoredDuringExecution: list(WeightedPodAffinityTerm, "Weighted preferences.", {
      listType: "atomic",
    }),
  },
);

export const Affinity: Schema = definition(
  "io.k8s.api.core.v1.Affinity",
  "Node affinity, pod affinity and pod anti-affinity rules.",
  {
    nodeAffinity: ref(NodeAffinity, "Rules about which nodes the pod prefers or requires."),
    podAffinity: ref(PodAffinity, "Rules to place the pod near other pods."),
    podAntiAffinity: ref(PodAntiAffinity, "Rules to keep the pod away from other pods."),
  },
);

export const Toleration: Schema = definition(
  "io.k8s.api.core.v1.Toleration",
  "Lets the pod schedule onto or stay on nodes with a matching taint.",
  {
    key: str("Taint key matched; empty matches all keys."),
    operator: str("Exists or Equal.", { enum: ["Equal", "Exists"] }),
    value: str("Taint value matched with Equal."),
    effect: str("Taint effect matched; empty matches all effects.", {
      enum: ["NoExecute", "NoSchedule", "PreferNoSchedule"],
    }),
    tolerationSeconds: int64("How long a NoExecute taint is tolerated before eviction."),
  },
);

export const HostAlias: Schema = definition(
  "io.k8s.api.core.v1.HostAlias",
  "An entry in the pod's hosts file.",
  {
    ip: str("IP address of the entry."),
    hostnames: list(str(), "Hostnames for the IP address.", { listType: "atomic" }),
  },
  { required: ["ip"] },
);

export const PodDNSConfigOption: Schema = definition(
  "io.k8s.api.core.v1.PodDNSConfigOption",
  "One resolver option.",
  {
    name: str("Option name."),
    value: str("Option value."),
  },
);

export const PodDNSConfig: Schema = definition("io.k8s.api.core.v1.PodDNSConfig", "DNS settings of a pod.", {
  nameservers: list(str(), "DNS server IP addresses.", { listType: "atomic" }),
  searches: list(str(), "DNS search domains.", { listType: "atomic" }),
  options: list(PodDNSConfigOption, "Resolver options.", { listType: "atomic" }),
});

export const PodReadinessGate: Schema = definition(
  "io.k8s.api.core.v1.PodReadinessGate",
  "An extra condition needed for pod readiness.",
  {
    conditionType: str("Pod condition type that must be true."),
  },
  { required: ["conditionType"] },
);

export const TopologySpreadConstraint: Schema = definition(
  "io.k8s.api.core.v1.TopologySpreadConstraint",
  "How matching pods spread across a topology.",
  {
    maxSkew: int32("Largest allowed difference in matching pods between domains."),
    topologyKey: str("Node label that defines the domains."),
    whenUnsatisfiable: str("DoNotSchedule or ScheduleAnyway.", { enum: ["DoNotSchedule", "ScheduleAnyway"] }),
    labelSelector: ref(LabelSelector, "Label query selecting the pods counted."),
    minDomains: int32("Minimum number of eligible domains."),
    nodeAffinityPolicy: str("Whether node affinity is honoured when counting: Honor or Ignore.", {
      enum: ["Honor", "Ignore"],
    }),
    nodeTaintsPolicy: str("Whether node taints are honoured when counting: Honor or Ignore.", {
      enum: ["Honor", "Ignore"],
    }),
    matchLabelKeys: list(str(), "Label keys whose values are copied from this pod into the selector.", {
      listType: "atomic",
    }),
  },
  { required: ["maxSkew", "topologyKey", "whenUnsatisfiable"] },
);

export const PodOS: Schema = definition(
  "io.k8s.api.core.v1.PodOS",
  "The operating system of a pod.",
  {
    name: str("linux or windows."),
  },
  { required: ["name"] },
);

export const PodSchedulingGate: Schema = definition(
  "io.k8s.api.core.v1.PodSchedulingGate",
  "A gate that holds the pod back from scheduling.",
  {
    name: str("Gate name."),
  },
  { required: ["name"] },
);

export const PodResourceClaim: Schema = definition(
  "io.k8s.api.core.v1.PodResourceClaim",
  "A resource claim the pod uses.",
  {
    name: str("Name of the claim within the pod."),
    resourceClaimName: str("Name of an existing ResourceClaim."),
    resourceClaimTemplateName: str("Name of a ResourceClaimTemplate to create a claim from."),
  },
  { required: ["name"] },
);

export const PodSpec: Schema = definition(
  "io.k8s.api.core.v1.PodSpec",
  "The desired state of a pod: its containers, volumes and placement.",
  {
    volumes: list(Volume, "Volumes the pod's containers may mount.", {
      patchStrategy: "merge,retainKeys",
      patchMergeKey: "name",
      listType: "map",
      listMapKeys: ["name"],
    }),
    initContainers: list(
      Container,
      "Containers that run to completion, one after another, before the app containers start.",
      { patchStrategy: "merge", patchMergeKey: "name", listType: "map", listMapKeys: ["name"] },
    ),
    containers: list(Container, "The application containers of the pod; at least one is required.", {
      patchStrategy: "merge",
      patchMergeKey: "name",
      listType: "map",
      listMapKeys: ["name"],
    }),
    ephemeralContainers: list(EphemeralContainer, "Debugging containers added to a running pod.", {
      patchStrategy: "merge",
      patchMergeKey: "name",
      listType: "map",
      listMapKeys: ["name"],
    }),
    restartPolicy: str("When containers are restarted: Always, OnFailure or Never.", {
      enum: ["Always", "Never", "OnFailure"],
    }),
    terminationGracePeriodSeconds: int64("Seconds given to the pod to shut down before it is killed."),
    activeDeadlineSeconds: int64("Seconds the pod may run before the system marks it failed."),
    dnsPolicy: str("How the pod's DNS is configured.", {
      enum: ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"],
    }),
    nodeSelector: mapOf(str(), "Labels a node must carry for the pod to be placed on it.", {
      mapType: "atomic",
    }),
    serviceAccountName: str("Service account the pod runs as."),
    serviceAccount: str("Deprecated alias of serviceAccountName."),
    automountServiceAccountToken: bool("Whether a service account token is mounted into the pod."),
    nodeName: str("The node the pod is bound to; set by the scheduler or directly."),
    hostNetwork: bool("Run the pod in the host's network namespace."),
    hostPID: bool("Run the pod in the host's process ID namespace."),
    hostIPC: bool("Run the pod in the host's IPC namespace."),
    shareProcessNamespace: bool("Let all containers of the pod see each other's processes."),
    securityContext: ref(PodSecurityContext, "Pod-wide security settings and defaults for containers."),
    imagePullSecrets: list(LocalObjectReference, "Secrets used to pull the pod's images.", {
      patchStrategy: "merge",
      patchMergeKey: "name",
      listType: "map",
      listMapKeys: ["name"],
    }),
    hostname: str("Hostname of the pod; defaults to a system-chosen value."),
    subdomain: str("Subdomain that, with hostname, forms the pod's fully qualified name."),
    affinity: ref(Affinity, "Node and pod affinity rules for scheduling."),
    schedulerName: str("Scheduler that places this pod; the default scheduler when empty."),
    tolerations: list(Toleration, "Taints this pod tolerates.", { listType: "atomic" }),
    hostAliases: list(HostAlias, "Extra entries written to the pod's hosts file.", {
      patchStrategy: "merge",
      patchMergeKey: "ip",
      listType: "map",
      listMapKeys: ["ip"],
    }),
    priorityClassName: str("Name of the PriorityClass that sets the pod's priority."),
    priority: int32("Numeric priority, filled in from the priority class."),
    dnsConfig: ref(PodDNSConfig, "DNS settings merged into those chosen by dnsPolicy."),
    readinessGates: list(PodReadinessGate, "Extra conditions that must be true for the pod to be ready.", {
      listType: "atomic",
    }),
    runtimeClassName: str("RuntimeClass used to run the pod."),
    enableServiceLinks: bool("Whether service information is injected as environment variables."),
    preemptionPolicy: str("Whether this pod may preempt lower-priority pods.", {
      enum: ["Never", "PreemptLowerPriority"],
    }),
    overhead: mapOf(Quantity, "Resources consumed by the pod sandbox on top of its containers."),
    topologySpreadConstraints: list(
      TopologySpreadConstraint,
      "How the pod's replicas spread across topology domains.",
      {
        patchStrategy: "merge",
        patchMergeKey: "topologyKey",
        listType: "map",
        listMapKeys: ["topologyKey", "whenUnsatisfiable"],
      },
    ),
    setHostnameAsFQDN: bool("Use the fully qualified domain name as the pod's hostname."),
    os: ref(PodOS, "Operating system the pod's containers need."),
    hostUsers: bool("Whether the pod uses the host's user namespace."),
    schedulingGates: list(PodSchedulingGate, "Gates that must all be removed before the pod is scheduled.", {
      patchStrategy: "merge",
      patchMergeKey: "name",
      listType: "map",
      listMapKeys: ["name"],
    }),
    resourceClaims: list(PodResourceClaim, "Dynamic resource claims the pod needs before it can start.", {
      patchStrategy: "merge,retainKeys",
      patchMergeKey: "name",
      listType: "map",
      listMapKeys: ["name"],
    }),
    resources: ref(ResourceRequirements, "Pod-level resource requests and limits shared by all containers."),
  },
  { required: ["containers"] },
);

export const PodCondition: Schema = definition(
  "io.k8s.api.core.v1.PodCondition",
  "One aspect of a pod's state.",
  {
    type: str("The condition type, such as Ready."),
    status: str("True, False or Unknown."),
    lastProbeTime: ref(Time, "When the condition was last checked."),
    lastTransitionTime: ref(Time, "When the condition last changed from one status to another."),
    reason: str("A short machine-readable word explaining the last transition."),
    message: str("A human-readable explanation of the last transition."),
  },
  { required: ["type", "status"] },
);

export const HostIP: Schema = definition(
  "io.k8s.api.core.v1.HostIP",
  "An IP of the host.",
  {
    ip: str("The IP address."),
  },
  { required: ["ip"] },
);

export const PodIP: Schema = definition(
  "io.k8s.api.core.v1.PodIP",
  "An IP of the pod.",
  {
    ip: str("The IP address."),
  },
  { required: ["ip"] },
);

export const ContainerStateWaiting: Schema = definition(
  "io.k8s.api.core.v1.ContainerStateWaiting",
  "A container that is not yet running.",
  {
    reason: str("Why the container is waiting."),
    message: str("Details about the wait."),
  },
);

export const ContainerStateRunning: Schema = definition(
  "io.k8s.api.core.v1.ContainerStateRunning",
  "A running container.",
  {
    startedAt: ref(Time, "When the container last started."),
  },
);

export const ContainerStateTerminated: Schema = definition(
  "io.k8s.api.core.v1.ContainerStateTerminated",
  "An exited container.",
  {
    exitCode: int32("Exit code of the last run."),
    signal: int32("Signal that stopped the container."),
    reason: str("Why the container exited."),
    message: str("Details about the exit."),
    startedAt: ref(Time, "When the last run started."),
    finishedAt: ref(Time, "When the last run ended."),
    containerID: str("Runtime ID of the container."),
  },
  { required: ["exitCode"] },
);

export const ContainerState: Schema = definition(
  "io.k8s.api.core.v1.ContainerState",
  "The state of a container; exactly one field is set.",
  {
    waiting: ref(ContainerStateWaiting, "The container is not yet running."),
    running: ref(ContainerStateRunning, "The container is running."),
    terminated: ref(ContainerStateTerminated, "The container has exited."),
  },
);

export const VolumeMountStatus: Schema = definition(
  "io.k8s.api.core.v1.VolumeMountStatus",
  "The status of a volume mount.",
  {
    name: str("Name of the mount."),
    mountPath: str("Path of the mount."),
    readOnly: bool("Whether the mount is read-only."),
    recursiveReadOnly: str("Whether read-only applies recursively."),
  },
  { required: ["name", "mountPath"] },
);

export const LinuxContainerUser: Schema = definition(
  "io.k8s.api.core.v1.LinuxContainerUser",
  "The Linux identity of a container process.",
  {
    uid: int64("User ID."),
    gid: int64("Primary group ID."),
    supplementalGroups: list(int64(), "Extra group IDs.", { listType: "atomic" }),
  },
  { required: ["uid", "gid"] },
);

export const ContainerUser: Schema = definition(
  "io.k8s.api.core.v1.ContainerUser",
  "The identity a container runs as.",
  {
    linux: ref(LinuxContainerUser, "Linux user and groups."),
  },
);

export const ResourceHealth: Schema = definition(
  "io.k8s.api.core.v1.ResourceHealth",
  "Health of one device.",
  {
    resourceID: str("Device identifier."),
    health: str("Healthy, Unhealthy or Unknown."),
  },
  { required: ["resourceID"] },
);

export const ResourceStatus: Schema = definition(
  "io.k8s.api.core.v1.ResourceStatus",
  "Health of the devices behind one resource.",
  {
    name: str("Resource name."),
    resources: list(ResourceHealth, "Health of each device.", {
      listType: "map",
      listMapKeys: ["resourceID"],
    }),
  },
  { required: ["name"] },
);

export const ContainerStatus: Schema = definition(
  "io.k8s.api.core.v1.ContainerStatus",
  "The observed state of one container.",
  {
    name: str("Container name."),
    state: ref(ContainerState, "Current state."),
    lastState: ref(ContainerState, "State of the previous termination."),
    ready: bool("Whether the container passes its readiness probe."),
    restartCount: int32("Number of times the container was restarted."),
    image: str("Image the container runs."),
    imageID: str("Digest of the image."),
    containerID: str("Runtime ID of the container."),
    started: bool("Whether the container passed its startup probe."),
    allocatedResources: mapOf(Quantity, "Resources the node allocated to the container."),
    resources: ref(ResourceRequirements, "Resources actually configured for the container."),
    volumeMounts: list(VolumeMountStatus, "Status of each volume mount.", {
      patchStrategy: "merge",
      patchMergeKey: "mountPath",
      listType: "map",
      listMapKeys: ["mountPath"],
    }),
    user: ref(ContainerUser, "Identity the container process runs as."),
    allocatedResourcesStatus: list(ResourceStatus, "Health of the resources allocated to the container.", {
      patchStrategy: "merge",
      patchMergeKey: "name",
      listType: "map",
      listMapKeys: ["name"],
    }),
  },
  { required: ["name", "ready", "restartCount", "image", "imageID"] },
);

export const PodResourceClaimStatus: Schema = definition(
  "io.k8s.api.core.v1.PodResourceClaimStatus",
  "The ResourceClaim created for one of the pod's claims.",
  {
    name: str("Name of the claim within the pod."),
    resourceClaimName: str("Name of the generated ResourceClaim."),
  },
  { required: ["name"] },
);

export const PodStatus: Schema = definition("io.k8s.api.core.v1.PodStatus", "The observed state of a pod.", {
  phase: str("Pending, Running, Succeeded, Failed or Unknown.", {
    enum: ["Failed", "Pending", "Running", "Succeeded", "Unknown"],
  }),
  conditions: list(PodCondition, "The pod's current conditions.", {
    patchStrategy: "merge",
    patchMergeKey: "type",
    listType: "map",
    listMapKeys: ["type"],
  }),
  message: str("Human-readable details about the pod's state."),
  reason: str("Short CamelCase reason for the pod's state."),
  nominatedNodeName: str("Node the pod may run on once preemption completes."),
  hostIP: str("Primary IP of the node the pod runs on."),
  hostIPs: list(HostIP, "All IPs of the node the pod runs on.", {
    patchStrategy: "merge",
    patchMergeKey: "ip",
    listType: "atomic",
  }),
  podIP: str("Primary IP of the pod."),
  podIPs: list(PodIP, "All IPs of the pod.", {
    patchStrategy: "merge",
    patchMergeKey: "ip",
    listType: "map",
    listMapKeys: ["ip"],
  }),
  startTime: ref(Time, "When the kubelet acknowledged the pod."),
  initContainerStatuses: list(ContainerStatus, "Status of each init container.", { listType: "atomic" }),
  containerStatuses: list(ContainerStatus, "Status of each app container.", { listType: "atomic" }),
  qosClass: str("Quality of service class: Guaranteed, Burstable or BestEffort.", {
    enum: ["BestEffort", "Burstable", "Guaranteed"],
  }),
  ephemeralContainerStatuses: list(ContainerStatus, "Status of each ephemeral container.", {
    listType: "atomic",
  }),
  resize: str("State of a pending in-place resize."),
  resourceClaimStatuses: list(PodResourceClaimStatus, "Names of the ResourceClaims created for the pod.", {
    patchStrategy: "merge,retainKeys",
    patchMergeKey: "name",
    listType: "map",
    listMapKeys: ["name"],
  }),
});

export const Pod: Schema = definition(
  "io.k8s.api.core.v1.Pod",
  "A group of containers scheduled together on one node.",
  {
    ...typeMeta(),
    metadata: objectMetaField(),
    spec: ref(PodSpec, "The desired behaviour of the pod."),
    status: ref(PodStatus, "The observed state of the pod, written by the kubelet and scheduler."),
  },
  { gvk: { group: "", version: "v1", kind: "Pod" } },
);

export const PodTemplateSpec: Schema = definition(
  "io.k8s.api.core.v1.PodTemplateSpec",
  "The metadata and spec of pods created from a template.",
  {
    metadata: ref(ObjectMeta, "Labels, annotations and other metadata given to created pods."),
    spec: ref(PodSpec, "The pod specification of created pods."),
  },
);

export const Binding: Schema = definition(
  "io.k8s.api.core.v1.Binding",
  "Binds a pod to a node.",
  {
    ...typeMeta(),
    metadata: objectMetaField(),
    target: ref(ObjectReference, "The node to bind to."),
  },
  { required: ["target"], gvk: { group: "", version: "v1", kind: "Binding" } },
);
