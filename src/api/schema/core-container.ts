// Schemas of a pod's containers (core/v1 Container, EphemeralContainer): ports, env, resources, probes,
// lifecycle hooks and security context.

import { bool, definition, int32, int64, list, mapOf, ref, str } from "./builders.js";
import { ObjectFieldSelector, ResourceFieldSelector } from "./core-common.js";
import { IntOrString, Quantity } from "./meta.js";
import type { Schema } from "./types.js";

export const ContainerPort: Schema = definition(
  "io.k8s.api.core.v1.ContainerPort",
  "A network port of a container.",
  {
    name: str("Port name, unique within the pod."),
    hostPort: int32("Port on the node to expose."),
    containerPort: int32("Port number on the pod's IP."),
    protocol: str("TCP, UDP or SCTP.", { enum: ["SCTP", "TCP", "UDP"] }),
    hostIP: str("Node IP to bind the host port to."),
  },
  { required: ["containerPort"] },
);

export const ConfigMapEnvSource: Schema = definition(
  "io.k8s.api.core.v1.ConfigMapEnvSource",
  "A ConfigMap used as a set of environment variables.",
  {
    name: str("Name of the referenced object."),
    optional: bool("When true, a missing ConfigMap is not an error."),
  },
);

export const SecretEnvSource: Schema = definition(
  "io.k8s.api.core.v1.SecretEnvSource",
  "A Secret used as a set of environment variables.",
  {
    name: str("Name of the referenced object."),
    optional: bool("When true, a missing Secret is not an error."),
  },
);

export const EnvFromSource: Schema = definition(
  "io.k8s.api.core.v1.EnvFromSource",
  "A ConfigMap or Secret whose keys become environment variables.",
  {
    prefix: str("Prefix added to every variable name."),
    configMapRef: ref(ConfigMapEnvSource, "The ConfigMap to read."),
    secretRef: ref(SecretEnvSource, "The Secret to read."),
  },
);

export const ConfigMapKeySelector: Schema = definition(
  "io.k8s.api.core.v1.ConfigMapKeySelector",
  "Selects one key of a ConfigMap.",
  {
    name: str("Name of the referenced object."),
    key: str("The key to read."),
    optional: bool("When true, a missing ConfigMap or key is not an error."),
  },
  { required: ["key"], mapType: "atomic" },
);

export const SecretKeySelector: Schema = definition(
  "io.k8s.api.core.v1.SecretKeySelector",
  "Selects one key of a Secret.",
  {
    name: str("Name of the referenced object."),
    key: str("The key to read."),
    optional: bool("When true, a missing Secret or key is not an error."),
  },
  { required: ["key"], mapType: "atomic" },
);

export const EnvVarSource: Schema = definition(
  "io.k8s.api.core.v1.EnvVarSource",
  "Where an environment variable's value comes from.",
  {
    fieldRef: ref(ObjectFieldSelector, "A field of the pod."),
    resourceFieldRef: ref(ResourceFieldSelector, "A resource limit or request of the container."),
    configMapKeyRef: ref(ConfigMapKeySelector, "A key of a ConfigMap."),
    secretKeyRef: ref(SecretKeySelector, "A key of a Secret."),
  },
);

export const EnvVar: Schema = definition(
  "io.k8s.api.core.v1.EnvVar",
  "One environment variable of a container.",
  {
    name: str("Variable name."),
    value: str("Literal value, with $(VAR) references expanded."),
    valueFrom: ref(EnvVarSource, "Source to read the value from instead of a literal."),
  },
  { required: ["name"] },
);

export const ResourceClaim: Schema = definition(
  "io.k8s.api.core.v1.ResourceClaim",
  "Refers to one resource claim of the pod.",
  {
    name: str("Name of a claim in the pod's resourceClaims."),
    request: str("Name of one request inside the claim, or empty for all."),
  },
  { required: ["name"] },
);

export const ResourceRequirements: Schema = definition(
  "io.k8s.api.core.v1.ResourceRequirements",
  "Compute resource requests and limits.",
  {
    limits: mapOf(Quantity, "Most of each resource that may be used."),
    requests: mapOf(Quantity, "Amount of each resource reserved; defaults to the limits."),
    claims: list(ResourceClaim, "Dynamic resource claims of the pod that this container uses.", {
      listType: "map",
      listMapKeys: ["name"],
    }),
  },
);

