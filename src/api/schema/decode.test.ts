// Tests for strict decoding: realistic DaemonSet manifests pass, typos are found at upstream-style paths, and
// type errors read like the Go decoder's.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  checkObject,
  findDuplicateKeys,
  formatDecodeError,
  formatStrictError,
  strictErrorMessages,
} from "./decode.js";
import { schemaForKind } from "./index.js";

const daemonSetSchema = schemaForKind("apps", "v1", "DaemonSet")!;

const fluentd = () => ({
  apiVersion: "apps/v1",
  kind: "DaemonSet",
  metadata: {
    name: "fluentd-elasticsearch",
    namespace: "kube-system",
    labels: { "k8s-app": "fluentd-logging" },
  },
  spec: {
    selector: { matchLabels: { name: "fluentd-elasticsearch" } },
    updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
    minReadySeconds: 5,
    revisionHistoryLimit: 10,
    template: {
      metadata: {
        labels: { name: "fluentd-elasticsearch" },
        annotations: { "sim.everynode.dev/ready-delay": "2s" },
      },
      spec: {
        serviceAccountName: "fluentd",
        tolerations: [
          { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
          {
            key: "node.kubernetes.io/not-ready",
            operator: "Exists",
            effect: "NoExecute",
            tolerationSeconds: 300,
          },
        ],
        containers: [
          {
            name: "fluentd-elasticsearch",
            image: "quay.io/fluentd_elasticsearch/fluentd:v2.5.2",
            imagePullPolicy: "IfNotPresent",
            env: [
              { name: "FLUENT_ELASTICSEARCH_HOST", value: "elasticsearch.logging" },
              { name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
              {
                name: "MEM_LIMIT",
                valueFrom: { resourceFieldRef: { resource: "limits.memory", divisor: "1Mi" } },
              },
              {
                name: "LEVEL",
                valueFrom: { configMapKeyRef: { name: "fluentd-config", key: "level", optional: true } },
              },
              { name: "TOKEN", valueFrom: { secretKeyRef: { name: "fluentd-secret", key: "token" } } },
            ],
            resources: { limits: { memory: "200Mi" }, requests: { cpu: "100m", memory: 209715200 } },
            volumeMounts: [
              { name: "varlog", mountPath: "/var/log" },
              { name: "varlibdockercontainers", mountPath: "/var/lib/docker/containers", readOnly: true },
              { name: "config", mountPath: "/fluentd/etc" },
            ],
            livenessProbe: { exec: { command: ["/bin/sh", "-c", "pgrep fluentd"] }, periodSeconds: 10 },
            lifecycle: { preStop: { sleep: { seconds: 5 } } },
          },
        ],
        terminationGracePeriodSeconds: 30,
        volumes: [
          { name: "varlog", hostPath: { path: "/var/log" } },
          {
            name: "varlibdockercontainers",
            hostPath: { path: "/var/lib/docker/containers", type: "Directory" },
          },
          {
            name: "config",
            configMap: { name: "fluentd-config", items: [{ key: "fluent.conf", path: "fluent.conf" }] },
          },
          { name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "64Mi" } },
          {
            name: "token",
            projected: {
              sources: [
                { serviceAccountToken: { path: "token", expirationSeconds: 3600 } },
                { downwardAPI: { items: [{ path: "labels", fieldRef: { fieldPath: "metadata.labels" } }] } },
              ],
            },
          },
        ],
      },
    },
  },
});

const nodeExporter = () => ({
  apiVersion: "apps/v1",
  kind: "DaemonSet",
  metadata: { name: "node-exporter", namespace: "monitoring" },
  spec: {
    selector: { matchLabels: { app: "node-exporter" } },
    template: {
      metadata: { labels: { app: "node-exporter" } },
      spec: {
        hostNetwork: true,
        hostPID: true,
        dnsPolicy: "ClusterFirstWithHostNet",
        priorityClassName: "system-node-critical",
        nodeSelector: { "kubernetes.io/os": "linux" },
        securityContext: {
          runAsNonRoot: true,
          runAsUser: 65534,
          fsGroup: 65534,
          seccompProfile: { type: "RuntimeDefault" },
        },
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                {
                  matchExpressions: [
                    { key: "kubernetes.io/arch", operator: "In", values: ["amd64", "arm64"] },
                  ],
                },
              ],
            },
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 50, preference: { matchExpressions: [{ key: "disktype", operator: "Exists" }] } },
            ],
          },
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              {
                labelSelector: { matchLabels: { app: "node-exporter" } },
                topologyKey: "kubernetes.io/hostname",
              },
            ],
          },
        },
        tolerations: [{ operator: "Exists" }],
        containers: [
          {
            name: "node-exporter",
            image: "prom/node-exporter:v1.8.2",
            args: ["--path.procfs=/host/proc", "--path.sysfs=/host/sys", "--web.listen-address=:9100"],
            ports: [{ name: "metrics", containerPort: 9100, hostPort: 9100, protocol: "TCP" }],
            resources: { limits: { cpu: "250m", memory: "180Mi" }, requests: { cpu: 0.1, memory: "180Mi" } },
            readinessProbe: {
              httpGet: { path: "/", port: "metrics", scheme: "HTTP" },
              initialDelaySeconds: 5,
            },
            startupProbe: { tcpSocket: { port: 9100 }, failureThreshold: 30 },
            securityContext: {
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ["ALL"], add: ["SYS_TIME"] },
              seLinuxOptions: { type: "spc_t" },
              appArmorProfile: { type: "RuntimeDefault" },
            },
            volumeMounts: [
              { name: "proc", mountPath: "/host/proc", readOnly: true, mountPropagation: "HostToContainer" },
              { name: "sys", mountPath: "/host/sys", readOnly: true },
            ],
          },
        ],
        volumes: [
          { name: "proc", hostPath: { path: "/proc" } },
          { name: "sys", hostPath: { path: "/sys" } },
        ],
      },
    },
  },
  status: {
    currentNumberScheduled: 3,
    numberMisscheduled: 0,
    desiredNumberScheduled: 3,
    numberReady: 3,
    observedGeneration: 1,
    conditions: [{ type: "Progressing", status: "True", lastTransitionTime: "2024-05-01T10:00:00Z" }],
  },
});

