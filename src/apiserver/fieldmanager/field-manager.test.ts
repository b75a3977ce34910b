// The field manager as the registry uses it: Update entries on create/update/status writes, server-side
// apply with conflicts, force, kubectl's client-side-apply migration and the request-option checks.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiError } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import { DaemonSet } from "../../api/schema/apps.js";
import { FieldManager } from "./field-manager.js";
import { LAST_APPLIED_ANNOTATION } from "./last-applied.js";
import { MAX_UPDATE_MANAGERS } from "./managed-fields.js";
import { managerFromUserAgent, validatePatchOptions, validateWriteOptions } from "./request-options.js";

const fm = new FieldManager({
  group: "apps",
  version: "v1",
  kind: "DaemonSet",
  schema: DaemonSet,
  hasStatus: true,
});
const T0 = Date.parse("2024-05-01T10:00:00Z");
const T1 = T0 + 60_000;

function ds(image: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "x", namespace: "default", labels: { app: "x" } },
    spec: {
      selector: { matchLabels: { app: "x" } },
      template: { metadata: { labels: { app: "x" } }, spec: { containers: [{ name: "c", image }] } },
    },
    ...extra,
  };
}

const created = (manager: string, obj = ds("v1")) => {
  const next = structuredClone(obj);
  fm.recordUpdate(undefined, next, { manager, now: T0 });
  return next;
};

const managers = (obj: KubeObject) =>
  (obj.metadata.managedFields ?? []).map(
    (e) => `${e.manager}/${e.operation}${e.subresource ? `/${e.subresource}` : ""}`,
  );