export const ContainerResizePolicy: Schema = definition(
  "io.k8s.api.core.v1.ContainerResizePolicy",
  "Whether resizing a resource needs a container restart.",
  {
    resourceName: str("Resource the policy applies to."),
    restartPolicy: str("NotRequired or RestartContainer."),
  },
  { required: ["resourceName", "restartPolicy"] },
);

export const VolumeMount: Schema = definition(
  "io.k8s.api.core.v1.VolumeMount",
  "Mounts a pod volume into a container.",
  {
    name: str("Name of the pod volume."),
    readOnly: bool("Mount read-only when true."),
    recursiveReadOnly: str("Whether read-only applies recursively to sub-mounts."),
    mountPath: str("Path inside the container to mount at."),
    subPath: str("Sub-path of the volume to mount instead of its root."),
    mountPropagation: str("How mounts propagate between host and container.", {
      enum: ["Bidirectional", "HostToContainer", "None"],
    }),
    subPathExpr: str("Like subPath but with $(VAR) references expanded."),
  },
  { required: ["name", "mountPath"] },
);

export const VolumeDevice: Schema = definition(
  "io.k8s.api.core.v1.VolumeDevice",
  "Maps a block volume to a device path in the container.",
  {
    name: str("Name of the pod volume."),
    devicePath: str("Device path inside the container."),
  },
  { required: ["name", "devicePath"] },
);

export const ExecAction: Schema = definition(
  "io.k8s.api.core.v1.ExecAction",
  "Runs a command inside the container.",
  {
    command: list(str(), "Command and arguments; exit code zero means success.", { listType: "atomic" }),
  },
);

export const HTTPHeader: Schema = definition(
  "io.k8s.api.core.v1.HTTPHeader",
  "One HTTP header.",
  {
    name: str("Header name."),
    value: str("Header value."),
  },
  { required: ["name", "value"] },
);

export const HTTPGetAction: Schema = definition(
  "io.k8s.api.core.v1.HTTPGetAction",
  "An HTTP GET request.",
  {
    path: str("Request path."),
    port: ref(IntOrString, "Port number or name to connect to."),
    host: str("Host to connect to; the pod IP by default."),
    scheme: str("HTTP or HTTPS.", { enum: ["HTTP", "HTTPS"] }),
    httpHeaders: list(HTTPHeader, "Extra request headers.", { listType: "atomic" }),
  },
  { required: ["port"] },
);

export const TCPSocketAction: Schema = definition(
  "io.k8s.api.core.v1.TCPSocketAction",
  "A TCP connection attempt.",
  {
    port: ref(IntOrString, "Port number or name to connect to."),
    host: str("Host to connect to; the pod IP by default."),
  },
  { required: ["port"] },
);

export const GRPCAction: Schema = definition(
  "io.k8s.api.core.v1.GRPCAction",
  "A gRPC health check call.",
  {
    port: int32("Port of the gRPC service."),
    service: str("Service name sent in the health check request."),
  },
  { required: ["port"] },
);

export const Probe: Schema = definition(
  "io.k8s.api.core.v1.Probe",
  "A health check run against a container.",
  {
    exec: ref(ExecAction, "Run a command in the container."),
    httpGet: ref(HTTPGetAction, "Send an HTTP GET request."),
    tcpSocket: ref(TCPSocketAction, "Open a TCP connection."),
    grpc: ref(GRPCAction, "Call the gRPC health service."),
    initialDelaySeconds: int32("Seconds after start before the first probe."),
    timeoutSeconds: int32("Seconds before a probe attempt times out."),
    periodSeconds: int32("Seconds between probe attempts."),
    successThreshold: int32("Consecutive successes needed after a failure."),
    failureThreshold: int32("Consecutive failures that count as failed."),
    terminationGracePeriodSeconds: int64("Grace period used when a failed probe kills the container."),
  },
);

export const SleepAction: Schema = definition(
  "io.k8s.api.core.v1.SleepAction",
  "Pauses for a number of seconds.",
  {
    seconds: int64("Seconds to sleep."),
  },
  { required: ["seconds"] },
);

export const LifecycleHandler: Schema = definition(
  "io.k8s.api.core.v1.LifecycleHandler",
  "The action of a lifecycle hook; exactly one is set.",
  {
    exec: ref(ExecAction, "Run a command in the container."),
    httpGet: ref(HTTPGetAction, "Send an HTTP GET request."),
    tcpSocket: ref(TCPSocketAction, "Deprecated TCP check, kept for compatibility."),
    sleep: ref(SleepAction, "Pause for a while."),
  },
);

