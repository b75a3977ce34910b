// Tests for the PATCH entry point: content-type recognition and dispatch to the right engine.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiError } from "../../api/errors.js";
import { applyPatch, PATCH_CONTENT_TYPES, type PatchType, patchTypeFromContentType } from "./index.js";
import { patchErrorText } from "./patch-errors.js";
import { podSchema } from "./test-schemas.js";

describe("patchTypeFromContentType", () => {
  const cases: [string | undefined, PatchType | undefined][] = [
    ["application/json-patch+json", "json"],
    ["application/merge-patch+json", "merge"],
    ["application/strategic-merge-patch+json", "strategic"],
    ["application/apply-patch+yaml", "apply"],
    ["application/apply-patch+cbor", "apply"],
    ["application/strategic-merge-patch+json; charset=utf-8", "strategic"],
    ["  Application/Merge-Patch+JSON ;charset=UTF-8", "merge"],
    ["application/json", undefined],
    ["text/plain", undefined],
    ["", undefined],
    [undefined, undefined],
  ];
  for (const [contentType, expected] of cases) {
    it(`${JSON.stringify(contentType)} -> ${expected}`, () => {
      assert.equal(patchTypeFromContentType(contentType), expected);
    });
  }

  it("round-trips every advertised content type", () => {
    for (const [type, contentType] of Object.entries(PATCH_CONTENT_TYPES)) {
      assert.equal(patchTypeFromContentType(contentType), type);
    }
  });
});

describe("applyPatch", () => {
  const original = {
    metadata: { name: "p" },
    spec: { containers: [{ name: "a", image: "x" }, { name: "b" }] },
  };

  it("strategic: merges containers by name with the schema", () => {
    const patch = { spec: { containers: [{ name: "a", image: "y" }] } };
    assert.deepEqual(applyPatch("strategic", original, patch, podSchema), {
      metadata: { name: "p" },
      spec: { containers: [{ name: "a", image: "y" }, { name: "b" }] },
    });
  });

  it("merge: replaces the containers list", () => {
    const patch = { spec: { containers: [{ name: "a", image: "y" }] } };
    assert.deepEqual(applyPatch("merge", original, patch, podSchema), {
      metadata: { name: "p" },
      spec: { containers: [{ name: "a", image: "y" }] },
    });
  });

  it("json: applies operations", () => {
    const patch = [{ op: "replace", path: "/spec/containers/1/name", value: "c" }];
    assert.deepEqual(applyPatch("json", original, patch, undefined), {
      metadata: { name: "p" },
      spec: { containers: [{ name: "a", image: "x" }, { name: "c" }] },
    });
  });

  const failures: { name: string; run: () => unknown; code: number; reason: string; message: RegExp }[] = [
    {
      name: "apply: server-side apply is the field manager's, not the patch engine's",
      run: () => applyPatch("apply", original, { metadata: { name: "p" } }, podSchema),
      code: 500,
      reason: "InternalError",
      message: /performed by the field manager/,
    },
    {
      name: "merge: a body that is not an object",
      run: () => applyPatch("merge", original, ["x"], podSchema),
      code: 400,
      reason: "BadRequest",
      message: /merge patch must be a JSON object/,
    },
    {
      name: "strategic: a body that is not an object",
      run: () => applyPatch("strategic", original, null, podSchema),
      code: 400,
      reason: "BadRequest",
      message: /strategic merge patch must be a JSON object/,
    },
    {
      name: "json: a result that is no longer an object",
      run: () => applyPatch("json", original, [{ op: "replace", path: "", value: [1] }], undefined),
      code: 422,
      reason: "Invalid",
      message: /not a JSON object/,
    },
    {
      name: "an unknown patch type",
      run: () => applyPatch("bogus" as PatchType, original, {}, undefined),
      code: 400,
      reason: "BadRequest",
      message: /unknown patch type/,
    },
  ];
  for (const f of failures) {
    it(f.name, () => {
      assert.throws(f.run, (err: unknown) => {
        assert.ok(err instanceof ApiError);
        assert.equal(err.code, f.code);
        assert.equal(err.reason, f.reason);
        assert.match(patchErrorText(err), f.message);
        if (err.code === 422)
          assert.equal(err.message, "the server rejected our request due to an error in our request");
        return true;
      });
    });
  }
});
