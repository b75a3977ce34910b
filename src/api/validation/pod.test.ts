// Table tests of Pod validation: pod spec rules (containers, ports, env, volumes, resources, policies,
// scheduling), pod updates, status updates and Binding.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyDefaults } from "../defaults/index.js";
import type { FieldError } from "./field-errors.js";
import { FieldPath } from "./field-path.js";
import type { JsonRecord } from "./json-access.js";
import { validateBinding, validatePodCreate, validatePodStatusUpdate, validatePodUpdate } from "./pod.js";
import { validatePodSpec } from "./pod-spec.js";

const messages = (errs: FieldError[]): string[] => errs.map((e) => e.toString());

type Spec = JsonRecord & { containers: JsonRecord[] };

/** A defaulted pod; `edit` changes the spec before defaulting. */
function pod(edit: (spec: Spec) => void = () => {}): JsonRecord {
  const spec: Spec = { containers: [{ name: "c", image: "nginx:1.27" }] };
  edit(spec);
  return applyDefaults("", "Pod", {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", namespace: "default" },
    spec,
  });
}

describe("pod spec validation", () => {
  const cases: [string, (spec: Spec) => void, string[]][] = [
    ["valid", () => {}, []],
    [
      "no containers",
      (s) => {
        s.containers = [];
      },
      ["spec.containers: Required value"],
    ],
    [
      "container name and image",
      (s) => {
        s.containers = [{ name: "Web" }];
      },
      [
        "spec.containers[0].name: Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        "spec.containers[0].image: Required value",
      ],
    ],
    [
      "duplicate container names",
      (s) => {
        s.containers.push({ name: "c", image: "busybox" });
      },
      ['spec.containers[1].name: Duplicate value: "c"'],
    ],
    [
      "ports",
      (s) => {
        s.containers[0].ports = [
          { containerPort: 0 },
          { name: "web", containerPort: 70000, protocol: "HTTP" },
          { name: "web", containerPort: 80 },
        ];
      },
      [
        "spec.containers[0].ports[0].containerPort: Required value",
        "spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
        'spec.containers[0].ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
        'spec.containers[0].ports[2].name: Duplicate value: "web"',
      ],
    ],
    [
      "host port conflicts across containers",
      (s) => {
        s.containers[0].ports = [{ containerPort: 80, hostPort: 80 }];
        s.containers.push({ name: "d", image: "busybox", ports: [{ containerPort: 81, hostPort: 80 }] });
      },
      ['spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//80"'],
    ],
    [
      "hostNetwork needs hostPort == containerPort",
      (s) => {
        s.hostNetwork = true;
        s.containers[0].ports = [{ containerPort: 80, hostPort: 81 }];
      },
      [
        "spec.containers[0].ports[0].hostPort: Invalid value: 81: must match `containerPort` when `hostNetwork` is true",
      ],
    ],
    [
      "hostNetwork defaults hostPort",
      (s) => {
        s.hostNetwork = true;
        s.containers[0].ports = [{ containerPort: 80 }];
      },
      [],
    ],
    [
      "env",
      (s) => {
        s.containers[0].env = [{ name: "" }, { name: "A=B" }, { name: "X", valueFrom: {} }];
      },
      [
        "spec.containers[0].env[0].name: Required value",
        "spec.containers[0].env[1].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='",
        'spec.containers[0].env[2].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
      ],
    ],
    [
      "env fieldRef",
      (s) => {
        s.containers[0].env = [
          { name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
          { name: "PHASE", valueFrom: { fieldRef: { fieldPath: "status.phase" } } },
        ];
      },
      [
        'spec.containers[0].env[1].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
      ],
    ],
    [
      "volumes",
      (s) => {
        s.volumes = [
          { name: "logs", hostPath: { path: "/var/log" } },
          { name: "logs", emptyDir: {} },
          { name: "two", emptyDir: {}, hostPath: { path: "/x" } },
          { name: "cfg", configMap: { name: "" } },
        ];
        s.containers[0].volumeMounts = [
          { name: "logs", mountPath: "/var/log" },
          { name: "missing", mountPath: "/m" },
        ];
      },
      [
        'spec.volumes[1].name: Duplicate value: "logs"',
        "spec.volumes[2].hostPath: Forbidden: may not specify more than 1 volume type",
        "spec.volumes[3].configMap.name: Required value",
        'spec.containers[0].volumeMounts[1].name: Not found: "missing"',
      ],
    ],
    [
      "hostPath type",
      (s) => {
        s.volumes = [{ name: "v", hostPath: { path: "/x", type: "Dir" } }];
      },
      [
        'spec.volumes[0].hostPath.type: Unsupported value: "Dir": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"',
      ],
    ],
    [
      "requests above limits",
      (s) => {
        s.containers[0].resources = {
          requests: { cpu: "2", memory: "64Mi" },
          limits: { cpu: "1", memory: "128Mi" },
        };
      },
      [
        'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
      ],
    ],
    [
      "resource names and values",
      (s) => {
        s.containers[0].resources = {
          requests: { pods: "1", "example.com/gpu": "1500m" },
          limits: { "example.com/gpu": "2" },
        };
      },
      [
        'spec.containers[0].resources.requests[example.com/gpu]: Invalid value: "1500m": must be an integer',
        'spec.containers[0].resources.requests: Invalid value: "1500m": must be equal to example.com/gpu limit of 2',
        'spec.containers[0].resources.requests[pods]: Invalid value: "pods": must be a standard resource for containers',
      ],
    ],
    [
      "negative quantity",
      (s) => {
        s.containers[0].resources = { requests: { memory: "-1Mi" } };
      },
      [
        'spec.containers[0].resources.requests[memory]: Invalid value: "-1Mi": must be greater than or equal to 0',
      ],
    ],
    [
      "policies",
      (s) => {
        s.restartPolicy = "Sometimes";
        s.dnsPolicy = "Foo";
        s.containers[0].imagePullPolicy = "Maybe";
      },
      [
        'spec.containers[0].imagePullPolicy: Unsupported value: "Maybe": supported values: "Always", "IfNotPresent", "Never"',
        'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
        'spec.dnsPolicy: Unsupported value: "Foo": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
      ],
    ],
    [
      "tolerations",
      (s) => {
        s.tolerations = [
          { key: "a", operator: "Exists", value: "x" },
          { key: "b", operator: "Equal", value: "y", effect: "Never" },
          { key: "c", operator: "Exists", effect: "NoSchedule", tolerationSeconds: 5 },
          { operator: "Equal" },
          { key: "d", operator: "Is" },
        ];
      },
      [
        "spec.tolerations[0].operator: Invalid value: \"x\": value must be empty when `operator` is 'Exists'",
        'spec.tolerations[1].effect: Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
        "spec.tolerations[2].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
        'spec.tolerations[3].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
        'spec.tolerations[4].operator: Unsupported value: "Is": supported values: "Equal", "Exists"',
      ],
    ],
    [
      "nodeSelector",
      (s) => {
        s.nodeSelector = { "kubernetes.io/os": "linux os" };
      },
      [
        "spec.nodeSelector: Invalid value: \"linux os\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      ],
    ],
    [
      "node affinity",
      (s) => {
        s.affinity = {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] },
            preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: {} }],
          },
        };
      },
      [
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term",
        "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100",
      ],
    ],
    [
      "node selector term operators",
      (s) => {
        s.affinity = {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                {
                  matchExpressions: [
                    { key: "zone", operator: "In" },
                    { key: "n", operator: "Gt", values: ["1", "2"] },
                  ],
                },
              ],
            },
          },
        };
      },
      [
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'",
      ],
    ],
    [
      "probes",
      (s) => {
        s.containers[0].livenessProbe = { successThreshold: 2 };
        s.containers[0].readinessProbe = { httpGet: { port: 0 }, exec: { command: ["true"] } };
      },
      [
        "spec.containers[0].livenessProbe: Required value: must specify a handler type",
        "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
        "spec.containers[0].readinessProbe.httpGet: Forbidden: may not specify more than 1 handler type",
      ],
    ],
  ];
  for (const [name, edit, want] of cases) {
    it(name, () => assert.deepEqual(messages(validatePodCreate(pod(edit))), want));
  }

  it("requires a volume source (before defaulting) and a grace period", () => {
    const container = { name: "c", image: "i", imagePullPolicy: "Always", terminationMessagePolicy: "File" };
    const spec = {
      containers: [container],
      volumes: [{ name: "v" }],
      restartPolicy: "Always",
      dnsPolicy: "ClusterFirst",
    };
    assert.deepEqual(messages(validatePodSpec(spec, FieldPath.root("spec"), { resourceIsPod: true })), [
      "spec.terminationGracePeriodSeconds: Required value",
      "spec.volumes[0]: Required value: must specify a volume type",
    ]);
  });

  it("forbids ephemeral containers on create and image whitespace", () => {
    const p = pod((s) => {
      s.containers[0].image = " nginx";
    });
    (p.spec as JsonRecord).ephemeralContainers = [{ name: "dbg", image: "busybox" }];
    assert.deepEqual(messages(validatePodCreate(p)), [
      'spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace',
      "spec.ephemeralContainers: Forbidden: cannot be set on create",
    ]);
  });
});