export const Lifecycle: Schema = definition(
  "io.k8s.api.core.v1.Lifecycle",
  "Hooks run at container start and stop.",
  {
    postStart: ref(LifecycleHandler, "Action run right after the container starts."),
    preStop: ref(LifecycleHandler, "Action run before the container is stopped."),
  },
);

export const Capabilities: Schema = definition(
  "io.k8s.api.core.v1.Capabilities",
  "Linux capabilities to add and drop.",
  {
    add: list(str(), "Capabilities to add.", { listType: "atomic" }),
    drop: list(str(), "Capabilities to drop.", { listType: "atomic" }),
  },
);

export const SELinuxOptions: Schema = definition("io.k8s.api.core.v1.SELinuxOptions", "SELinux labels.", {
  user: str("SELinux user label."),
  role: str("SELinux role label."),
  type: str("SELinux type label."),
  level: str("SELinux level label."),
});

export const WindowsSecurityContextOptions: Schema = definition(
  "io.k8s.api.core.v1.WindowsSecurityContextOptions",
  "Windows-specific security settings.",
  {
    gmsaCredentialSpecName: str("Name of the GMSA credential spec to use."),
    gmsaCredentialSpec: str("Contents of the GMSA credential spec."),
    runAsUserName: str("Windows user name to run as."),
    hostProcess: bool("Run as a Windows host process container."),
  },
);

export const SeccompProfile: Schema = definition(
  "io.k8s.api.core.v1.SeccompProfile",
  "A seccomp profile choice.",
  {
    type: str("RuntimeDefault, Unconfined or Localhost.", {
      enum: ["Localhost", "RuntimeDefault", "Unconfined"],
    }),
    localhostProfile: str("Path of a profile on the node, for Localhost."),
  },
  { required: ["type"] },
);

export const AppArmorProfile: Schema = definition(
  "io.k8s.api.core.v1.AppArmorProfile",
  "An AppArmor profile choice.",
  {
    type: str("RuntimeDefault, Unconfined or Localhost.", {
      enum: ["Localhost", "RuntimeDefault", "Unconfined"],
    }),
    localhostProfile: str("Name of a profile loaded on the node, for Localhost."),
  },
  { required: ["type"] },
);

export const SecurityContext: Schema = definition(
  "io.k8s.api.core.v1.SecurityContext",
  "Security settings of one container.",
  {
    capabilities: ref(Capabilities, "Linux capabilities to add or drop."),
    privileged: bool("Run the container in privileged mode."),
    seLinuxOptions: ref(SELinuxOptions, "SELinux labels for the container."),
    windowsOptions: ref(WindowsSecurityContextOptions, "Windows-specific settings."),
    runAsUser: int64("User ID the container process runs as."),
    runAsGroup: int64("Group ID the container process runs as."),
    runAsNonRoot: bool("Refuse to start the container as root."),
    readOnlyRootFilesystem: bool("Mount the root filesystem read-only."),
    allowPrivilegeEscalation: bool("Whether a process may gain more privileges than its parent."),
    procMount: str("Kind of /proc mount: Default or Unmasked.", { enum: ["Default", "Unmasked"] }),
    seccompProfile: ref(SeccompProfile, "Seccomp profile of the container."),
    appArmorProfile: ref(AppArmorProfile, "AppArmor profile of the container."),
  },
);

