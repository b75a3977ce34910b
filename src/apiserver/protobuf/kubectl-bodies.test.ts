// Checks the decoder against bodies the real kubectl sends: a bare HTTP server answers discovery, records each
// request body, decodes it and echoes the object back, while kubectl runs create/drain commands against it.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { decodeProtobufBody } from "./decode.js";

const PROTOBUF = "application/vnd.kubernetes.protobuf";

function onPath(command: string): boolean {
  return (process.env.PATH ?? "").split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** [resource, kind, namespaced, group/version of a subresource] as /api/v1 and /apis/<gv> list them. */
type ResourceRow = [string, string, boolean, string?];

const CORE: ResourceRow[] = [
  ["namespaces", "Namespace", false],
  ["configmaps", "ConfigMap", true],
  ["secrets", "Secret", true],
  ["serviceaccounts", "ServiceAccount", true],
  ["serviceaccounts/token", "TokenRequest", true, "authentication.k8s.io/v1"],
  ["pods", "Pod", true],
  ["services", "Service", true],
  ["resourcequotas", "ResourceQuota", true],
  ["nodes", "Node", false],
];

const GROUPS: Record<string, ResourceRow[]> = {
  "apps/v1": [["deployments", "Deployment", true]],
  "rbac.authorization.k8s.io/v1": [
    ["clusterroles", "ClusterRole", false],
    ["rolebindings", "RoleBinding", true],
  ],
  "policy/v1": [["poddisruptionbudgets", "PodDisruptionBudget", true]],
  "scheduling.k8s.io/v1": [["priorityclasses", "PriorityClass", false]],
};

const resourceList = (groupVersion: string, rows: ResourceRow[]) => ({
  kind: "APIResourceList",
  apiVersion: "v1",
  groupVersion,
  resources: rows.map(([name, kind, namespaced, subresourceGv]) => ({
    name,
    singularName: "",
    namespaced,
    kind,
    verbs: ["create", "get", "list", "delete", "patch", "update"],
    ...(subresourceGv ? { group: subresourceGv.split("/")[0], version: "v1" } : {}),
  })),
});

/** A pod on node n1 that drain has to remove (owned by a ReplicaSet, so no --force is needed). */
const DRAINED_POD = {
  metadata: {
    name: "p1",
    namespace: "default",
    ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "rs", uid: "u1", controller: true }],
  },
  spec: { nodeName: "n1", containers: [{ name: "c", image: "i" }] },
  status: { phase: "Running" },
};

interface Recorded {
  method: string;
  path: string;
  contentType: string;
  object: Record<string, any>;
}

