// The REST paths of one resource from the resource table: collection and item (namespaced, cluster-scoped
// and the all-namespaces list), plus subresources, each with the operations its verbs allow, named and tagged
// the way Kubernetes names them (listAppsV1NamespacedDaemonSet, patchCoreV1Node, ...).

import type { ResourceInfo, SubresourceInfo } from "../../api/resources.js";
import type { BodySchema, Gvk, OperationSpec, ParameterSpec, PathSpec, ResponseSpec } from "./api-model.js";
import { NAME_PATH, NAMESPACE_PATH, PRETTY, QUERY_PARAMETERS } from "./parameters.js";

/** Where operations get their body schemas from. */
export interface KindBodies {
  kind(gvk: Gvk): BodySchema;
  list(item: Gvk, listKind: string): BodySchema;
  meta(name: "Status" | "DeleteOptions"): BodySchema;
  patch(): BodySchema;
}

export const JSON_CONTENT = "application/json";
/** The four PATCH formats; kubectl builds apply patches from OpenAPI only if the strategic one is listed. */
export const PATCH_CONTENT_TYPES = [
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/strategic-merge-patch+json",
  "application/apply-patch+yaml",
];
/** Request bodies of create, update and delete: any format the server can decode. */
const ANY_CONTENT = "*/*";
/** Subresources that answer with plain text rather than an object. */
const TEXT_SUBRESOURCES = new Set(["log"]);

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** "" → Core, "apps" → Apps, "rbac.authorization.k8s.io" → RbacAuthorization. */
export function groupWord(group: string): string {
  if (group === "") return "Core";
  return group
    .replace(/\.k8s\.io$/, "")
    .split(".")
    .map(capitalize)
    .join("");
}

/** The OpenAPI tag of a group-version: core_v1, apps_v1, rbacAuthorization_v1. */
export function groupVersionTag(group: string, version: string): string {
  const word = groupWord(group);
  return `${word.charAt(0).toLowerCase()}${word.slice(1)}_${version}`;
}

