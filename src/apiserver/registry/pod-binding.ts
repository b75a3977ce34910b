// The pods/binding subresource (upstream BindingREST): assigns an unbound pod to a node with one conditional
// storage write. It bypasses the pod update validation on purpose, since that validation forbids changing
// spec.nodeName, and binding is the one sanctioned way to set it. Shared by the HTTP handler and LocalClient.
import { ApiError, type Status, type StatusCause } from "../../api/errors.js";
import { type KubeObject, withFields } from "../../api/object.js";
import { findResource } from "../../api/resources.js";
import { notSupported, required } from "../../api/validation/field-errors.js";
import { isStorageError } from "../../storage/errors.js";
import { objectKey } from "../keys.js";
import type { Registry } from "./registry.js";
import { isoSeconds } from "./store.js";

export interface BindingOptions {
  dryRun?: boolean;
}

const PODS = { group: "", resource: "pods" };
const BINDINGS = { group: "", resource: "pods/binding" };
/** Writes lost to a concurrent pod update are retried, as GuaranteedUpdate does. */
const CONFLICT_RETRIES = 5;

interface Binding {
  kind?: string;
  metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string; annotations?: any };
  target?: { kind?: string; name?: string };
}

/** Upstream ValidatePodBinding: the target must name a Node. */
function validateBinding(binding: Binding): StatusCause[] {
  const causes: StatusCause[] = [];
  const kind = binding.target?.kind ?? "";
  if (kind !== "" && kind !== "Node")
    causes.push(notSupported("target.kind", kind, ["Node", "<empty>"]).toCause());
  if (!binding.target?.name) causes.push(required("target.name").toCause());
  return causes;
}

/** The checks BindingREST runs against the stored pod; a failure is a Conflict on pods/binding. */
function bindingRefusal(pod: KubeObject, name: string): string | undefined {
  if (pod.metadata.deletionTimestamp) return `pod ${name} is being deleted, cannot be assigned to a host`;
  const node = pod.spec?.nodeName;
  if (node) return `pod ${name} is already assigned to node ${JSON.stringify(node)}`;
  if ((pod.spec?.schedulingGates ?? []).length > 0) return `pod ${name} has non-empty .spec.schedulingGates`;
  return undefined;
}

/** Upstream podutil.UpdatePodCondition for PodScheduled=True: the transition time moves only on a change. */
function markScheduled(pod: KubeObject, now: number): void {
  pod.status ??= {};
  const conditions: any[] = pod.status.conditions ?? [];
  const old = conditions.find((c) => c.type === "PodScheduled");
  const condition = {
    type: "PodScheduled",
    status: "True",
    lastProbeTime: null,
    lastTransitionTime: old?.status === "True" ? old.lastTransitionTime : isoSeconds(now),
  };
  pod.status.conditions = old
    ? conditions.map((c) => (c === old ? condition : c))
    : [...conditions, condition];
}

function preconditionFailure(pod: KubeObject, binding: Binding): ApiError | undefined {
  const { uid, resourceVersion } = binding.metadata ?? {};
  const name = pod.metadata.name!;
  if (uid && uid !== pod.metadata.uid) {
    return ApiError.conflict(
      PODS,
      name,
      `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${pod.metadata.uid}`,
    );
  }
  if (resourceVersion && resourceVersion !== pod.metadata.resourceVersion) {
    return ApiError.conflict(
      PODS,
      name,
      `Precondition failed: ResourceVersion in precondition: ${resourceVersion}, ResourceVersion in object meta: ${pod.metadata.resourceVersion}`,
    );
  }
  return undefined;
}

/**
 * POST pods/{name}/binding: sets spec.nodeName (and the binding's annotations, and PodScheduled=True, as
 * upstream's setPodHostAndAnnotations does) when the pod is unbound. Resolves with the Success Status the
 * apiserver answers (code 201).
 */
export async function bindPod(
  registry: Registry,
  namespace: string,
  name: string,
  body: unknown,
  options: BindingOptions = {},
): Promise<Status> {
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw ApiError.badRequest("not a Binding object: the body must be a JSON object");
  }
  const binding = body as Binding;
  if (binding.kind !== undefined && binding.kind !== "Binding") {
    throw ApiError.badRequest(
      `the kind in the data (${binding.kind}) does not match the expected kind (Binding)`,
    );
  }
  const meta = binding.metadata ?? {};
  if (meta.namespace && meta.namespace !== namespace) {
    throw ApiError.badRequest(
      "the namespace of the provided object does not match the namespace sent on the request",
    );
  }
  if (meta.name !== name) throw ApiError.badRequest("name in URL does not match name in Binding object");
  const causes = validateBinding(binding);
  if (causes.length) throw ApiError.invalid("Binding", "", name, causes);

  const pods = registry.store(PODS);
  const key = objectKey(findResource("", "v1", "pods")!, namespace, name);
  for (let attempt = 0; ; attempt++) {
    const current = pods.get(namespace, name);
    const failed = preconditionFailure(current, binding);
    if (failed) throw failed;
    const refusal = bindingRefusal(current, name);
    if (refusal) throw ApiError.conflict(BINDINGS, name, refusal);
    // The bound pod shares the stored pod's frozen parts; only what binding changes is new.
    const annotations =
      meta.annotations && typeof meta.annotations === "object"
        ? { ...current.metadata.annotations, ...meta.annotations }
        : current.metadata.annotations;
    const pod = withFields(current, {
      metadata: withFields(current.metadata, { annotations, resourceVersion: undefined }),
      spec: withFields(current.spec, { nodeName: binding.target!.name }),
      status: { ...current.status },
    }) as KubeObject;
    markScheduled(pod, registry.clock.now());
    if (options.dryRun) break;
    const value = JSON.stringify(pod);
    // The cache takes this object itself once the write arrives, rather than parsing the text back.
    registry.cacher.prime(key, value, pod);
    try {
      const kv = await registry.backend.update(key, value, Number(current.metadata.resourceVersion));
      await registry.cacher.waitFor(kv.modRevision);
      break;
    } catch (e) {
      registry.cacher.unprime(key, value);
      if (isStorageError(e, "NotFound")) throw ApiError.notFound(PODS, name);
      if (!isStorageError(e, "Conflict")) throw e;
      // A resourceVersion precondition pins the write to one version: no retry can satisfy it.
      if (meta.resourceVersion || attempt >= CONFLICT_RETRIES) {
        throw ApiError.conflict(
          PODS,
          name,
          "the object has been modified; please apply your changes to the latest version and try again",
        );
      }
      await registry.cacher.catchUpAfter(e);
    }
  }
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 };
}
