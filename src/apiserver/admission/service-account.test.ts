// ServiceAccount admission: default account, the projected API-access volume, and the opt-outs.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../api/object.js";
import { admitPodServiceAccount, SERVICE_ACCOUNT_MOUNT_PATH } from "./service-account.js";

const pod = (spec: Record<string, unknown>): KubeObject => ({
  metadata: { name: "p", namespace: "ns" },
  spec,
});

describe("ServiceAccount admission", () => {
  it("runs a pod as the default account and mounts the kube-api-access volume in every container", () => {
    const p = pod({ initContainers: [{ name: "i" }], containers: [{ name: "a" }, { name: "b" }] });
    admitPodServiceAccount(p);
    assert.equal(p.spec.serviceAccountName, "default");
    assert.equal(p.spec.serviceAccount, "default");
    assert.equal(p.spec.volumes.length, 1);
    const volume = p.spec.volumes[0];
    assert.match(volume.name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(
      volume.projected.sources.map((s: object) => Object.keys(s)[0]),
      ["serviceAccountToken", "configMap", "downwardAPI"],
    );
    for (const c of [...p.spec.initContainers, ...p.spec.containers]) {
      assert.deepEqual(c.volumeMounts, [
        { name: volume.name, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH },
      ]);
    }
  });

  it("keeps a named account, and the deprecated field follows it", () => {
    const p = pod({ serviceAccountName: "fluentd", containers: [{ name: "a" }] });
    admitPodServiceAccount(p);
    assert.equal(p.spec.serviceAccountName, "fluentd");
    assert.equal(p.spec.serviceAccount, "fluentd");
  });

  it("mounts nothing when automounting is off or the path is already mounted", () => {
    const off = pod({ automountServiceAccountToken: false, containers: [{ name: "a" }] });
    admitPodServiceAccount(off);
    assert.equal(off.spec.volumes, undefined);
    const mounted = pod({
      containers: [{ name: "a", volumeMounts: [{ name: "mine", mountPath: SERVICE_ACCOUNT_MOUNT_PATH }] }],
      volumes: [{ name: "mine", emptyDir: {} }],
    });
    admitPodServiceAccount(mounted);
    assert.equal(mounted.spec.volumes.length, 1);
  });
});
