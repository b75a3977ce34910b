// Table tests of DaemonSet and ControllerRevision validation: every message of the reference §6, exactly
// as a 1.32 API server prints it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyDefaults } from "../defaults/index.js";
import {
  validateControllerRevision,
  validateControllerRevisionUpdate,
  validateDaemonSet,
  validateDaemonSetStatusUpdate,
  validateDaemonSetUpdate,
} from "./apps.js";
import type { FieldError } from "./field-errors.js";
import type { JsonRecord } from "./json-access.js";

const messages = (errs: FieldError[]): string[] => errs.map((e) => e.toString());

/** A defaulted, valid DaemonSet; `edit` changes it before defaulting. */
function daemonSet(edit: (ds: JsonRecord & { spec: JsonRecord }) => void = () => {}): JsonRecord {
  const ds = {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "ds", namespace: "default" },
    spec: {
      selector: { matchLabels: { app: "x" } },
      template: {
        metadata: { labels: { app: "x" } },
        spec: { containers: [{ name: "c", image: "nginx:1.27" }] },
      },
    } as JsonRecord,
  };
  edit(ds);
  return applyDefaults("apps", "DaemonSet", ds);
}

const templateSpec = (ds: { spec: JsonRecord }): JsonRecord =>
  (ds.spec.template as { spec: JsonRecord }).spec;

describe("validateDaemonSet", () => {
  const cases: [string, (ds: JsonRecord & { spec: JsonRecord }) => void, string[]][] = [
    ["valid", () => {}, []],
    [
      "selector does not match template labels",
      (ds) => {
        ds.spec.selector = { matchLabels: { app: "other" } };
      },
      [
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`',
      ],
    ],
    [
      "missing selector matches nothing",
      (ds) => {
        delete ds.spec.selector;
      },
      [
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`',
      ],
    ],
    [
      "empty selector",
      (ds) => {
        ds.spec.selector = {};
      },
      [
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset",
      ],
    ],
    [
      "restartPolicy other than Always",
      (ds) => {
        templateSpec(ds).restartPolicy = "Never";
      },
      ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    ],
    [
      "activeDeadlineSeconds",
      (ds) => {
        templateSpec(ds).activeDeadlineSeconds = 10;
      },
      [
        "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported",
      ],
    ],
    [
      "negative minReadySeconds",
      (ds) => {
        ds.spec.minReadySeconds = -1;
      },
      ["spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0"],
    ],
    [
      "negative revisionHistoryLimit",
      (ds) => {
        ds.spec.revisionHistoryLimit = -1;
      },
      ["spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0"],
    ],
    [
      "negative templateGeneration",
      (ds) => {
        (ds.metadata as JsonRecord).annotations = { "deprecated.daemonset.template.generation": "-1" };
      },
      ["spec.templateGeneration: Invalid value: -1: must be greater than or equal to 0"],
    ],
    [
      "unknown strategy type",
      (ds) => {
        ds.spec.updateStrategy = { type: "Foo" };
      },
      [
        'spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:"Foo", RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: "RollingUpdate", "OnDelete"',
      ],
    ],
    [
      "OnDelete",
      (ds) => {
        ds.spec.updateStrategy = { type: "OnDelete" };
      },
      [],
    ],
    [
      "maxUnavailable not a percent",
      (ds) => {
        ds.spec.updateStrategy = { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "50x" } };
      },
      [
        "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"50x\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
        "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0",
      ],
    ],
    [
      "maxUnavailable over 100%",
      (ds) => {
        ds.spec.updateStrategy = { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "150%" } };
      },
      [
        'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%',
      ],
    ],
    [
      "negative maxUnavailable",
      (ds) => {
        ds.spec.updateStrategy = { type: "RollingUpdate", rollingUpdate: { maxUnavailable: -1 } };
      },
      [
        "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: -1: must be greater than or equal to 0",
      ],
    ],
    [
      "both maxSurge and maxUnavailable",
      (ds) => {
        ds.spec.updateStrategy = {
          type: "RollingUpdate",
          rollingUpdate: { maxUnavailable: 1, maxSurge: "10%" },
        };
      },
      [
        'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"10%"}: may not be set when maxUnavailable is non-zero',
      ],
    ],
    [
      "neither maxSurge nor maxUnavailable",
      (ds) => {
        ds.spec.updateStrategy = {
          type: "RollingUpdate",
          rollingUpdate: { maxUnavailable: "0%", maxSurge: 0 },
        };
      },
      ["spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"],
    ],
    [
      "surge only",
      (ds) => {
        ds.spec.updateStrategy = { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } };
      },
      [],
    ],
    [
      "bad name",
      (ds) => {
        (ds.metadata as JsonRecord).name = "My_DS";
      },
      [
        "metadata.name: Invalid value: \"My_DS\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      ],
    ],
    [
      "template labels are checked at spec.template.labels",
      (ds) => {
        ds.spec.selector = { matchLabels: { "bad key!": "x" } };
        (ds.spec.template as { metadata: JsonRecord }).metadata.labels = { "bad key!": "x" };
      },
      [
        "spec.selector.matchLabels: Invalid value: \"bad key!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        "spec.template.labels: Invalid value: \"bad key!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ],
    ],
  ];
  for (const [name, edit, want] of cases) {
    it(name, () => assert.deepEqual(messages(validateDaemonSet(daemonSet(edit))), want));
  }

  it("requires rollingUpdate for RollingUpdate when not defaulted", () => {
    const ds = daemonSet();
    (ds.spec as JsonRecord).updateStrategy = { type: "RollingUpdate" };
    assert.deepEqual(messages(validateDaemonSet(ds)), ["spec.updateStrategy.rollingUpdate: Required value"]);
  });
});

