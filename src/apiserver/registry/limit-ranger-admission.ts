// The LimitRanger admission plugin as the registry runs it, in upstream's two phases: while mutating, the
// namespace's LimitRanges fill in container defaults of a pod being created; once every mutation is done, a pod
// they changed is validated again (upstream validates after mutating admission), and it must then meet every
// LimitRange's bounds or is refused with 403 Forbidden.
import type { KubeObject } from "../../api/object.js";
import { LIMIT_RANGES, PODS, type ResourceInfo } from "../../api/resources.js";
import { toApiError } from "../../api/validation/field-errors.js";
import { kindKey, validateCreate } from "../../api/validation/index.js";
import { aggregateErrorText } from "../../util/aggregate-errors.js";
import { applyContainerDefaults, podLimitViolations } from "../admission/limit-ranger.js";
import type { Cacher } from "../watchcache/cacher.js";
import { admissionForbidden } from "./priority-admission.js";

/** Where the plugin finds a namespace's LimitRanges. */
export type LimitRangeReader = (namespace: string) => KubeObject[];

/**
 * The namespace's LimitRanges as the watch cache holds them. Upstream's plugin reads an informer and, when that
 * shows none, looks the namespace up live (an informer may lag behind a LimitRange created a moment ago). Here
 * a write returns only once the cache holds it, so the cache never lags behind an acknowledged LimitRange and a
 * live lookup — a wait on every pod create in the many namespaces without one — would change nothing.
 */
export function limitRangesFromCache(cacher: Cacher): LimitRangeReader {
  return (namespace) => cacher.cache(LIMIT_RANGES).list({ namespace });
}

/** The validating half of the plugin for one create, run after every mutating plugin. */
export type LimitCheck = (messageName: string) => void;

export class LimitRangerAdmission {
  constructor(private readonly limitRanges: LimitRangeReader) {}

  /** Mutates a pod being created; returns the check to run once mutation is over (none for other kinds). */
  async admitCreate(info: ResourceInfo, pod: KubeObject): Promise<LimitCheck | undefined> {
    if (info.group !== PODS.group || info.resource !== PODS.resource) return undefined;
    const ns = pod.metadata.namespace!;
    const ranges = this.limitRanges(ns);
    if (ranges.length === 0) return undefined;
    let defaulted = false;
    for (const limitRange of ranges) defaulted = applyContainerDefaults(limitRange, pod) || defaulted;
    return (messageName) => {
      if (defaulted) {
        const errors = validateCreate(kindKey(PODS.group, PODS.kind), pod);
        if (errors.length > 0) throw toApiError(PODS.kind, PODS.group, pod.metadata.name ?? "", errors);
      }
      for (const limitRange of ranges) {
        const violations = podLimitViolations(limitRange, pod);
        if (violations.length > 0)
          throw admissionForbidden(PODS, messageName, aggregateErrorText(violations));
      }
    };
  }
}
