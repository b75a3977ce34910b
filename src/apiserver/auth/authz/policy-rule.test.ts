import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { UserInfo } from "../user-info.js";
import { nonResourceAttributes, resourceAttributes } from "./attributes.js";
import { compactRules, compactString, covers, type PolicyRule, ruleAllows } from "./policy-rule.js";

const user: UserInfo = { username: "alice", groups: [] };
const res = (verb: string, group: string, resource: string, subresource = "", name = "") =>
  resourceAttributes(user, { verb, group, resource, subresource, name, namespace: "default" });

describe("ruleAllows", () => {
  const cases: [string, PolicyRule, ReturnType<typeof res>, boolean][] = [
    [
      "exact verb, group and resource",
      { verbs: ["get"], apiGroups: [""], resources: ["pods"] },
      res("get", "", "pods"),
      true,
    ],
    ["other verb", { verbs: ["get"], apiGroups: [""], resources: ["pods"] }, res("list", "", "pods"), false],
    [
      "other group",
      { verbs: ["get"], apiGroups: [""], resources: ["daemonsets"] },
      res("get", "apps", "daemonsets"),
      false,
    ],
    [
      "wildcards",
      { verbs: ["*"], apiGroups: ["*"], resources: ["*"] },
      res("delete", "apps", "daemonsets"),
      true,
    ],
    [
      "resource does not cover its subresource",
      { verbs: ["get"], apiGroups: [""], resources: ["pods"] },
      res("get", "", "pods", "log"),
      false,
    ],
    [
      "resource/subresource",
      { verbs: ["get"], apiGroups: [""], resources: ["pods/log"] },
      res("get", "", "pods", "log"),
      true,
    ],
    [
      "*/subresource",
      { verbs: ["update"], apiGroups: ["*"], resources: ["*/status"] },
      res("update", "apps", "daemonsets", "status"),
      true,
    ],
    [
      "*/subresource is not the resource",
      { verbs: ["update"], apiGroups: ["*"], resources: ["*/status"] },
      res("update", "apps", "daemonsets"),
      false,
    ],
    [
      "* covers subresources",
      { verbs: ["get"], apiGroups: [""], resources: ["*"] },
      res("get", "", "pods", "log"),
      true,
    ],
    [
      "resourceNames match",
      { verbs: ["get"], apiGroups: [""], resources: ["pods"], resourceNames: ["a"] },
      res("get", "", "pods", "", "a"),
      true,
    ],
    [
      "resourceNames refuse others",
      { verbs: ["get"], apiGroups: [""], resources: ["pods"], resourceNames: ["a"] },
      res("get", "", "pods", "", "b"),
      false,
    ],
    [
      "resourceNames refuse unnamed lists",
      { verbs: ["list"], apiGroups: [""], resources: ["pods"], resourceNames: ["a"] },
      res("list", "", "pods"),
      false,
    ],
    [
      "non-resource exact",
      { verbs: ["get"], nonResourceURLs: ["/healthz"] },
      nonResourceAttributes(user, "get", "/healthz"),
      true,
    ],
    [
      "non-resource trailing *",
      { verbs: ["get"], nonResourceURLs: ["/healthz/*"] },
      nonResourceAttributes(user, "get", "/healthz/etcd"),
      true,
    ],
    [
      "non-resource prefix needs the *",
      { verbs: ["get"], nonResourceURLs: ["/healthz"] },
      nonResourceAttributes(user, "get", "/healthz/etcd"),
      false,
    ],
    [
      "non-resource * matches all",
      { verbs: ["*"], nonResourceURLs: ["*"] },
      nonResourceAttributes(user, "post", "/anything"),
      true,
    ],
    [
      "resource rules never match paths",
      { verbs: ["get"], apiGroups: ["*"], resources: ["*"] },
      nonResourceAttributes(user, "get", "/api"),
      false,
    ],
    [
      "path rules never match resources",
      { verbs: ["get"], nonResourceURLs: ["*"] },
      res("get", "", "pods"),
      false,
    ],
  ];
  for (const [name, rule, attrs, want] of cases) {
    it(name, () => assert.equal(ruleAllows(attrs, rule), want));
  }
});

describe("covers", () => {
  const owner: PolicyRule[] = [
    { verbs: ["get", "list"], apiGroups: [""], resources: ["pods", "*/status"] },
    { verbs: ["get"], apiGroups: [""], resources: ["secrets"], resourceNames: ["a", "b"] },
    { verbs: ["get"], nonResourceURLs: ["/logs/*"] },
  ];
  const cases: [string, PolicyRule[], PolicyRule[]][] = [
    ["a subset", [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }], []],
    [
      "a verb too many",
      [{ verbs: ["get", "delete"], apiGroups: [""], resources: ["pods"] }],
      [{ verbs: ["delete"], apiGroups: [""], resources: ["pods"] }],
    ],
    ["a */subresource", [{ verbs: ["list"], apiGroups: [""], resources: ["nodes/status"] }], []],
    [
      "named within the names",
      [{ verbs: ["get"], apiGroups: [""], resources: ["secrets"], resourceNames: ["a"] }],
      [],
    ],
    [
      "unnamed when the owner holds names only",
      [{ verbs: ["get"], apiGroups: [""], resources: ["secrets"] }],
      [{ verbs: ["get"], apiGroups: [""], resources: ["secrets"] }],
    ],
    ["a path under a prefix", [{ verbs: ["get"], nonResourceURLs: ["/logs/x"] }], []],
    [
      "a path outside",
      [{ verbs: ["get"], nonResourceURLs: ["/metrics"] }],
      [{ verbs: ["get"], nonResourceURLs: ["/metrics"] }],
    ],
  ];
  for (const [name, wanted, missing] of cases) {
    it(name, () => assert.deepEqual(covers(owner, wanted), { covered: missing.length === 0, missing }));
  }

  it("everything is covered by cluster-admin's rules", () => {
    const admin = [
      { verbs: ["*"], apiGroups: ["*"], resources: ["*"] },
      { verbs: ["*"], nonResourceURLs: ["*"] },
    ];
    assert.equal(
      covers(admin, [...owner, { verbs: ["escalate"], apiGroups: ["x"], resources: ["y/z"] }]).covered,
      true,
    );
  });
});

describe("compact form", () => {
  it("merges broken-down rules by verb and prints upstream's CompactString", () => {
    const missing = covers(
      [],
      [{ verbs: ["get", "list"], apiGroups: ["apps"], resources: ["daemonsets"] }],
    ).missing;
    assert.deepEqual(compactRules(missing).map(compactString), [
      '{APIGroups:["apps"], Resources:["daemonsets"], Verbs:["get" "list"]}',
    ]);
    assert.equal(
      compactString({ verbs: ["get"], nonResourceURLs: ["/metrics"] }),
      '{NonResourceURLs:["/metrics"], Verbs:["get"]}',
    );
  });
});