describe("validateDaemonSetUpdate", () => {
  const stored = (): JsonRecord => {
    const ds = daemonSet();
    Object.assign(ds.metadata as JsonRecord, {
      uid: "u",
      resourceVersion: "3",
      annotations: { "deprecated.daemonset.template.generation": "1" },
    });
    return ds;
  };
  it("accepts a template change with the generation bumped", () => {
    const old = stored();
    const next = structuredClone(old) as JsonRecord & { spec: JsonRecord };
    templateSpec(next).containers = [
      { ...(templateSpec(next).containers as JsonRecord[])[0], image: "nginx:1.28" },
    ];
    (next.metadata as { annotations: JsonRecord }).annotations["deprecated.daemonset.template.generation"] =
      "2";
    assert.deepEqual(messages(validateDaemonSetUpdate(next, old)), []);
  });
  it("makes the selector immutable", () => {
    const old = stored();
    const next = structuredClone(old) as JsonRecord & { spec: JsonRecord };
    next.spec.selector = { matchLabels: { app: "x", tier: "web" } };
    (next.spec.template as { metadata: JsonRecord }).metadata.labels = { app: "x", tier: "web" };
    (next.metadata as { annotations: JsonRecord }).annotations["deprecated.daemonset.template.generation"] =
      "2";
    assert.deepEqual(messages(validateDaemonSetUpdate(next, old)), [
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"x", "tier":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
  });
  it("checks templateGeneration against template changes", () => {
    const old = stored();
    const next = structuredClone(old) as JsonRecord & { spec: JsonRecord };
    templateSpec(next).hostNetwork = true;
    assert.deepEqual(messages(validateDaemonSetUpdate(next, old)), [
      "spec.templateGeneration: Invalid value: 1: must be incremented upon template update",
    ]);
    const decremented = structuredClone(old) as JsonRecord;
    (decremented.metadata as { annotations: JsonRecord }).annotations[
      "deprecated.daemonset.template.generation"
    ] = "0";
    assert.deepEqual(messages(validateDaemonSetUpdate(decremented, old)), [
      "spec.templateGeneration: Invalid value: 0: must not be decremented",
    ]);
  });
});

describe("validateDaemonSetStatusUpdate", () => {
  const old = {
    metadata: { name: "ds", namespace: "default", resourceVersion: "1" },
    status: { collisionCount: 2 },
  };
  it("requires non-negative counts", () => {
    const next = { ...old, status: { collisionCount: 2, numberReady: -1, desiredNumberScheduled: -2 } };
    assert.deepEqual(messages(validateDaemonSetStatusUpdate(next, old)), [
      "status.desiredNumberScheduled: Invalid value: -2: must be greater than or equal to 0",
      "status.numberReady: Invalid value: -1: must be greater than or equal to 0",
    ]);
  });
  it("never decrements collisionCount", () => {
    assert.deepEqual(
      messages(validateDaemonSetStatusUpdate({ ...old, status: { collisionCount: 1 } }, old)),
      ["status.collisionCount: Invalid value: 1: cannot be decremented"],
    );
    assert.deepEqual(messages(validateDaemonSetStatusUpdate({ ...old, status: {} }, old)), [
      "status.collisionCount: Invalid value: 0: cannot be decremented",
    ]);
    assert.deepEqual(
      messages(validateDaemonSetStatusUpdate({ ...old, status: { collisionCount: 3 } }, old)),
      [],
    );
  });
});

describe("ControllerRevision", () => {
  const cr = {
    metadata: { name: "ds-5d9c", namespace: "default", resourceVersion: "1" },
    data: { spec: {} },
    revision: 1,
  };
  it("requires data and a non-negative revision", () => {
    assert.deepEqual(messages(validateControllerRevision(cr)), []);
    assert.deepEqual(messages(validateControllerRevision({ ...cr, data: undefined, revision: -1 })), [
      "data: Required value: data is mandatory",
      "revision: Invalid value: -1: must be greater than or equal to 0",
    ]);
  });
  it("makes data immutable", () => {
    const [err] = validateControllerRevisionUpdate({ ...cr, data: { spec: { x: 1 } } }, cr);
    assert.equal(err.field, "data");
    assert.equal(err.detail, "field is immutable");
    assert.match(err.errorBody(), /^Invalid value: runtime\.RawExtension\{Raw:\[\]uint8\{0x7b, /);
  });
});