function apiError(run: () => unknown): ApiError {
  try {
    run();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  assert.fail("expected an ApiError");
}

describe("FieldManager.recordUpdate", () => {
  it("a create records an Update entry without server-owned metadata or the struct parents", () => {
    const obj = created("kubectl-create");
    assert.deepEqual(obj.metadata.managedFields, [
      {
        manager: "kubectl-create",
        operation: "Update",
        apiVersion: "apps/v1",
        time: "2024-05-01T10:00:00Z",
        fieldsType: "FieldsV1",
        fieldsV1: {
          "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
          "f:spec": {
            "f:selector": {},
            "f:template": {
              "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
              "f:spec": { "f:containers": { 'k:{"name":"c"}': { ".": {}, "f:image": {}, "f:name": {} } } },
            },
          },
        },
      },
    ]);
  });

  it("an update takes the fields it changes from their previous owner", () => {
    const live = created("creator");
    const next = structuredClone(live);
    next.spec.template.spec.containers[0].image = "v2";
    fm.recordUpdate(live, next, { manager: "kubectl-set", now: T1 });
    const [creator, setter] = next.metadata.managedFields!;
    assert.equal(setter.manager, "kubectl-set");
    assert.equal(setter.time, "2024-05-01T10:01:00Z");
    assert.deepEqual(setter.fieldsV1, {
      "f:spec": { "f:template": { "f:spec": { "f:containers": { 'k:{"name":"c"}': { "f:image": {} } } } } },
    });
    assert.equal(JSON.stringify(creator.fieldsV1).includes('"f:image"'), false);
  });

  it("a write that changes nothing keeps managedFields as they were", () => {
    const live = created("creator");
    const next = structuredClone(live);
    fm.recordUpdate(live, next, { manager: "other", now: T1 });
    assert.deepEqual(next.metadata.managedFields, live.metadata.managedFields);
  });

  it("a status write records its own entry and ignores managedFields in the request", () => {
    const live = created("creator");
    const next = structuredClone(live);
    next.status = { numberReady: 1 };
    next.metadata.managedFields = [];
    fm.recordUpdate(live, next, { manager: "controller", subresource: "status", now: T1 });
    assert.deepEqual(managers(next), ["creator/Update", "controller/Update/status"]);
    assert.deepEqual(next.metadata.managedFields![1].fieldsV1, { "f:status": { "f:numberReady": {} } });
  });

  it("managedFields sent with an update replace the stored ones; an empty list resets them", () => {
    const live = created("creator");
    const edited = structuredClone(live);
    edited.metadata.managedFields![0].manager = "renamed";
    fm.recordUpdate(live, edited, { manager: "editor", now: T1 });
    assert.deepEqual(managers(edited), ["renamed/Update"]);

    const reset = structuredClone(live);
    reset.metadata.managedFields = [];
    fm.recordUpdate(live, reset, { manager: "editor", now: T1 });
    assert.equal(reset.metadata.managedFields, undefined);
  });

  it("unusable managedFields in a request fall back to the stored ones", () => {
    const live = created("creator");
    const next = structuredClone(live);
    next.metadata.managedFields = [{ manager: "x", operation: "Destroy" } as never];
    fm.recordUpdate(live, next, { manager: "editor", now: T1 });
    assert.deepEqual(next.metadata.managedFields, live.metadata.managedFields);
  });

  it("an empty manager name is recorded as unknown, an in-process write as everynode", () => {
    assert.deepEqual(managers(created("")), ["unknown/Update"]);
    const next = ds("v1");
    fm.recordUpdate(undefined, next, { now: T0 });
    assert.deepEqual(managers(next), ["everynode/Update"]);
  });

  it(`keeps at most ${MAX_UPDATE_MANAGERS} Update entries, folding the oldest into ancient-changes`, () => {
    let live = created("m0");
    for (let i = 1; i <= MAX_UPDATE_MANAGERS; i++) {
      const next = structuredClone(live);
      next.metadata.labels = { ...next.metadata.labels, [`l${i}`]: "v" };
      fm.recordUpdate(live, next, { manager: `m${i}`, now: T0 + i * 1000 });
      live = next;
    }
    const names = managers(live);
    assert.equal(names.length, MAX_UPDATE_MANAGERS);
    assert.equal(names[0], "ancient-changes/Update");
    assert.ok(!names.includes("m0/Update") && !names.includes("m1/Update"));
  });
});

describe("FieldManager.apply", () => {
  const apply = (live: KubeObject | undefined, config: unknown, manager: string, force = false, now = T1) =>
    fm.apply(live, config, { manager, force, now });

  it("creates ownership for the applier only", () => {
    const obj = apply(undefined, ds("v1"), "kubectl", false, T0);
    assert.deepEqual(managers(obj), ["kubectl/Apply"]);
    assert.equal(obj.metadata.managedFields![0].apiVersion, "apps/v1");
    assert.equal(obj.spec.template.spec.containers[0].image, "v1");
  });

  it("conflicts with another manager's field: 409 with upstream's message and causes", () => {
    const live = apply(undefined, ds("v1"), "kubectl", false, T0);
    const e = apiError(() => apply(live, ds("v2"), "other"));
    assert.equal(e.code, 409);
    assert.equal(e.reason, "Conflict");
    assert.equal(
      e.message,
      'Apply failed with 1 conflict: conflict with "kubectl": .spec.template.spec.containers[name="c"].image',
    );
    assert.deepEqual(e.details?.causes, [
      {
        reason: "FieldManagerConflict",
        message: 'conflict with "kubectl"',
        field: '.spec.template.spec.containers[name="c"].image',
      },
    ]);
  });

  it("lists several conflicts by manager", () => {
    const live = apply(
      undefined,
      ds("v1", { spec: { ...ds("v1").spec, minReadySeconds: 1 } }),
      "a",
      false,
      T0,
    );
    const e = apiError(() => apply(live, ds("v2", { spec: { ...ds("v2").spec, minReadySeconds: 2 } }), "b"));
    assert.equal(
      e.message,
      'Apply failed with 2 conflicts: conflicts with "a":\n- .spec.minReadySeconds\n- .spec.template.spec.containers[name="c"].image',
    );
  });

  it("force takes ownership", () => {
    const live = apply(undefined, ds("v1"), "kubectl", false, T0);
    const obj = apply(live, ds("v2"), "other", true);
    assert.equal(obj.spec.template.spec.containers[0].image, "v2");
    assert.deepEqual(managers(obj), ["kubectl/Apply", "other/Apply"]);
    assert.ok(!JSON.stringify(obj.metadata.managedFields![0].fieldsV1).includes('"f:image"'));
  });

  it("an unchanged re-apply keeps the entry's time", () => {
    const live = apply(undefined, ds("v1"), "kubectl", false, T0);
    const again = apply(live, ds("v1"), "kubectl", false, T1);
    assert.deepEqual(again.metadata.managedFields, live.metadata.managedFields);
  });

  it("fields of an object nobody owns belong to before-first-apply", () => {
    const e = apiError(() => apply(ds("v1"), ds("v2"), "other"));
    assert.match(e.message, /conflict with "before-first-apply" using apps\/v1: \.spec\.template/);
  });

  describe("kubectl's migration from client-side apply", () => {
    const csaCreated = () => {
      const obj = ds("v1");
      obj.metadata.annotations = { [LAST_APPLIED_ANNOTATION]: `${JSON.stringify(ds("v1"))}\n` };
      return created("kubectl-client-side-apply", obj);
    };

    it("another manager conflicts with kubectl-client-side-apply", () => {
      const e = apiError(() => apply(csaCreated(), ds("v2"), "ssa"));
      assert.equal(
        e.message,
        'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.template.spec.containers[name="c"].image',
      );
    });

    it("kubectl takes over fields still as last applied, and keeps the annotation current", () => {
      const obj = apply(csaCreated(), ds("v2"), "kubectl");
      assert.equal(obj.spec.template.spec.containers[0].image, "v2");
      assert.deepEqual(JSON.parse(obj.metadata.annotations![LAST_APPLIED_ANNOTATION]), ds("v2"));
      assert.deepEqual(managers(obj), ["kubectl/Apply", "kubectl-client-side-apply/Update"]);
    });

    it("kubectl still conflicts on a field someone changed since", () => {
      const live = csaCreated();
      const next = structuredClone(live);
      next.spec.template.spec.containers[0].image = "edited";
      fm.recordUpdate(live, next, { manager: "kubectl-edit", now: T1 });
      const e = apiError(() => apply(next, ds("v2"), "kubectl"));
      assert.match(e.message, /conflict with "kubectl-edit" using apps\/v1/);
    });

    it("the annotation alone can be applied by kubectl-last-applied", () => {
      const live = csaCreated();
      const annotationOnly = {
        apiVersion: "apps/v1",
        kind: "DaemonSet",
        metadata: { name: "x", namespace: "default", annotations: live.metadata.annotations },
      };
      const obj = apply(live, annotationOnly, "kubectl-last-applied");
      assert.deepEqual(managers(obj), ["kubectl-last-applied/Apply", "kubectl-client-side-apply/Update"]);
    });
  });

  const refusals: [string, unknown, RegExp][] = [
    ["a configuration that is not an object", ["x"], /cannot unmarshal array into Go value of type map/],
    ["another kind", { ...ds("v1"), kind: "Pod" }, /^invalid object type: apps\/v1, Kind=Pod$/],
    ["no apiVersion", { kind: "DaemonSet", metadata: {} }, /^invalid object type: \/, Kind=DaemonSet$/],
    [
      "managedFields in the configuration",
      { ...ds("v1"), metadata: { name: "x", managedFields: [] } },
      /^metadata.managedFields must be nil$/,
    ],
    [
      "an unknown field",
      { ...ds("v1"), spec: { bogus: 1 } },
      /^failed to create typed patch object \(default\/x; apps\/v1, Kind=DaemonSet\): \.spec\.bogus: field not declared in schema$/,
    ],
  ];
  for (const [name, config, message] of refusals) {
    it(`refuses ${name} with 400`, () => {
      const e = apiError(() => apply(undefined, config, "kubectl"));
      assert.equal(e.code, 400);
      assert.match(e.message, message);
    });
  }
});

describe("request options", () => {
  it("takes the manager from the User-Agent's product", () => {
    assert.equal(managerFromUserAgent("kubectl/v1.32.4 (linux/amd64) kubernetes/abc"), "kubectl");
    assert.equal(managerFromUserAgent("kube-controller-manager/v1.30.0"), "kube-controller-manager");
    assert.equal(managerFromUserAgent(undefined), "");
    assert.equal(managerFromUserAgent("a\u0007b/1"), "ab");
  });

  const cases: [string, () => void, string | undefined][] = [
    ["apply with a manager", () => validatePatchOptions(true, "kubectl", false), undefined],
    [
      "apply without one",
      () => validatePatchOptions(true, undefined, undefined),
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    ],
    [
      "force on a strategic patch",
      () => validatePatchOptions(false, undefined, true),
      'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
    ],
    [
      "a manager name over 128 bytes",
      () => validateWriteOptions("CreateOptions", "m".repeat(129)),
      'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes',
    ],
  ];
  for (const [name, run, message] of cases) {
    it(name, () => {
      if (message === undefined) return run();
      const e = apiError(run);
      assert.equal(e.code, 422);
      assert.equal(e.message, message);
    });
  }
});