describe("checkObject accepts real manifests", () => {
  for (const [name, manifest] of [
    ["fluentd", fluentd()],
    ["node-exporter", nodeExporter()],
  ] as const) {
    it(name, () => {
      const result = checkObject(manifest, daemonSetSchema, { jsonText: JSON.stringify(manifest) });
      assert.deepEqual(result, { unknownFields: [], typeErrors: [], duplicateFields: [] });
    });
  }

  it("a pod with status, a node, a lease and RBAC objects", () => {
    const cases: [string, string, unknown][] = [
      [
        "",
        "Pod",
        {
          apiVersion: "v1",
          kind: "Pod",
          metadata: {
            name: "p",
            ownerReferences: [
              { apiVersion: "apps/v1", kind: "DaemonSet", name: "d", uid: "u", controller: true },
            ],
          },
          spec: { nodeName: "n1", containers: [{ name: "c", image: "i" }] },
          status: {
            phase: "Running",
            podIPs: [{ ip: "10.0.0.1" }],
            startTime: "2024-05-01T10:00:00Z",
            containerStatuses: [
              {
                name: "c",
                ready: true,
                restartCount: 2,
                image: "i",
                imageID: "sha256:abc",
                started: true,
                state: { running: { startedAt: "2024-05-01T10:00:01Z" } },
                lastState: {
                  terminated: { exitCode: 1, reason: "Error", finishedAt: "2024-05-01T10:00:00Z" },
                },
              },
            ],
          },
        },
      ],
      [
        "",
        "Node",
        {
          apiVersion: "v1",
          kind: "Node",
          metadata: { name: "n1" },
          spec: {
            taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }],
            podCIDR: "10.244.0.0/24",
          },
          status: {
            capacity: { cpu: "4", memory: "8Gi", pods: "110" },
            conditions: [{ type: "Ready", status: "True", lastHeartbeatTime: "2024-05-01T10:00:00Z" }],
            addresses: [{ type: "InternalIP", address: "10.0.0.1" }],
            daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
            nodeInfo: { kubeletVersion: "v1.32.0", operatingSystem: "linux", architecture: "amd64" },
          },
        },
      ],
      [
        "coordination.k8s.io",
        "Lease",
        {
          apiVersion: "coordination.k8s.io/v1",
          kind: "Lease",
          metadata: { name: "n1", namespace: "kube-node-lease" },
          spec: { holderIdentity: "n1", leaseDurationSeconds: 40, renewTime: "2024-05-01T10:00:00.123456Z" },
        },
      ],
      [
        "rbac.authorization.k8s.io",
        "ClusterRole",
        {
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "ClusterRole",
          metadata: { name: "r" },
          rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] }],
          aggregationRule: { clusterRoleSelectors: [{ matchLabels: { agg: "true" } }] },
        },
      ],
    ];
    for (const [group, kind, obj] of cases) {
      const result = checkObject(obj, schemaForKind(group, "v1", kind)!);
      assert.deepEqual(result, { unknownFields: [], typeErrors: [] }, kind);
    }
  });

  it("does not look inside free-form content and accepts nulls", () => {
    const revision = {
      apiVersion: "apps/v1",
      kind: "ControllerRevision",
      metadata: {
        name: "r",
        creationTimestamp: null,
        managedFields: [
          { manager: "kubectl", operation: "Update", fieldsType: "FieldsV1", fieldsV1: { "f:spec": {} } },
        ],
      },
      data: { spec: { template: { anything: ["goes"] } } },
      revision: 1,
    };
    assert.deepEqual(
      checkObject(revision, schemaForKind("apps", "v1", "ControllerRevision")!).unknownFields,
      [],
    );
  });
});

