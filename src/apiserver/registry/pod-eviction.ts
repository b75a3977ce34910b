// The pods/eviction subresource (upstream EvictionREST): deletes a pod unless its PodDisruptionBudget forbids
// it, spending one allowed disruption with a resourceVersion-guarded status write first. Shared by the HTTP
// handler and LocalClient; the decisions themselves are the pure functions of eviction-policy.ts.
import { ApiError, isConflict, type Status } from "../../api/errors.js";
import { deepCopy, type KubeObject } from "../../api/object.js";
import { DISRUPTION_TARGET, updatePodCondition } from "../../api/pod-conditions.js";
import { POD_DISRUPTION_BUDGETS, PODS } from "../../api/resources.js";
import {
  budgetBeingProcessed,
  budgetsForPod,
  canIgnoreBudget,
  checkAndDecrement,
  MULTIPLE_BUDGETS_MESSAGE,
  shouldEnforceResourceVersion,
  unhealthyPodMayBeEvicted,
} from "./eviction-policy.js";
import type { Registry } from "./registry.js";
import type { DeleteOptions } from "./store.js";

export interface EvictionOptions {
  /** The request's dryRun=All; it must agree with the Eviction's own deleteOptions.dryRun. */
  dryRun?: boolean;
}

/** Upstream's EvictionsRetry allows 20 attempts for writes lost to concurrent updates. */
const CONFLICT_RETRIES = 20;
/** Both versions of the Eviction body are accepted, as upstream's AcceptsGroupVersion says. */
const EVICTION_VERSIONS = ["policy/v1", "policy/v1beta1"];
const PROPAGATION_POLICIES = ["Orphan", "Background", "Foreground"];

const success = (): Status => ({
  kind: "Status",
  apiVersion: "v1",
  metadata: {},
  status: "Success",
  code: 201,
});

interface Eviction {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  deleteOptions?: Record<string, any> | null;
}

/** Checks the body names this pod and is an Eviction of an accepted version. */
function parseEviction(body: unknown, namespace: string, name: string): Eviction {
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw ApiError.badRequest("not a Eviction object: the body must be a JSON object");
  }
  const eviction = body as Eviction;
  if (eviction.kind !== undefined && eviction.kind !== "Eviction") {
    throw ApiError.badRequest(
      `the kind in the data (${eviction.kind}) does not match the expected kind (Eviction)`,
    );
  }
  if (eviction.apiVersion !== undefined && !EVICTION_VERSIONS.includes(eviction.apiVersion)) {
    throw ApiError.badRequest(
      `the API version in the data (${eviction.apiVersion}) does not match the expected API version (policy/v1)`,
    );
  }
  const meta = eviction.metadata ?? {};
  if (meta.namespace && meta.namespace !== namespace) {
    throw ApiError.badRequest(
      "the namespace of the provided object does not match the namespace sent on the request",
    );
  }
  if (meta.name !== name) throw ApiError.badRequest("name in URL does not match name in Eviction object");
  return eviction;
}

const goSlice = (values: readonly string[]): string => `[${values.join(" ")}]`;

/**
 * propagateDryRun plus DeleteOptions decoding: the request's dryRun fills in an Eviction that has none, and
 * the two must agree when both are given.
 */
function deleteOptionsOf(eviction: Eviction, options: EvictionOptions): DeleteOptions {
  const body = eviction.deleteOptions ?? {};
  const requested = options.dryRun ? ["All"] : [];
  const given: string[] = Array.isArray(body.dryRun) ? body.dryRun.map(String) : [];
  if (requested.length > 0 && given.length > 0 && goSlice(requested) !== goSlice(given)) {
    throw ApiError.internal(
      `Non-matching dry-run options in request and content: ${goSlice(requested)} and ${goSlice(given)}`,
    );
  }
  const dryRun = given.length > 0 ? given : requested;
  for (const d of dryRun)
    if (d !== "All") throw ApiError.badRequest(`Invalid dry run value: ${d}; only "All" is supported`);
  const policy = body.propagationPolicy;
  if (policy !== undefined && policy !== null && !PROPAGATION_POLICIES.includes(policy)) {
    throw ApiError.badRequest(`propagationPolicy must be Orphan, Background or Foreground, got "${policy}"`);
  }
  return {
    gracePeriodSeconds: typeof body.gracePeriodSeconds === "number" ? body.gracePeriodSeconds : undefined,
    propagationPolicy: policy ?? undefined,
    orphanDependents: typeof body.orphanDependents === "boolean" ? body.orphanDependents : undefined,
    preconditions: body.preconditions ?? undefined,
    dryRun: dryRun.length > 0,
  };
}

const resourceVersionIsUnset = (o: DeleteOptions): boolean => !o.preconditions?.resourceVersion;

const pinnedTo = (o: DeleteOptions, resourceVersion: string | undefined): DeleteOptions => ({
  ...o,
  preconditions: { ...o.preconditions, resourceVersion },
});

/** Runs `attempt` again, on fresh state, while it fails with a Conflict and `retry` allows it. */
async function retryOnConflict<T>(
  registry: Registry,
  retry: boolean,
  attempt: (n: number) => Promise<T>,
): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (e) {
      if (!retry || !isConflict(e) || n + 1 >= CONFLICT_RETRIES) throw e;
      await registry.cacher.catchUpAfter(e);
    }
  }
}