export const Container: Schema = definition(
  "io.k8s.api.core.v1.Container",
  "One application container of a pod.",
  {
    name: str("Container name, unique within the pod."),
    image: str("Container image reference."),
    command: list(str(), "Entrypoint to run instead of the image's own.", { listType: "atomic" }),
    args: list(str(), "Arguments to the entrypoint.", { listType: "atomic" }),
    workingDir: str("Working directory of the container."),
    ports: list(ContainerPort, "Network ports the container exposes.", {
      patchStrategy: "merge",
      patchMergeKey: "containerPort",
      listType: "map",
      listMapKeys: ["containerPort", "protocol"],
    }),
    envFrom: list(EnvFromSource, "Sources whose keys all become environment variables.", {
      listType: "atomic",
    }),
    env: list(EnvVar, "Environment variables for the container.", {
      patchStrategy: "merge",
      patchMergeKey: "name",
      listType: "map",
      listMapKeys: ["name"],
    }),
    resources: ref(ResourceRequirements, "CPU, memory and other resources the container needs."),
    resizePolicy: list(ContainerResizePolicy, "How each resource may be resized in place.", {
      listType: "atomic",
    }),
    restartPolicy: str("Per-container restart policy; Always makes an init container a sidecar."),
    volumeMounts: list(VolumeMount, "Volumes mounted into the container's filesystem.", {
      patchStrategy: "merge",
      patchMergeKey: "mountPath",
      listType: "map",
      listMapKeys: ["mountPath"],
    }),
    volumeDevices: list(VolumeDevice, "Block devices exposed to the container.", {
      patchStrategy: "merge",
      patchMergeKey: "devicePath",
      listType: "map",
      listMapKeys: ["devicePath"],
    }),
    livenessProbe: ref(Probe, "Probe that restarts the container when it fails."),
    readinessProbe: ref(Probe, "Probe that decides whether the container is ready."),
    startupProbe: ref(Probe, "Probe that must succeed before the other probes start."),
    lifecycle: ref(Lifecycle, "Actions run right after start and before stop."),
    terminationMessagePath: str("File the container writes its termination message to."),
    terminationMessagePolicy: str(
      "Where the termination message is read from: File or FallbackToLogsOnError.",
      { enum: ["FallbackToLogsOnError", "File"] },
    ),
    imagePullPolicy: str("When the image is pulled: Always, Never or IfNotPresent.", {
      enum: ["Always", "IfNotPresent", "Never"],
    }),
    securityContext: ref(SecurityContext, "Security settings of the container."),
    stdin: bool("Allocate a stdin buffer for the container."),
    stdinOnce: bool("Close stdin after the first attached client disconnects."),
    tty: bool("Allocate a terminal for the container."),
  },
  { required: ["name"] },
);

export const EphemeralContainer: Schema = definition(
  "io.k8s.api.core.v1.EphemeralContainer",
  "A temporary container added to a running pod for debugging.",
  {
    name: str("Container name, unique within the pod."),
    image: str("Container image reference."),
    command: list(str(), "Entrypoint to run instead of the image's own.", { listType: "atomic" }),
    args: list(str(), "Arguments to the entrypoint.", { listType: "atomic" }),
    workingDir: str("Working directory of the container."),
    ports: list(ContainerPort, "Not allowed for ephemeral containers.", {
      patchStrategy: "merge",
      patchMergeKey: "containerPort",
      listType: "map",
      listMapKeys: ["containerPort", "protocol"],
    }),
    envFrom: list(EnvFromSource, "Sources whose keys all become environment variables.", {
      listType: "atomic",
    }),
    env: list(EnvVar, "Environment variables for the container.", {
      patchStrategy: "merge",
      patchMergeKey: "name",
      listType: "map",
      listMapKeys: ["name"],
    }),
    resources: ref(ResourceRequirements, "Not allowed for ephemeral containers."),
    resizePolicy: list(ContainerResizePolicy, "How each resource may be resized in place.", {
      listType: "atomic",
    }),
    restartPolicy: str("Not allowed for ephemeral containers."),
    volumeMounts: list(VolumeMount, "Volumes mounted into the container's filesystem.", {
      patchStrategy: "merge",
      patchMergeKey: "mountPath",
      listType: "map",
      listMapKeys: ["mountPath"],
    }),
    volumeDevices: list(VolumeDevice, "Block devices exposed to the container.", {
      patchStrategy: "merge",
      patchMergeKey: "devicePath",
      listType: "map",
      listMapKeys: ["devicePath"],
    }),
    livenessProbe: ref(Probe, "Not allowed for ephemeral containers."),
    readinessProbe: ref(Probe, "Not allowed for ephemeral containers."),
    startupProbe: ref(Probe, "Not allowed for ephemeral containers."),
    lifecycle: ref(Lifecycle, "Not allowed for ephemeral containers."),
    terminationMessagePath: str("File the container writes its termination message to."),
    terminationMessagePolicy: str(
      "Where the termination message is read from: File or FallbackToLogsOnError.",
      { enum: ["FallbackToLogsOnError", "File"] },
    ),
    imagePullPolicy: str("When the image is pulled: Always, Never or IfNotPresent.", {
      enum: ["Always", "IfNotPresent", "Never"],
    }),
    securityContext: ref(SecurityContext, "Security settings of the container."),
    stdin: bool("Allocate a stdin buffer for the container."),
    stdinOnce: bool("Close stdin after the first attached client disconnects."),
    tty: bool("Allocate a terminal for the container."),
    targetContainerName: str("Container whose namespaces the ephemeral container joins."),
  },
  { required: ["name"] },
);
