// pods/{name}/ephemeralcontainers over HTTP (what `kubectl debug POD --image=…` patches): a write adds debugging
// containers and changes nothing else, existing ones may not change or go, and the fields a debugging process
// has no use for (ports, probes, lifecycle, resources) are refused with upstream's messages.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { namespace, paths, pod } from "../fixtures/objects.js";
import { assertFailure, assertOk } from "../fixtures/status.js";
import { TestCluster } from "../support/test-cluster.js";

const NS = "debugging";
const ephemeral = (name: string) => `${paths.pod(NS, name)}/ephemeralcontainers`;
const debuggerContainer = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  image: "busybox:1.36",
  stdin: true,
  tty: true,
  targetContainerName: "main",
  ...extra,
});

describe("pods/ephemeralcontainers", () => {
  let c: TestCluster;
  before(async () => {
    c = await TestCluster.start();
    assertOk(await c.post(paths.namespaces(), namespace(NS)), 201);
    assertOk(await c.post(paths.pods(NS), pod("web", { nodeName: "node1" })), 201);
  });
  after(() => c.stop());

  it("adds a debugging container, defaulted, and nothing else of the patch", async () => {
    const res = await c.patch(ephemeral("web"), {
      metadata: { labels: { sneaky: "yes" } },
      spec: { ephemeralContainers: [debuggerContainer("debugger-1")], activeDeadlineSeconds: 5 },
    });
    assertOk(res);
    const [added] = res.body.spec.ephemeralContainers;
    assert.equal(added.name, "debugger-1");
    assert.equal(added.imagePullPolicy, "IfNotPresent");
    assert.equal(added.terminationMessagePolicy, "File");
    assert.equal(res.body.spec.activeDeadlineSeconds, undefined);
    assert.equal(res.body.metadata.labels, undefined);
    const read = await c.get(ephemeral("web"));
    assertOk(read);
    assert.equal(read.body.kind, "Pod");
    assert.equal(read.body.spec.ephemeralContainers.length, 1);
  });

  it("refuses changing or removing an existing one", async () => {
    const changed = await c.put(ephemeral("web"), {
      ...(await c.get(paths.pod(NS, "web"))).body,
      spec: {
        ...(await c.get(paths.pod(NS, "web"))).body.spec,
        ephemeralContainers: [debuggerContainer("debugger-1", { image: "busybox:1.37" })],
      },
    });
    assertFailure(changed, {
      code: 422,
      reason: "Invalid",
      message: /existing ephemeral containers "debugger-1" may not be changed/,
    });
    const current = (await c.get(paths.pod(NS, "web"))).body;
    const removed = await c.put(ephemeral("web"), {
      ...current,
      spec: { ...current.spec, ephemeralContainers: [] },
    });
    assertFailure(removed, {
      code: 422,
      reason: "Invalid",
      message: /existing ephemeral containers "debugger-1" may not be removed/,
    });
  });

  it("refuses ports, probes and resources, duplicate names and unknown targets", async () => {
    const res = await c.patch(ephemeral("web"), {
      spec: {
        ephemeralContainers: [
          debuggerContainer("debugger-1"),
          debuggerContainer("main", {
            ports: [{ containerPort: 80 }],
            readinessProbe: { exec: { command: ["true"] } },
            resources: { limits: { cpu: "1" } },
            targetContainerName: "nope",
          }),
        ],
      },
    });
    assertFailure(res, { code: 422, reason: "Invalid" });
    assert.deepEqual(
      res.body.details.causes.map(
        (cause: { field: string; reason: string }) => `${cause.field} ${cause.reason}`,
      ),
      [
        "spec.ephemeralContainers[1].name FieldValueDuplicate",
        "spec.ephemeralContainers[1].ports FieldValueForbidden",
        "spec.ephemeralContainers[1].readinessProbe FieldValueForbidden",
        "spec.ephemeralContainers[1].resources FieldValueForbidden",
        "spec.ephemeralContainers[1].targetContainerName FieldValueNotFound",
      ],
    );
  });

  it("is not settable on create", async () => {
    const withDebugger = pod("born-debugged", { nodeName: "node1" });
    withDebugger.spec.ephemeralContainers = [debuggerContainer("debugger")];
    assertFailure(await c.post(paths.pods(NS), withDebugger), {
      code: 422,
      reason: "Invalid",
      message: /spec.ephemeralContainers: Forbidden: cannot be set on create/,
    });
  });
});
