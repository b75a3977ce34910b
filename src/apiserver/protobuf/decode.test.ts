// Tests for decodeProtobufBody: bodies built field by field with upstream's field numbers must decode to the
// JSON Go would write (zero omitempty scalars dropped, pointers kept even when zero, inline structs merged).

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiError } from "../../api/errors.js";
import { decodeProtobufBody } from "./decode.js";
import { PROTOBUF_MAGIC } from "./envelope.js";
import {
  bytes,
  concat,
  double,
  entry,
  envelope,
  fixed32,
  group,
  msg,
  type Part,
  str,
  varint,
} from "./test-encoder.js";

/** ObjectMeta as gogo writes it: every non-pointer scalar present, zero or not (fields 1-8). */
const objectMeta = (field: number, name: string, namespace = "", ...more: Part[]): Part =>
  msg(
    field,
    str(1, name),
    str(2, ""),
    str(3, namespace),
    str(4, ""),
    str(5, ""),
    str(6, ""),
    varint(7, 0),
    msg(8),
    ...more,
  );

const bad = (message: RegExp) => (e: unknown) =>
  e instanceof ApiError && e.code === 400 && e.reason === "BadRequest" && message.test(e.message);

describe("decodeProtobufBody", () => {
  it("decodes a Namespace as kubectl create namespace sends it", () => {
    const body = envelope("v1", "Namespace", objectMeta(1, "logging"), msg(2), msg(3, str(1, "")));
    assert.deepEqual(decodeProtobufBody(body), {
      apiVersion: "v1",
      kind: "Namespace",
      object: { apiVersion: "v1", kind: "Namespace", metadata: { name: "logging" }, spec: {}, status: {} },
    });
  });

  it("decodes a ConfigMap with data, binaryData, labels and a present-but-false immutable", () => {
    const body = envelope(
      "v1",
      "ConfigMap",
      objectMeta(1, "cfg", "default", entry(11, "app", str(2, "web")), entry(12, "note", str(2, ""))),
      entry(2, "a", str(2, "b")),
      entry(2, "empty", new Uint8Array(0)),
      entry(3, "bin", bytes(2, Uint8Array.of(0, 1, 254, 255))),
      varint(4, false),
    );
    assert.deepEqual(decodeProtobufBody(body).object, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cfg", namespace: "default", labels: { app: "web" }, annotations: { note: "" } },
      data: { a: "b", empty: "" },
      binaryData: { bin: "AAH+/w==" },
      immutable: false,
    });
  });

  it("decodes Secret data as base64 and drops an empty type", () => {
    const body = envelope(
      "v1",
      "Secret",
      objectMeta(1, "s", "ns"),
      entry(2, "password", bytes(2, new TextEncoder().encode("hunter2"))),
      entry(4, "plain", str(2, "text")),
      str(3, ""),
    );
    assert.deepEqual(decodeProtobufBody(body).object, {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "s", namespace: "ns" },
      data: { password: "aHVudGVyMg==" },
      stringData: { plain: "text" },
    });
  });

  it("decodes a Pod with containers, ports, quantities, probes, tolerations, affinity and volumes", () => {
    const container = msg(
      2,
      str(1, "app"),
      str(2, "nginx:1.27"),
      str(3, "nginx"),
      str(3, "-g"),
      msg(6, str(1, "http"), varint(2, 0), varint(3, 80), str(4, "TCP"), str(5, "")),
      msg(7, str(1, "MODE"), str(2, "prod")),
      msg(8, entry(1, "memory", msg(2, str(1, "128Mi"))), entry(2, "cpu", msg(2, str(1, "250m")))),
      msg(
        11,
        msg(1, msg(2, str(1, "/healthz"), msg(2, varint(1, 1), str(3, "http")), str(3, ""), str(4, "HTTP"))),
        varint(2, 0),
        varint(4, 10),
      ),
      msg(15, msg(1, str(2, "ALL")), varint(2, false), varint(4, 1000)),
      varint(16, false),
    );
    const spec = msg(
      2,
      msg(1, str(1, "config"), msg(2, msg(19, msg(1, str(1, "cfg")), varint(3, 420)))),
      container,
      str(3, "Always"),
      varint(4, 30),
      entry(7, "kubernetes.io/os", str(2, "linux")),
      varint(11, false),
      msg(
        18,
        msg(1, msg(1, msg(1, msg(1, str(1, "zone"), str(2, "In"), str(3, "a"), str(3, "b"))))),
        msg(
          3,
          msg(
            2,
            varint(1, 100),
            msg(2, msg(1, entry(1, "app", str(2, "web"))), str(3, "kubernetes.io/hostname")),
          ),
        ),
      ),
      msg(
        22,
        str(1, "node-role.kubernetes.io/control-plane"),
        str(2, "Exists"),
        str(3, ""),
        str(4, "NoSchedule"),
      ),
      msg(
        22,
        str(1, "node.kubernetes.io/unreachable"),
        str(2, "Exists"),
        str(4, "NoExecute"),
        varint(5, 300),
      ),
      varint(25, -5),
    );
    const body = envelope("v1", "Pod", objectMeta(1, "web", "default"), spec, msg(3));
    assert.deepEqual(decodeProtobufBody(body).object, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "web", namespace: "default" },
      spec: {
        volumes: [{ name: "config", configMap: { name: "cfg", defaultMode: 420 } }],
        containers: [
          {
            name: "app",
            image: "nginx:1.27",
            command: ["nginx", "-g"],
            ports: [{ name: "http", containerPort: 80, protocol: "TCP" }],
            env: [{ name: "MODE", value: "prod" }],
            resources: { limits: { memory: "128Mi" }, requests: { cpu: "250m" } },
            readinessProbe: {
              httpGet: { path: "/healthz", port: "http", scheme: "HTTP" },
              periodSeconds: 10,
            },
            securityContext: { capabilities: { drop: ["ALL"] }, privileged: false, runAsUser: 1000 },
          },
        ],
        restartPolicy: "Always",
        terminationGracePeriodSeconds: 30,
        nodeSelector: { "kubernetes.io/os": "linux" },
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: "zone", operator: "In", values: ["a", "b"] }] },
              ],
            },
          },
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 100,
                podAffinityTerm: {
                  labelSelector: { matchLabels: { app: "web" } },
                  topologyKey: "kubernetes.io/hostname",
                },
              },
            ],
          },
        },
        tolerations: [
          { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
          {
            key: "node.kubernetes.io/unreachable",
            operator: "Exists",
            effect: "NoExecute",
            tolerationSeconds: 300,
          },
        ],
        priority: -5,
      },
      status: {},
    });
  });

  it("keeps pointer fields that are zero and drops zero omitempty scalars (DaemonSet)", () => {
    const template = msg(2, msg(1), msg(2, msg(2, str(1, "agent"), str(2, "agent:1"))));
    const spec = msg(
      2,
      msg(1, entry(1, "app", str(2, "agent"))),
      template,
      msg(
        3,
        str(1, "RollingUpdate"),
        msg(2, msg(1, varint(1, 1), str(3, "10%")), msg(2, varint(1, 0), varint(2, 0))),
      ),
      varint(4, 0),
      varint(6, 0),
    );
    const status = msg(3, varint(1, 0), varint(2, 0), varint(3, 0), varint(4, 0));
    const { object } = decodeProtobufBody(
      envelope("apps/v1", "DaemonSet", objectMeta(1, "agent", "kube-system"), spec, status),
    );
    assert.deepEqual(object.spec, {
      selector: { matchLabels: { app: "agent" } },
      template: { metadata: {}, spec: { containers: [{ name: "agent", image: "agent:1" }] } },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "10%", maxSurge: 0 } },
      revisionHistoryLimit: 0,
    });
    assert.deepEqual(object.status, {
      currentNumberScheduled: 0,
      numberMisscheduled: 0,
      desiredNumberScheduled: 0,
      numberReady: 0,
    });
  });

  it("decodes DeleteOptions under any apiVersion, with preconditions and a zero grace period", () => {
    for (const apiVersion of ["v1", "apps/v1", "meta.k8s.io/v1"]) {
      const body = envelope(
        apiVersion,
        "DeleteOptions",
        varint(1, 0),
        msg(2, str(1, "0b6c1f5e"), str(2, "42")),
        str(4, "Foreground"),
        str(5, "All"),
      );
      assert.deepEqual(decodeProtobufBody(body), {
        apiVersion,
        kind: "DeleteOptions",
        object: {
          apiVersion,
          kind: "DeleteOptions",
          gracePeriodSeconds: 0,
          preconditions: { uid: "0b6c1f5e", resourceVersion: "42" },
          propagationPolicy: "Foreground",
          dryRun: ["All"],
        },
      });
    }
  });

  it("decodes a policy/v1 Eviction with its DeleteOptions", () => {
    const body = envelope("policy/v1", "Eviction", objectMeta(1, "web-0", "default"), msg(2, varint(1, 30)));
    assert.deepEqual(decodeProtobufBody(body).object, {
      apiVersion: "policy/v1",
      kind: "Eviction",
      metadata: { name: "web-0", namespace: "default" },
      deleteOptions: { gracePeriodSeconds: 30 },
    });
  });

  it("decodes times, owner references and embedded JSON (ControllerRevision, Lease)", () => {
    const created = Date.UTC(2026, 0, 2, 3, 4, 5) / 1000;
    const owner = msg(
      13,
      str(5, "apps/v1"),
      str(1, "DaemonSet"),
      str(3, "agent"),
      str(4, "uid-1"),
      varint(6, true),
    );
    const meta = msg(1, str(1, "agent-1"), msg(8, varint(1, created)), owner);
    const revision = envelope(
      "apps/v1",
      "ControllerRevision",
      meta,
      msg(2, str(1, '{"spec":{"x":1}}')),
      varint(3, 2),
    );
    assert.deepEqual(decodeProtobufBody(revision).object, {
      apiVersion: "apps/v1",
      kind: "ControllerRevision",
      metadata: {
        name: "agent-1",
        creationTimestamp: "2026-01-02T03:04:05Z",
        ownerReferences: [
          { apiVersion: "apps/v1", kind: "DaemonSet", name: "agent", uid: "uid-1", controller: true },
        ],
      },
      data: { spec: { x: 1 } },
      revision: 2,
    });
    const renew = msg(4, varint(1, created), varint(2, 500_000_000));
    const lease = envelope(
      "coordination.k8s.io/v1",
      "Lease",
      msg(1, str(1, "node-1")),
      msg(2, str(1, "node-1"), varint(2, 40), renew),
    );
    assert.deepEqual(decodeProtobufBody(lease).object.spec, {
      holderIdentity: "node-1",
      leaseDurationSeconds: 40,
      renewTime: "2026-01-02T03:04:05.500000Z",
    });
  });

  it("unwraps list-wrapper messages such as authentication/v1 ExtraValue", () => {
    const user = msg(
      2,
      str(1, "alice"),
      entry(4, "scopes", msg(2, str(1, "a"), str(1, "b"))),
      entry(4, "none", msg(2)),
    );
    const body = envelope(
      "authentication.k8s.io/v1",
      "TokenReview",
      msg(1),
      msg(2, str(1, "tok")),
      msg(3, varint(1, true), user),
    );
    assert.deepEqual(decodeProtobufBody(body).object.status, {
      authenticated: true,
      user: { username: "alice", extra: { scopes: ["a", "b"], none: [] } },
    });
  });

  it("keeps a map key named __proto__ as a plain entry", () => {
    const body = envelope("v1", "ConfigMap", msg(1, str(1, "x")), entry(2, "__proto__", str(2, "polluted")));
    const data = decodeProtobufBody(body).object.data as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(data), Object.prototype);
    assert.deepEqual(Object.entries(data), [["__proto__", "polluted"]]);
    assert.equal(JSON.stringify(data), '{"__proto__":"polluted"}');
  });

  it("skips unknown fields of every wire type and accepts packed repeated numbers", () => {
    const body = envelope(
      "v1",
      "ConfigMap",
      msg(1, str(1, "x"), varint(99, 1), double(98, 1), fixed32(97, 1), group(96, str(1, "g")), str(95, "?")),
      varint(50, 7),
    );
    assert.deepEqual(decodeProtobufBody(body).object, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "x" },
    });
    // PodFailurePolicyOnExitCodesRequirement.values (batch/v1, field 3) is repeated int32.
    const rule = msg(
      1,
      str(1, "FailJob"),
      msg(2, str(2, "In"), bytes(3, Uint8Array.of(1, 2, 0x80, 0x01)), varint(3, 5)),
    );
    const job = envelope("batch/v1", "Job", msg(1), msg(2, msg(11, rule)));
    const spec = decodeProtobufBody(job).object.spec as Record<string, any>;
    assert.deepEqual(spec.podFailurePolicy.rules[0].onExitCodes.values, [1, 2, 128, 5]);
  });

  it("rejects malformed bodies and unsupported kinds with a 400", () => {
    const cases: [string, Uint8Array, RegExp][] = [
      ["no magic", Buffer.from('{"kind":"Namespace"}'), /does not start with the Kubernetes protobuf prefix/],
      [
        "truncated",
        envelope("v1", "Namespace", objectMeta(1, "x")).subarray(0, 20),
        /malformed: .*(truncated|past the end)/,
      ],
      ["no kind", concat(PROTOBUF_MAGIC, msg(1, str(1, "v1"))), /does not name a kind/],
      [
        "unknown kind",
        envelope("example.com/v1", "Widget"),
        /protobuf body of kind Widget \(example.com\/v1\) is not supported; send JSON/,
      ],
      [
        "wrong version",
        envelope("apps/v1beta2", "DaemonSet"),
        /kind DaemonSet \(apps\/v1beta2\) is not supported/,
      ],
      ["wrong wire type", envelope("v1", "Namespace", varint(1, 5)), /wire type 0/],
      [
        "compressed",
        concat(PROTOBUF_MAGIC, msg(1, str(2, "Pod")), str(3, "gzip")),
        /content encoding "gzip"/,
      ],
      [
        "raw not JSON",
        envelope("apps/v1", "ControllerRevision", msg(2, str(1, "{nope"))),
        /neither JSON nor protobuf/,
      ],
    ];
    for (const [name, body, message] of cases)
      assert.throws(() => decodeProtobufBody(body), bad(message), name);
  });
});
