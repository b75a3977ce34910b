// --controllers as kube-controller-manager reads it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CONTROLLERS, type ControllerName, parseControllers } from "./controller-selection.js";

const enabled = (flag: string): ControllerName[] =>
  (Object.keys(CONTROLLERS) as ControllerName[]).filter(parseControllers(flag));

describe("parseControllers", () => {
  it('"*" enables every controller', () => {
    assert.deepEqual(enabled("*"), Object.keys(CONTROLLERS));
  });
  it('"*,-name" enables all but that one; the short names of before 1.28 work too', () => {
    assert.deepEqual(enabled("*,-daemonset-controller"), Object.keys(CONTROLLERS).slice(1));
    assert.deepEqual(enabled("*,-daemonset"), Object.keys(CONTROLLERS).slice(1));
  });
  it("a list without * enables only what it names", () => {
    assert.deepEqual(enabled("daemonset-controller,garbagecollector"), [
      "daemonset-controller",
      "garbage-collector-controller",
    ]);
    assert.deepEqual(enabled(""), []);
  });
  it("the first entry naming a controller decides", () => {
    assert.deepEqual(enabled("-daemonset,daemonset-controller"), []);
    assert.deepEqual(enabled("daemonset,-daemonset-controller"), ["daemonset-controller"]);
  });
  it("refuses a name no controller has, listing the known ones", () => {
    assert.throws(
      () => parseControllers("*,-deployment"),
      /--controllers: "-deployment" is not in the list of known controllers \(daemonset-controller, garbage-collector-controller/,
    );
  });
});