describe("checkObject finds unknown fields at upstream's paths", () => {
  const cases: [string, (m: any) => void, string[]][] = [
    [
      "container typo",
      (m) => {
        m.spec.template.spec.containers[0].imagee = "x";
      },
      ["spec.template.spec.containers[0].imagee"],
    ],
    [
      "metadata typo",
      (m) => {
        m.metadata.lables = {};
      },
      ["metadata.lables"],
    ],
    [
      "case matters",
      (m) => {
        m.spec.Selector = {};
      },
      ["spec.Selector"],
    ],
    [
      "volume source typo",
      (m) => {
        m.spec.template.spec.volumes[1].hostpath = { path: "/x" };
      },
      ["spec.template.spec.volumes[1].hostpath"],
    ],
    [
      "toleration typo",
      (m) => {
        m.spec.template.spec.tolerations[1].effects = "NoExecute";
      },
      ["spec.template.spec.tolerations[1].effects"],
    ],
    [
      "nested env source",
      (m) => {
        m.spec.template.spec.containers[0].env[1].valueFrom.fieldRef.path = "x";
      },
      ["spec.template.spec.containers[0].env[1].valueFrom.fieldRef.path"],
    ],
    [
      "two at once, in document order",
      (m) => {
        m.spec.foo = 1;
        m.spec.bar = 2;
      },
      ["spec.foo", "spec.bar"],
    ],
    [
      "strategy",
      (m) => {
        m.spec.updateStrategy.rollingupdate = {};
      },
      ["spec.updateStrategy.rollingupdate"],
    ],
    [
      "top level",
      (m) => {
        m.extra = true;
      },
      ["extra"],
    ],
  ];
  for (const [name, mutate, expected] of cases) {
    it(name, () => {
      const manifest = fluentd();
      mutate(manifest);
      const result = checkObject(manifest, daemonSetSchema);
      assert.deepEqual(result.unknownFields, expected);
      assert.deepEqual(result.typeErrors, []);
    });
  }

  it("keeps at most 100 unknown fields", () => {
    const manifest: any = fluentd();
    for (let i = 0; i < 150; i++) manifest.spec[`f${i}`] = i;
    assert.equal(checkObject(manifest, daemonSetSchema).unknownFields.length, 100);
  });
});

