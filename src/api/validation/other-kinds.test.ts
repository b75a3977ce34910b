// Tests of the light validation of Namespace, ConfigMap, Secret, ServiceAccount, Event, Lease and RBAC, and
// of the by-kind dispatch in index.ts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  validateConfigMap,
  validateConfigMapUpdate,
  validateSecret,
  validateSecretUpdate,
} from "./config-data.js";
import { validateEvent, validateLease } from "./event-lease.js";
import type { FieldError } from "./field-errors.js";
import { kindKey, toApiError, validateCreate, validateStatusUpdate, validateUpdate } from "./index.js";
import { validateNamespace, validateNamespaceStatusUpdate } from "./namespace.js";
import { validateClusterRoleBinding, validateRole, validateRoleBindingUpdate } from "./rbac.js";

const messages = (errs: FieldError[]): string[] => errs.map((e) => e.toString());
const meta = { name: "x", namespace: "default", resourceVersion: "1" };

describe("Namespace", () => {
  it("uses DNS label names and checks spec.finalizers", () => {
    assert.deepEqual(
      messages(validateNamespace({ metadata: { name: "team-a" }, spec: { finalizers: ["kubernetes"] } })),
      [],
    );
    assert.deepEqual(
      messages(validateNamespace({ metadata: { name: "team.a" }, spec: { finalizers: ["custom"] } })),
      [
        'metadata.name: Invalid value: "team.a": must not contain dots',
        'spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
      ],
    );
  });
  it("ties the phase to the deletion timestamp", () => {
    const old = { metadata: { name: "n", resourceVersion: "1" }, status: { phase: "Active" } };
    assert.deepEqual(
      messages(validateNamespaceStatusUpdate({ ...old, status: { phase: "Terminating" } }, old)),
      ["status.Phase: Invalid value: \"Terminating\": may only be 'Active' if `deletionTimestamp` is empty"],
    );
  });
});

describe("ConfigMap and Secret", () => {
  it("checks keys and size", () => {
    assert.deepEqual(messages(validateConfigMap({ metadata: meta, data: { "a.conf": "x" } })), []);
    assert.deepEqual(
      messages(
        validateConfigMap({ metadata: meta, data: { "a b": "x", k: "1" }, binaryData: { k: "AA==" } }),
      ),
      [
        "data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
        'data[k]: Invalid value: "k": duplicate of key present in binaryData',
      ],
    );
    assert.deepEqual(
      messages(validateConfigMap({ metadata: meta, data: { big: "x".repeat(1024 * 1024 + 1) } })),
      ["[]: Too long: must have at most 1048576 bytes"],
    );
  });
  it("honours immutable", () => {
    const old = { metadata: meta, immutable: true, data: { a: "1" } };
    assert.deepEqual(messages(validateConfigMapUpdate({ ...old, immutable: false, data: { a: "2" } }, old)), [
      "immutable: Forbidden: field is immutable when `immutable` is set",
      "data: Forbidden: field is immutable when `immutable` is set",
    ]);
  });
  it("checks secret types", () => {
    assert.deepEqual(
      messages(validateSecret({ metadata: meta, type: "kubernetes.io/tls", data: { "tls.crt": "eA==" } })),
      ["data[tls.key]: Required value"],
    );
    const old = { metadata: meta, type: "Opaque", data: {} };
    assert.deepEqual(
      messages(
        validateSecretUpdate({ ...old, type: "kubernetes.io/basic-auth", data: { username: "YQ==" } }, old),
      ),
      ['type: Invalid value: "kubernetes.io/basic-auth": field is immutable'],
    );
  });
});

describe("Event and Lease", () => {
  it("keeps an event in its object's namespace", () => {
    const event = { metadata: meta, involvedObject: { kind: "Pod", name: "p", namespace: "other" } };
    assert.deepEqual(messages(validateEvent(event)), [
      'involvedObject.namespace: Invalid value: "other": does not match event.namespace',
    ]);
  });
  it("checks lease durations", () => {
    assert.deepEqual(
      messages(validateLease({ metadata: meta, spec: { leaseDurationSeconds: 0, leaseTransitions: -1 } })),
      [
        "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0",
        "spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0",
      ],
    );
  });
});

describe("RBAC", () => {
  it("requires verbs and resources", () => {
    assert.deepEqual(
      messages(
        validateRole({
          metadata: meta,
          rules: [{ apiGroups: [""] }, { verbs: ["get"], nonResourceURLs: ["/healthz"] }],
        }),
      ),
      [
        "rules[0].verbs: Required value: verbs must contain at least one value",
        "rules[0].resources: Required value: resource rules must supply at least one resource",
        'rules[1].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs',
      ],
    );
  });
  it("checks roleRef and subjects", () => {
    const crb = {
      metadata: { name: "b" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "r" },
      subjects: [
        { kind: "ServiceAccount", name: "sa" },
        { kind: "Robot", name: "r" },
      ],
    };
    assert.deepEqual(messages(validateClusterRoleBinding(crb)), [
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
      "subjects[0].namespace: Required value",
      'subjects[1].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    ]);
  });
  it("never changes roleRef", () => {
    const old = {
      metadata: meta,
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "a" },
    };
    const next = { ...old, roleRef: { ...old.roleRef, name: "b" } };
    assert.deepEqual(messages(validateRoleBindingUpdate(next, old)), [
      'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"b"}: cannot change roleRef',
    ]);
  });
});

describe("dispatch by kind", () => {
  it("routes group/Kind keys", () => {
    assert.equal(kindKey("", "Pod"), "/Pod");
    assert.equal(kindKey("apps", "DaemonSet"), "apps/DaemonSet");
    assert.deepEqual(messages(validateCreate("/ServiceAccount", { metadata: { name: "Bad" } })).length, 2);
    assert.deepEqual(validateCreate("example.com/Unknown", {}), []);
    assert.deepEqual(
      messages(validateUpdate("/ConfigMap", { metadata: { ...meta, name: "y" } }, { metadata: meta })),
      ['metadata.name: Invalid value: "y": field is immutable'],
    );
    assert.deepEqual(
      messages(validateStatusUpdate("/ConfigMap", { metadata: meta }, { metadata: meta })),
      [],
    );
  });
  it("produces the 422 kubectl prints for a DaemonSet", () => {
    const ds = {
      metadata: { name: "fluentd", namespace: "kube-system" },
      spec: {
        selector: { matchLabels: { name: "fluentd" } },
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
        template: {
          metadata: { labels: { name: "other" } },
          spec: {
            containers: [
              { name: "c", image: "fluentd", imagePullPolicy: "Always", terminationMessagePolicy: "File" },
            ],
            restartPolicy: "Always",
            dnsPolicy: "ClusterFirst",
            terminationGracePeriodSeconds: 30,
          },
        },
      },
    };
    const err = toApiError("DaemonSet", "apps", "fluentd", validateCreate("apps/DaemonSet", ds));
    assert.equal(
      err.message,
      'DaemonSet.apps "fluentd" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"name":"other"}: `selector` does not match template `labels`',
    );
    assert.deepEqual(err.toStatus().details?.causes, [
      {
        reason: "FieldValueInvalid",
        message:
          'Invalid value: map[string]string{"name":"other"}: `selector` does not match template `labels`',
        field: "spec.template.metadata.labels",
      },
    ]);
  });
});