describe("pod updates", () => {
  const stored = (): JsonRecord => {
    const p = pod((s) => {
      s.tolerations = [{ key: "a", operator: "Exists", effect: "NoExecute", tolerationSeconds: 10 }];
    });
    Object.assign(p.metadata as JsonRecord, { uid: "u", resourceVersion: "2" });
    return p;
  };
  const edited = (edit: (spec: Spec) => void): JsonRecord => {
    const p = structuredClone(stored());
    edit(p.spec as Spec);
    return p;
  };

  it("allows image, activeDeadlineSeconds and toleration changes", () => {
    const next = edited((s) => {
      s.containers[0].image = "nginx:1.28";
      s.activeDeadlineSeconds = 100;
      (s.tolerations as JsonRecord[])[0].tolerationSeconds = 20;
      (s.tolerations as JsonRecord[]).push({ key: "b", operator: "Exists" });
    });
    assert.deepEqual(messages(validatePodUpdate(next, stored())), []);
  });
  it("forbids other spec changes", () => {
    const [err, ...rest] = validatePodUpdate(
      edited((s) => {
        s.restartPolicy = "Never";
      }),
      stored(),
    );
    assert.equal(rest.length, 0);
    assert.equal(err.field, "spec");
    assert.ok(
      err
        .errorBody()
        .startsWith(
          "Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n",
        ),
    );
    assert.match(err.detail, /- \trestartPolicy: "Always"/);
  });
  it("forbids removing tolerations and containers", () => {
    assert.deepEqual(
      messages(
        validatePodUpdate(
          edited((s) => {
            s.tolerations = [];
          }),
          stored(),
        ),
      ),
      ["spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"],
    );
    const added = validatePodUpdate(
      edited((s) => void s.containers.push({ name: "d", image: "x" })),
      stored(),
    );
    assert.equal(
      added.at(-1)?.toString(),
      "spec.containers: Forbidden: pod updates may not add or remove containers",
    );
  });
  it("checks status updates", () => {
    const old = stored();
    const next = structuredClone(old);
    (next.spec as JsonRecord).nodeName = "n1";
    next.status = { qosClass: "Burstable", podIPs: [{ ip: "10.0.0.300" }] };
    assert.deepEqual(messages(validatePodStatusUpdate(next, old)), [
      "status.nodeName: Forbidden: may not be changed directly",
      'status.qosClass: Invalid value: "Burstable": field is immutable',
      'status.podIPs[0]: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ]);
  });
});

describe("Binding", () => {
  it("targets a named Node", () => {
    assert.deepEqual(messages(validateBinding({ target: { kind: "Node", name: "n1" } })), []);
    assert.deepEqual(messages(validateBinding({ target: { kind: "Pod" } })), [
      'target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>"',
      "target.name: Required value",
    ]);
  });
});