export function groupVersionPrefix(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

const ok = (body: BodySchema, code = "200", description = "OK"): ResponseSpec => ({
  code,
  description,
  body,
  contentTypes: [JSON_CONTENT],
});
const UNAUTHORIZED: ResponseSpec = { code: "401", description: "Unauthorized", contentTypes: [] };

/** Builds the operations of one resource, named and tagged for its group-version. */
class ResourceOperations {
  private readonly gvk: Gvk;
  private readonly tag: string;
  private readonly gv: string;

  constructor(
    private readonly r: ResourceInfo,
    private readonly bodies: KindBodies,
  ) {
    this.gvk = { group: r.group, version: r.version, kind: r.kind };
    this.tag = groupVersionTag(r.group, r.version);
    this.gv = groupWord(r.group) + capitalize(r.version);
  }

  /** `subject` names what the operation acts on after the verb: NamespacedDaemonSet, Node, NamespacedPodStatus. */
  private op(
    method: OperationSpec["method"],
    action: string,
    verbWord: string,
    subject: string,
    rest: Pick<OperationSpec, "description" | "parameters" | "responses" | "requestBody"> & { gvk?: Gvk },
  ): OperationSpec {
    return {
      method,
      action,
      operationId: `${verbWord}${this.gv}${subject}`,
      tag: this.tag,
      gvk: rest.gvk ?? this.gvk,
      description: rest.description,
      parameters: rest.parameters,
      requestBody: rest.requestBody,
      responses: [...rest.responses, UNAUTHORIZED],
    };
  }

  list(subject: string, description: string): OperationSpec {
    const body = this.bodies.list(this.gvk, this.r.listKind);
    return this.op("get", "list", "list", subject, {
      description,
      parameters: QUERY_PARAMETERS.list,
      responses: [ok(body)],
    });
  }

  create(subject: string): OperationSpec {
    const body = this.bodies.kind(this.gvk);
    return this.op("post", "post", "create", subject, {
      description: `create a ${this.r.kind}`,
      parameters: QUERY_PARAMETERS.create,
      requestBody: { body, contentTypes: [ANY_CONTENT], required: true },
      responses: [ok(body), ok(body, "201", "Created"), ok(body, "202", "Accepted")],
    });
  }

  deleteCollection(subject: string): OperationSpec {
    return this.op("delete", "deletecollection", "delete", subject, {
      description: `delete a collection of ${this.r.kind}`,
      parameters: QUERY_PARAMETERS.deletecollection,
      requestBody: { body: this.bodies.meta("DeleteOptions"), contentTypes: [ANY_CONTENT], required: false },
      responses: [ok(this.bodies.meta("Status"))],
    });
  }

  /** get / update / patch on the object or on a subresource that returns `kind` (such as status). */
  read(subject: string, what: string, gvk = this.gvk): OperationSpec {
    return this.op("get", "get", "read", subject, {
      gvk,
      description: `read ${what}`,
      parameters: QUERY_PARAMETERS.get,
      responses: [ok(this.bodies.kind(gvk))],
    });
  }

  replace(subject: string, what: string, gvk = this.gvk): OperationSpec {
    const body = this.bodies.kind(gvk);
    return this.op("put", "put", "replace", subject, {
      gvk,
      description: `replace ${what}`,
      parameters: QUERY_PARAMETERS.update,
      requestBody: { body, contentTypes: [ANY_CONTENT], required: true },
      responses: [ok(body), ok(body, "201", "Created")],
    });
  }

  patch(subject: string, what: string, gvk = this.gvk): OperationSpec {
    const body = this.bodies.kind(gvk);
    return this.op("patch", "patch", "patch", subject, {
      gvk,
      description: `partially update ${what}`,
      parameters: QUERY_PARAMETERS.patch,
      requestBody: { body: this.bodies.patch(), contentTypes: PATCH_CONTENT_TYPES, required: true },
      responses: [ok(body), ok(body, "201", "Created")],
    });
  }

  delete(subject: string): OperationSpec {
    const status = this.bodies.meta("Status");
    return this.op("delete", "delete", "delete", subject, {
      description: `delete a ${this.r.kind}`,
      parameters: QUERY_PARAMETERS.delete,
      requestBody: { body: this.bodies.meta("DeleteOptions"), contentTypes: [ANY_CONTENT], required: false },
      responses: [ok(status), ok(status, "202", "Accepted")],
    });
  }

  /** A subresource that only creates (eviction, binding): POST its own kind. */
  createSubresource(subject: string, sub: SubresourceInfo): OperationSpec {
    const body = this.bodies.kind(sub.kind);
    return this.op("post", "post", "create", subject, {
      gvk: sub.kind,
      description: `create ${sub.name} of a ${this.r.kind}`,
      parameters: QUERY_PARAMETERS.create,
      requestBody: { body, contentTypes: [ANY_CONTENT], required: true },
      responses: [ok(body), ok(body, "201", "Created"), ok(body, "202", "Accepted")],
    });
  }

  /** A subresource that streams text (log). */
  readText(subject: string, sub: SubresourceInfo): OperationSpec {
    return this.op("get", "get", "read", subject, {
      gvk: sub.kind,
      description: `read ${sub.name} of the specified ${this.r.kind}`,
      parameters: QUERY_PARAMETERS.log,
      responses: [
        {
          code: "200",
          description: "OK",
          body: { inline: { type: "string" } },
          contentTypes: ["text/plain", JSON_CONTENT],
        },
      ],
    });
  }
}

/** Every path of `r`, in Kubernetes' order: collection, item, subresources, then the all-namespaces list. */
export function resourcePaths(r: ResourceInfo, bodies: KindBodies): PathSpec[] {
  const ops = new ResourceOperations(r, bodies);
  const has = (verb: ResourceInfo["verbs"][number]): boolean => r.verbs.includes(verb);
  const prefix = groupVersionPrefix(r.group, r.version);
  const scope = r.namespaced ? "Namespaced" : "";
  const collection = r.namespaced
    ? `${prefix}/namespaces/{namespace}/${r.resource}`
    : `${prefix}/${r.resource}`;
  const item = `${collection}/{name}`;
  const scopeParams: ParameterSpec[] = r.namespaced ? [NAMESPACE_PATH] : [];
  const itemParams: ParameterSpec[] = [NAME_PATH(r.kind), ...scopeParams, PRETTY];
  const subject = `${scope}${r.kind}`;
  const the = `the specified ${r.kind}`;

  const paths: PathSpec[] = [];
  const add = (path: string, parameters: ParameterSpec[], operations: (OperationSpec | false)[]): void => {
    const present = operations.filter((o): o is OperationSpec => o !== false);
    if (present.length > 0) paths.push({ path, parameters, operations: present });
  };

  add(
    collection,
    [...scopeParams, PRETTY],
    [
      has("list") && ops.list(subject, `list objects of kind ${r.kind}`),
      has("create") && ops.create(subject),
      has("deletecollection") && ops.deleteCollection(`Collection${subject}`),
    ],
  );
  add(item, itemParams, [
    has("get") && ops.read(subject, the),
    has("update") && ops.replace(subject, the),
    has("patch") && ops.patch(subject, the),
    has("delete") && ops.delete(subject),
  ]);
  for (const sub of r.subresources) {
    const subSubject = `${subject}${capitalize(sub.name)}`;
    const what = `${sub.name} of ${the}`;
    const can = (verb: SubresourceInfo["verbs"][number]): boolean => sub.verbs.includes(verb);
    const operations = TEXT_SUBRESOURCES.has(sub.name)
      ? [can("get") && ops.readText(subSubject, sub)]
      : [
          can("get") && ops.read(subSubject, what, sub.kind),
          can("update") && ops.replace(subSubject, what, sub.kind),
          can("patch") && ops.patch(subSubject, what, sub.kind),
          can("create") && ops.createSubresource(subSubject, sub),
        ];
    add(`${item}/${sub.name}`, itemParams, operations);
  }
  if (r.namespaced && has("list")) {
    add(
      `${prefix}/${r.resource}`,
      [PRETTY],
      [ops.list(`${r.kind}ForAllNamespaces`, `list objects of kind ${r.kind}`)],
    );
  }
  return paths;
}
