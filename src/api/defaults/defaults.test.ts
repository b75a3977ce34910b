// Tests of defaulting: the tutorial's fluentd DaemonSet must come out as `kubectl get ds -o yaml` shows it on
// a 1.32 server, plus Pod, volume, probe, image, Namespace, Node, Secret and RBAC defaults.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { addNamespaceCreateFinalizer, applyDefaults, imageTag } from "./index.js";

describe("DaemonSet defaults", () => {
  it("matches what a 1.32 server stores for the fluentd tutorial", () => {
    const ds = applyDefaults("apps", "DaemonSet", {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: {
        name: "fluentd-elasticsearch",
        namespace: "kube-system",
        labels: { "k8s-app": "fluentd-logging" },
      },
      spec: {
        selector: { matchLabels: { name: "fluentd-elasticsearch" } },
        template: {
          metadata: { labels: { name: "fluentd-elasticsearch" } },
          spec: {
            tolerations: [
              { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
            ],
            containers: [
              {
                name: "fluentd-elasticsearch",
                image: "quay.io/fluentd_elasticsearch/fluentd:v2.5.2",
                resources: { limits: { memory: "200Mi" }, requests: { cpu: "100m", memory: "200Mi" } },
                volumeMounts: [{ name: "varlog", mountPath: "/var/log" }],
              },
            ],
            terminationGracePeriodSeconds: 30,
            volumes: [{ name: "varlog", hostPath: { path: "/var/log" } }],
          },
        },
      },
    });
    assert.deepEqual(ds.spec, {
      revisionHistoryLimit: 10,
      selector: { matchLabels: { name: "fluentd-elasticsearch" } },
      template: {
        metadata: { creationTimestamp: null, labels: { name: "fluentd-elasticsearch" } },
        spec: {
          containers: [
            {
              image: "quay.io/fluentd_elasticsearch/fluentd:v2.5.2",
              imagePullPolicy: "IfNotPresent",
              name: "fluentd-elasticsearch",
              // Templates keep requests as given: requests-from-limits is a Pod-only default.
              resources: { limits: { memory: "200Mi" }, requests: { cpu: "100m", memory: "200Mi" } },
              terminationMessagePath: "/dev/termination-log",
              terminationMessagePolicy: "File",
              volumeMounts: [{ mountPath: "/var/log", name: "varlog" }],
            },
          ],
          dnsPolicy: "ClusterFirst",
          restartPolicy: "Always",
          schedulerName: "default-scheduler",
          securityContext: {},
          terminationGracePeriodSeconds: 30,
          tolerations: [
            { effect: "NoSchedule", key: "node-role.kubernetes.io/control-plane", operator: "Exists" },
          ],
          volumes: [{ hostPath: { path: "/var/log", type: "" }, name: "varlog" }],
        },
      },
      updateStrategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 }, type: "RollingUpdate" },
    });
    assert.deepEqual((ds as Record<string, unknown>).status, {
      currentNumberScheduled: 0,
      desiredNumberScheduled: 0,
      numberMisscheduled: 0,
      numberReady: 0,
    });
  });

  it("keeps given strategy values and leaves OnDelete without rollingUpdate", () => {
    const surge = applyDefaults("apps", "DaemonSet", {
      spec: { updateStrategy: { rollingUpdate: { maxSurge: "25%" } } },
    });
    assert.deepEqual(surge.spec.updateStrategy, {
      type: "RollingUpdate",
      rollingUpdate: { maxSurge: "25%", maxUnavailable: 1 },
    });
    const onDelete = applyDefaults("apps", "DaemonSet", {
      spec: { updateStrategy: { type: "OnDelete" }, revisionHistoryLimit: 0 },
    });
    assert.deepEqual(onDelete.spec.updateStrategy, { type: "OnDelete" });
    assert.equal(onDelete.spec.revisionHistoryLimit, 0);
  });

  it("is idempotent", () => {
    const once = applyDefaults("apps", "DaemonSet", {
      spec: { template: { spec: { containers: [{ name: "c", image: "x" }] } } },
    });
    const twice = applyDefaults("apps", "DaemonSet", structuredClone(once));
    assert.deepEqual(twice, once);
  });
});