function preconditionConflict(pod: KubeObject, options: DeleteOptions): ApiError | undefined {
  const ref = { group: "", resource: "Pod" };
  const name = pod.metadata.name!;
  const { uid, resourceVersion } = options.preconditions ?? {};
  if (uid && uid !== pod.metadata.uid) {
    return ApiError.conflict(
      ref,
      name,
      `the UID in the precondition (${uid}) does not match the UID in record (${pod.metadata.uid}). The object might have been deleted and then recreated`,
    );
  }
  if (resourceVersion && resourceVersion !== pod.metadata.resourceVersion) {
    return ApiError.conflict(
      ref,
      name,
      `the ResourceVersion in the precondition (${resourceVersion}) does not match the ResourceVersion in record (${pod.metadata.resourceVersion}). The object might have been modified`,
    );
  }
  return undefined;
}

/**
 * GuaranteedUpdate of the pod's status: `mutate` runs on the latest version (and may refuse it by throwing);
 * a write lost to a concurrent update is tried again on the newer version.
 */
async function updateLatestPodStatus(
  registry: Registry,
  namespace: string,
  name: string,
  mutate: (pod: KubeObject) => void,
): Promise<KubeObject> {
  const pods = registry.store(PODS);
  return retryOnConflict(registry, true, async () => {
    const pod = deepCopy(pods.get(namespace, name));
    mutate(pod);
    return pods.update(namespace, name, pod, { subresource: "status" });
  });
}

/**
 * addConditionAndDeletePod: marks the pod DisruptionTarget=True (EvictionByEvictionAPI) on its latest
 * version, then deletes it. A resourceVersion precondition follows the pod across that status write.
 */
async function addConditionAndDeletePod(
  registry: Registry,
  namespace: string,
  name: string,
  options: DeleteOptions,
): Promise<void> {
  let deleteOptions = options;
  if (!options.dryRun) {
    const updated = await updateLatestPodStatus(registry, namespace, name, (pod) => {
      const refused = preconditionConflict(pod, options);
      if (refused) throw refused;
      const condition = {
        type: DISRUPTION_TARGET,
        status: "True",
        reason: "EvictionByEvictionAPI",
        message: "Eviction API: evicting",
      };
      updatePodCondition(pod, condition, registry.clock.now());
    });
    if (!resourceVersionIsUnset(options)) deleteOptions = pinnedTo(options, updated.metadata.resourceVersion);
  }
  await registry.store(PODS).delete(namespace, name, deleteOptions);
}

/**
 * Spends one disruption of `pdb` for `podName` (checkAndDecrement), re-reading the budget after a conflict.
 * A dry run checks without writing.
 */
async function spendDisruption(
  registry: Registry,
  pdb: KubeObject,
  podName: string,
  dryRun: boolean,
): Promise<void> {
  const budgets = registry.store(POD_DISRUPTION_BUDGETS);
  const { namespace, name } = pdb.metadata;
  await retryOnConflict(registry, true, async (n) => {
    const current = n === 0 ? pdb : budgets.get(namespace!, name!);
    const spent = checkAndDecrement(current, podName, registry.clock.now());
    if (!dryRun) await budgets.update(namespace!, name!, spent, { subresource: "status" });
  });
}

/**
 * POST pods/{name}/eviction. Resolves with the Status to answer: Success (201) once the pod is deleted or
 * marked for deletion, or the 500 Failure upstream answers for a pod under several budgets. Refusals (429
 * TooManyRequests with a DisruptionBudget cause, 404, 409) are thrown as ApiErrors.
 */
export async function evictPod(
  registry: Registry,
  namespace: string,
  name: string,
  body: unknown,
  options: EvictionOptions = {},
): Promise<Status> {
  const eviction = parseEviction(body, namespace, name);
  const original = deleteOptionsOf(eviction, options);
  const pods = registry.store(PODS);

  // A finished, pending or deleting pod goes without consulting budgets; the delete is retried on conflicts
  // unless the client pinned a resourceVersion itself.
  let pod: KubeObject | undefined;
  const deleted = await retryOnConflict(registry, resourceVersionIsUnset(original), async () => {
    pod = pods.get(namespace, name);
    if (!canIgnoreBudget(pod)) return false;
    const pinned =
      shouldEnforceResourceVersion(pod) && resourceVersionIsUnset(original)
        ? pinnedTo(original, pod.metadata.resourceVersion)
        : original;
    await addConditionAndDeletePod(registry, namespace, name, pinned);
    return true;
  });
  if (deleted) return success();

  const candidate = pod!;
  const { items } = await registry.store(POD_DISRUPTION_BUDGETS).list(namespace);
  const budgets = budgetsForPod(candidate, items);
  if (budgets.length > 1) {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: MULTIPLE_BUDGETS_MESSAGE,
      code: 500,
    };
  }
  const pdb = budgets[0];
  // An unready pod that may go without spending the budget is deleted only in the version checked here.
  const pinToPod = pdb !== undefined && unhealthyPodMayBeEvicted(candidate, pdb);
  if (pdb && !pinToPod) await spendDisruption(registry, pdb, name, original.dryRun === true);

  const deleteOptions = pinToPod ? pinnedTo(original, candidate.metadata.resourceVersion) : original;
  try {
    await addConditionAndDeletePod(registry, namespace, name, deleteOptions);
  } catch (e) {
    // The pod changed since it was judged unhealthy: the client should ask again.
    if (isConflict(e) && pinToPod && resourceVersionIsUnset(original))
      throw budgetBeingProcessed(pdb.metadata.name!);
    throw e;
  }
  return success();
}