describe("checkObject reports type errors like Go's decoder", () => {
  const quantityError =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  const cases: [string, (m: any) => void, string, string][] = [
    [
      "string into int32",
      (m) => {
        m.spec.minReadySeconds = "5";
      },
      "spec.minReadySeconds",
      "json: cannot unmarshal string into Go struct field DaemonSetSpec.spec.minReadySeconds of type int32",
    ],
    [
      "fraction into int32",
      (m) => {
        m.spec.template.spec.containers[0].livenessProbe.periodSeconds = 1.5;
      },
      "spec.template.spec.containers[0].livenessProbe.periodSeconds",
      "json: cannot unmarshal number 1.5 into Go struct field Probe.spec.template.spec.containers.livenessProbe.periodSeconds of type int32",
    ],
    [
      "int64",
      (m) => {
        m.spec.template.spec.terminationGracePeriodSeconds = true;
      },
      "spec.template.spec.terminationGracePeriodSeconds",
      "json: cannot unmarshal bool into Go struct field PodSpec.spec.template.spec.terminationGracePeriodSeconds of type int64",
    ],
    [
      "object into list",
      (m) => {
        m.spec.template.spec.containers = { name: "x" };
      },
      "spec.template.spec.containers",
      "json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container",
    ],
    [
      "string into struct",
      (m) => {
        m.spec.selector = "name=fluentd";
      },
      "spec.selector",
      "json: cannot unmarshal string into Go struct field DaemonSetSpec.spec.selector of type v1.LabelSelector",
    ],
    [
      "number into map value",
      (m) => {
        m.metadata.labels.tier = 1;
      },
      "metadata.labels.tier",
      "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string",
    ],
    [
      "string into bool",
      (m) => {
        m.spec.template.spec.hostNetwork = "true";
      },
      "spec.template.spec.hostNetwork",
      "json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.hostNetwork of type bool",
    ],
    [
      "number into string in a list",
      (m) => {
        m.spec.template.spec.containers[0].livenessProbe.exec.command[0] = 7;
      },
      "spec.template.spec.containers[0].livenessProbe.exec.command[0]",
      "json: cannot unmarshal number into Go struct field ExecAction.spec.template.spec.containers.livenessProbe.exec.command of type string",
    ],
    [
      "inlined volume source",
      (m) => {
        m.spec.template.spec.volumes[0].hostPath = "/var/log";
      },
      "spec.template.spec.volumes[0].hostPath",
      "json: cannot unmarshal string into Go struct field Volume.spec.template.spec.volumes.hostPath of type v1.HostPathVolumeSource",
    ],
    [
      "bool into IntOrString",
      (m) => {
        m.spec.updateStrategy.rollingUpdate.maxUnavailable = true;
      },
      "spec.updateStrategy.rollingUpdate.maxUnavailable",
      "json: cannot unmarshal bool into Go struct field RollingUpdateDaemonSet.spec.updateStrategy.rollingUpdate.maxUnavailable of type int32",
    ],
    [
      "bad quantity",
      (m) => {
        m.spec.template.spec.containers[0].resources.limits.memory = "lots";
      },
      "spec.template.spec.containers[0].resources.limits.memory",
      quantityError,
    ],
    [
      "bool quantity",
      (m) => {
        m.spec.template.spec.containers[0].resources.requests.cpu = true;
      },
      "spec.template.spec.containers[0].resources.requests.cpu",
      quantityError,
    ],
    [
      "bad time",
      (m) => {
        m.metadata.creationTimestamp = "yesterday";
      },
      "metadata.creationTimestamp",
      'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"',
    ],
    [
      "time without zone",
      (m) => {
        m.metadata.creationTimestamp = "2024-05-01T10:00:00";
      },
      "metadata.creationTimestamp",
      'parsing time "2024-05-01T10:00:00" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "Z07:00"',
    ],
    [
      "number into time",
      (m) => {
        m.metadata.creationTimestamp = 1714557600;
      },
      "metadata.creationTimestamp",
      "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string",
    ],
  ];
  for (const [name, mutate, path, message] of cases) {
    it(name, () => {
      const manifest = fluentd();
      mutate(manifest);
      assert.deepEqual(checkObject(manifest, daemonSetSchema).typeErrors, [{ path, message }]);
    });
  }

  it("names the top-level type when the body is not an object", () => {
    assert.deepEqual(checkObject([], daemonSetSchema).typeErrors, [
      { path: "", message: "json: cannot unmarshal array into Go value of type v1.DaemonSet" },
    ]);
  });

  it("checks Secret data is base64", () => {
    const secret = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "s" },
      data: { ok: "aGVsbG8=", bad: "hello!!" },
    };
    assert.deepEqual(checkObject(secret, schemaForKind("", "v1", "Secret")!).typeErrors, [
      { path: "data.bad", message: "illegal base64 data at input byte 5" },
    ]);
  });

  it("does not report unknown fields inside a value of the wrong type", () => {
    const manifest: any = fluentd();
    manifest.spec.template.spec.containers[0].securityContext = ["privileged"];
    const result = checkObject(manifest, daemonSetSchema);
    assert.deepEqual(result.unknownFields, []);
    assert.equal(result.typeErrors.length, 1);
  });
});