/** Answers one request; returns the JSON reply and its status code. */
function answer(method: string, path: string, recorded: Recorded | undefined): [number, unknown] {
  if (path === "/version") return [200, { major: "1", minor: "32", gitVersion: "v1.32.0" }];
  if (path === "/api") return [200, { kind: "APIVersions", versions: ["v1"] }];
  if (path === "/apis") {
    const groups = Object.keys(GROUPS).map((gv) => {
      const version = { groupVersion: gv, version: "v1" };
      return { name: gv.split("/")[0], versions: [version], preferredVersion: version };
    });
    return [200, { kind: "APIGroupList", apiVersion: "v1", groups }];
  }
  if (path === "/api/v1") return [200, resourceList("v1", CORE)];
  const groupVersion = path.replace(/^\/apis\//, "");
  if (GROUPS[groupVersion]) return [200, resourceList(groupVersion, GROUPS[groupVersion])];
  if (method === "GET" && path === "/api/v1/nodes/n1")
    return [200, { kind: "Node", apiVersion: "v1", metadata: { name: "n1" } }];
  if (method === "PATCH" && path === "/api/v1/nodes/n1") {
    return [200, { kind: "Node", apiVersion: "v1", metadata: { name: "n1" }, spec: { unschedulable: true } }];
  }
  if (method === "GET" && path === "/api/v1/pods")
    return [200, { kind: "PodList", apiVersion: "v1", metadata: {}, items: [DRAINED_POD] }];
  if (method === "DELETE")
    return [200, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success" }];
  if (method === "POST" && recorded) {
    // Echo the decoded object so kubectl prints its usual "<kind>/<name> created".
    const reply = { ...recorded.object };
    if (reply.kind === "TokenRequest")
      reply.status = { token: "t0k3n", expirationTimestamp: "2030-01-01T00:00:00Z" };
    return [201, reply];
  }
  return [
    404,
    { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", reason: "NotFound", code: 404 },
  ];
}

function decodeBody(contentType: string, body: Buffer): Record<string, any> {
  return contentType.startsWith(PROTOBUF)
    ? decodeProtobufBody(body).object
    : JSON.parse(body.toString("utf8"));
}

/** Every key of `expected` is in `actual` with an equal value (recursively for objects). */
function assertContains(actual: unknown, expected: unknown, path = "$"): void {
  if (expected === null || typeof expected !== "object" || Array.isArray(expected)) {
    assert.deepEqual(actual, expected, path);
    return;
  }
  assert.equal(typeof actual, "object", `${path} is not an object`);
  for (const [key, value] of Object.entries(expected)) {
    assertContains((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
  }
}

interface Case {
  args: string[];
  method: string;
  path: string;
  expected: Record<string, unknown>;
}

const CASES: Case[] = [
  {
    args: ["create", "namespace", "foo", "--validate=false"],
    method: "POST",
    path: "/api/v1/namespaces",
    expected: { apiVersion: "v1", kind: "Namespace", metadata: { name: "foo" }, spec: {} },
  },
  {
    args: ["create", "configmap", "x", "--from-literal=a=b", "--validate=false"],
    method: "POST",
    path: "/api/v1/namespaces/default/configmaps",
    expected: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, data: { a: "b" } },
  },
  {
    args: ["create", "secret", "generic", "s", "--from-literal=k=v", "--validate=false"],
    method: "POST",
    path: "/api/v1/namespaces/default/secrets",
    expected: { kind: "Secret", metadata: { name: "s" }, data: { k: Buffer.from("v").toString("base64") } },
  },
  {
    args: ["create", "serviceaccount", "sa"],
    method: "POST",
    path: "/api/v1/namespaces/default/serviceaccounts",
    expected: { kind: "ServiceAccount", metadata: { name: "sa" } },
  },
  {
    args: ["create", "token", "sa", "--duration=1h"],
    method: "POST",
    path: "/api/v1/namespaces/default/serviceaccounts/sa/token",
    expected: {
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenRequest",
      spec: { expirationSeconds: 3600 },
    },
  },
  {
    args: ["create", "clusterrole", "cr", "--verb=get", "--resource=pods"],
    method: "POST",
    path: "/apis/rbac.authorization.k8s.io/v1/clusterroles",
    expected: { kind: "ClusterRole", rules: [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }] },
  },
  {
    args: ["create", "rolebinding", "rb", "--clusterrole=cr", "--serviceaccount=default:sa"],
    method: "POST",
    path: "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings",
    expected: {
      kind: "RoleBinding",
      subjects: [{ kind: "ServiceAccount", name: "sa", namespace: "default" }],
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cr" },
    },
  },
  {
    args: ["create", "quota", "q", "--hard=pods=10,requests.cpu=500m"],
    method: "POST",
    path: "/api/v1/namespaces/default/resourcequotas",
    expected: { kind: "ResourceQuota", spec: { hard: { pods: "10", "requests.cpu": "500m" } } },
  },
  {
    args: ["create", "priorityclass", "pc", "--value=1000", "--description=d"],
    method: "POST",
    path: "/apis/scheduling.k8s.io/v1/priorityclasses",
    expected: { kind: "PriorityClass", value: 1000, description: "d" },
  },
  {
    args: ["create", "poddisruptionbudget", "pdb", "--selector=a=b", "--max-unavailable=25%"],
    method: "POST",
    path: "/apis/policy/v1/namespaces/default/poddisruptionbudgets",
    expected: {
      kind: "PodDisruptionBudget",
      spec: { maxUnavailable: "25%", selector: { matchLabels: { a: "b" } } },
    },
  },
  {
    args: ["create", "deployment", "d", "--image=nginx", "--port=80", "--replicas=2"],
    method: "POST",
    path: "/apis/apps/v1/namespaces/default/deployments",
    expected: {
      kind: "Deployment",
      spec: {
        replicas: 2,
        template: {
          spec: {
            containers: [{ name: "nginx", image: "nginx", ports: [{ containerPort: 80 }], resources: {} }],
          },
        },
      },
    },
  },
  {
    args: ["create", "service", "clusterip", "svc", "--tcp=80:8080"],
    method: "POST",
    path: "/api/v1/namespaces/default/services",
    expected: {
      kind: "Service",
      spec: { type: "ClusterIP", ports: [{ name: "80-8080", protocol: "TCP", port: 80, targetPort: 8080 }] },
    },
  },
  {
    // Without the policy group's eviction subresource in discovery, drain deletes pods with DeleteOptions.
    args: ["drain", "n1", "--ignore-daemonsets", "--grace-period=5", "--timeout=10s"],
    method: "DELETE",
    path: "/api/v1/namespaces/default/pods/p1",
    expected: { kind: "DeleteOptions", gracePeriodSeconds: 5 },
  },
];

describe("bodies sent by the real kubectl", { skip: !onPath("kubectl") && "kubectl is not on PATH" }, () => {
  let server: Server;
  let dir: string;
  let kubeconfig: string;
  const recorded: Recorded[] = [];

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    const path = (req.url ?? "").split("?")[0];
    const contentType = req.headers["content-type"] ?? "";
    let entry: Recorded | undefined;
    let reply: [number, unknown];
    try {
      if (body.length > 0) {
        entry = { method: req.method ?? "", path, contentType, object: decodeBody(contentType, body) };
        recorded.push(entry);
      }
      reply = answer(req.method ?? "", path, entry);
    } catch (e) {
      reply = [400, { kind: "Status", apiVersion: "v1", status: "Failure", message: String(e), code: 400 }];
    }
    res.writeHead(reply[0], { "Content-Type": "application/json" });
    res.end(JSON.stringify(reply[1]));
  };

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => handle(req, res, Buffer.concat(chunks)));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    dir = mkdtempSync(join(tmpdir(), "everynode-kubectl-"));
    kubeconfig = join(dir, "kubeconfig");
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "c", cluster: { server: `http://127.0.0.1:${port}` } }],
        users: [{ name: "u", user: {} }],
        contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
        "current-context": "x",
      }),
    );
  });

  after(() => {
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const c of CASES) {
    it(`kubectl ${c.args.join(" ")}`, async (t) => {
      recorded.length = 0;
      const env = { ...process.env, KUBECACHEDIR: join(dir, "cache"), KUBECONFIG: "" };
      await promisify(execFile)("kubectl", ["--kubeconfig", kubeconfig, ...c.args], { env, timeout: 30_000 });
      const sent = recorded.find((r) => r.method === c.method && r.path === c.path);
      assert.ok(
        sent,
        `kubectl sent no ${c.method} ${c.path} body; saw ${recorded.map((r) => `${r.method} ${r.path}`)}`,
      );
      assertContains(sent.object, c.expected);
      // Older kubectl versions send JSON for some commands; then the decoder was not exercised.
      if (!sent.contentType.startsWith(PROTOBUF))
        t.skip(`this kubectl sent ${sent.contentType}, not protobuf`);
    });
  }
});