describe("Pod defaults", () => {
  it("applies SetDefaults_Pod and the pod spec defaults", () => {
    const pod = applyDefaults("", "Pod", {
      metadata: { name: "p" },
      spec: {
        hostNetwork: true,
        containers: [
          {
            name: "c",
            image: "nginx",
            ports: [{ containerPort: 80 }],
            resources: { limits: { cpu: "1" } },
            env: [{ name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }],
            livenessProbe: { httpGet: { port: 80 } },
            readinessProbe: { grpc: { port: 9000 }, periodSeconds: 5 },
          },
        ],
        volumes: [
          { name: "scratch" },
          { name: "cfg", configMap: { name: "cfg" } },
          { name: "sec", secret: { secretName: "s", defaultMode: 0o400 } },
          { name: "tok", projected: { sources: [{ serviceAccountToken: { path: "token" } }] } },
        ],
      },
    });
    assert.deepEqual(pod.spec, {
      hostNetwork: true,
      enableServiceLinks: true,
      dnsPolicy: "ClusterFirst",
      restartPolicy: "Always",
      securityContext: {},
      terminationGracePeriodSeconds: 30,
      schedulerName: "default-scheduler",
      containers: [
        {
          name: "c",
          image: "nginx",
          imagePullPolicy: "Always",
          terminationMessagePath: "/dev/termination-log",
          terminationMessagePolicy: "File",
          ports: [{ containerPort: 80, hostPort: 80, protocol: "TCP" }],
          resources: { limits: { cpu: "1" }, requests: { cpu: "1" } },
          env: [{ name: "NODE", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "spec.nodeName" } } }],
          livenessProbe: {
            httpGet: { port: 80, path: "/", scheme: "HTTP" },
            timeoutSeconds: 1,
            periodSeconds: 10,
            successThreshold: 1,
            failureThreshold: 3,
          },
          readinessProbe: {
            grpc: { port: 9000, service: "" },
            periodSeconds: 5,
            timeoutSeconds: 1,
            successThreshold: 1,
            failureThreshold: 3,
          },
        },
      ],
      volumes: [
        { name: "scratch", emptyDir: {} },
        { name: "cfg", configMap: { name: "cfg", defaultMode: 420 } },
        { name: "sec", secret: { secretName: "s", defaultMode: 0o400 } },
        {
          name: "tok",
          projected: {
            defaultMode: 420,
            sources: [{ serviceAccountToken: { path: "token", expirationSeconds: 3600 } }],
          },
        },
      ],
    });
  });
});

describe("image pull policy tag", () => {
  const cases: [string, string][] = [
    ["nginx", "latest"],
    ["nginx:latest", "latest"],
    ["nginx:1.27", "1.27"],
    ["localhost:5000/app", "latest"],
    ["localhost:5000/app:v1", "v1"],
    ["registry.k8s.io/pause@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", ""],
    ["quay.io/a/b:v2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "v2"],
    ["NGINX", ""],
    ["", ""],
  ];
  for (const [image, tag] of cases) it(image || "(empty)", () => assert.equal(imageTag(image), tag));
});

describe("other kinds", () => {
  it("Namespace: name label and Active phase; the finalizer only on create", () => {
    const ns = applyDefaults("", "Namespace", { metadata: { name: "team-a" } });
    assert.deepEqual(ns, {
      metadata: { name: "team-a", labels: { "kubernetes.io/metadata.name": "team-a" } },
      status: { phase: "Active" },
    });
    addNamespaceCreateFinalizer(ns);
    assert.deepEqual((ns as { spec?: unknown }).spec, { finalizers: ["kubernetes"] });
  });
  it("Node: allocatable defaults to capacity", () => {
    const node = applyDefaults("", "Node", {
      metadata: { name: "n" },
      status: { capacity: { cpu: "4", pods: "110" } },
    });
    assert.deepEqual(node.status, {
      capacity: { cpu: "4", pods: "110" },
      allocatable: { cpu: "4", pods: "110" },
    });
  });
  it("Secret: Opaque, stringData folded into data", () => {
    const secret = applyDefaults("", "Secret", {
      metadata: { name: "s" },
      data: { a: "eA==" },
      stringData: { b: "hi" },
    });
    assert.deepEqual(secret, { metadata: { name: "s" }, type: "Opaque", data: { a: "eA==", b: "aGk=" } });
  });
  it("RBAC bindings: API groups", () => {
    const rb = applyDefaults("rbac.authorization.k8s.io", "RoleBinding", {
      roleRef: { kind: "Role", name: "r" },
      subjects: [
        { kind: "User", name: "u" },
        { kind: "ServiceAccount", name: "sa", namespace: "d" },
      ],
    });
    assert.deepEqual(rb, {
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "r" },
      subjects: [
        { kind: "User", name: "u", apiGroup: "rbac.authorization.k8s.io" },
        { kind: "ServiceAccount", name: "sa", namespace: "d" },
      ],
    });
  });
  it("leaves kinds without defaults alone", () => {
    const cm = { metadata: { name: "c" } };
    assert.deepEqual(applyDefaults("", "ConfigMap", cm), { metadata: { name: "c" } });
  });
});