describe("duplicate keys", () => {
  it("finds duplicates with their paths, in document order", () => {
    const text =
      '{"metadata":{"name":"a","name":"b"},"spec":{"template":{"spec":{"containers":[{"name":"c"},' +
      '{"name":"d","image":"x","image":"y"}]}}},"spec":{}}';
    assert.deepEqual(findDuplicateKeys(text), [
      "metadata.name",
      "spec.template.spec.containers[1].image",
      "spec",
    ]);
  });

  it("handles escapes, nesting and malformed text", () => {
    assert.deepEqual(findDuplicateKeys('{"a\\"b":1,"a\\"b":[1,{"x":"\\u0041","x":null}]}'), [
      'a"b',
      'a"b[1].x',
    ]);
    assert.deepEqual(findDuplicateKeys('{"a":1,"a":2,'), ["a"]);
    assert.deepEqual(findDuplicateKeys("[]"), []);
  });

  it("are reported by checkObject when the raw text is given", () => {
    const text = '{"apiVersion":"apps/v1","kind":"DaemonSet","kind":"DaemonSet"}';
    assert.deepEqual(checkObject(JSON.parse(text), daemonSetSchema, { jsonText: text }).duplicateFields, [
      "kind",
    ]);
  });
});

describe("messages", () => {
  it("formats upstream's strict decoding error", () => {
    const result = { unknownFields: ["spec.foo", "spec.bar"], duplicateFields: ["metadata.name"] };
    assert.equal(
      formatStrictError(result),
      'strict decoding error: unknown field "spec.foo", unknown field "spec.bar", duplicate field "metadata.name"',
    );
    assert.deepEqual(strictErrorMessages({ unknownFields: ["spec.foo"] }), ['unknown field "spec.foo"']);
    assert.equal(formatStrictError({ unknownFields: [] }), undefined);
  });

  it("formats upstream's decode error", () => {
    assert.equal(
      formatDecodeError(
        "DaemonSet",
        "v1",
        "json: cannot unmarshal string into Go struct field X of type int32",
      ),
      'DaemonSet in version "v1" cannot be handled as a DaemonSet: json: cannot unmarshal string into Go struct field X of type int32',
    );
  });
});
