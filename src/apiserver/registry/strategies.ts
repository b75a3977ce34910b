// Per-kind strategies (upstream pkg/registry/<group>/<kind>/strategy.go): what is reset on create, carried over
// on update, when generation bumps, how pods and namespaces delete, and which validation and defaults apply.
import { addNamespaceCreateFinalizer } from "../../api/defaults/index.js";
import { jsonEqual } from "../../api/equal.js";
import { deepCopy, type KubeObject, withFields } from "../../api/object.js";
import type { ResourceInfo } from "../../api/resources.js";
import { admitPodServiceAccount } from "../admission/service-account.js";
import { kindRules } from "./kind-rules.js";
import { carryAllocatedValues, dropTypeDependentFields, normalizeClusterIPs } from "./service-allocation.js";
import type { Strategy } from "./strategy.js";

/** Annotation carrying DaemonSet spec.templateGeneration in apps/v1. */
export const TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation";

function baseStrategy(info: ResourceInfo): Strategy {
  const rules = kindRules(info.group, info.kind);
  const hasStatus = info.subresources.some((s) => s.name === "status");
  return {
    hasStatus,
    allowCreateOnUpdate: false,
    returnDeletedObject: false,
    applyDefaults: (obj) => rules.applyDefaults(obj),
    prepareForCreate: (obj) => {
      if (hasStatus) delete obj.status;
    },
    prepareForUpdate: (obj, old) => {
      if (hasStatus) {
        if (old.status === undefined) delete obj.status;
        else obj.status = old.status;
      }
    },
    prepareForStatusUpdate: (obj, old) => {
      // Only status may change through /status; metadata keeps labels and annotations from the request
      // as upstream does, everything else comes from the stored object.
      // The rest is `old`'s own (frozen) parts, shared rather than copied: the new version costs only its
      // status and metadata, and old versions kept in the watch window share their spec with it.
      const { labels, annotations } = obj.metadata;
      const metadata = withFields(deepCopy(old.metadata), { labels, annotations });
      return withFields(old, { metadata, status: obj.status }, "metadata") as KubeObject;
    },
    validate: (obj) => rules.validate(obj),
    validateUpdate: (obj, old) => rules.validateUpdate(obj, old),
    validateStatusUpdate: (obj, old) => rules.validateStatusUpdate(obj, old),
    gracePeriod: () => 0,
  };
}

/** spec changed: the signal for generation (upstream compares spec with apiequality.Semantic.DeepEqual). */
const specChanged = (obj: KubeObject, old: KubeObject) => !jsonEqual(obj.spec, old.spec);

function daemonSetStrategy(info: ResourceInfo): Strategy {
  const base = baseStrategy(info);
  return {
    ...base,
    prepareForCreate: (obj) => {
      obj.status = {
        currentNumberScheduled: 0,
        numberMisscheduled: 0,
        desiredNumberScheduled: 0,
        numberReady: 0,
      };
      obj.metadata.generation = 1;
      obj.metadata.annotations = { ...obj.metadata.annotations, [TEMPLATE_GENERATION_ANNOTATION]: "1" };
    },
    prepareForUpdate: (obj, old) => {
      base.prepareForUpdate(obj, old);
      const oldTemplateGeneration = Number(old.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION] ?? "0");
      let templateGeneration = oldTemplateGeneration;
      if (!jsonEqual(obj.spec?.template, old.spec?.template)) templateGeneration++;
      obj.metadata.annotations = {
        ...obj.metadata.annotations,
        [TEMPLATE_GENERATION_ANNOTATION]: String(templateGeneration),
      };
      obj.metadata.generation = (old.metadata.generation ?? 1) + (specChanged(obj, old) ? 1 : 0);
    },
  };
}

/** Upstream's PodDisruptionBudget strategy: status starts empty, and only spec changes bump generation. */
function podDisruptionBudgetStrategy(info: ResourceInfo): Strategy {
  const base = baseStrategy(info);
  return {
    ...base,
    prepareForCreate: (obj) => {
      obj.status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
      obj.metadata.generation = 1;
    },
    prepareForUpdate: (obj, old) => {
      base.prepareForUpdate(obj, old);
      if (specChanged(obj, old)) obj.metadata.generation = (old.metadata.generation ?? 0) + 1;
    },
  };
}

/** Upstream qos.GetPodQOS, reduced to the requests and limits of regular and init containers. */
export function podQosClass(spec: KubeObject["spec"]): string {
  const containers = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
  let anyResource = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    for (const r of ["cpu", "memory"]) {
      if (req[r] !== undefined || lim[r] !== undefined) anyResource = true;
      if (lim[r] === undefined || (req[r] !== undefined && String(req[r]) !== String(lim[r])))
        guaranteed = false;
    }
  }
  if (!anyResource) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}

/**
 * The Priority admission plugin's update half: a pod written back without spec.priority or
 * spec.preemptionPolicy keeps what admission set on create (validation forbids changing them).
 */
function carryAdmittedPriority(obj: KubeObject, old: KubeObject): void {
  if (!old.spec || !obj.spec) return;
  for (const field of ["priority", "preemptionPolicy"]) {
    if (obj.spec[field] === undefined && old.spec[field] !== undefined) obj.spec[field] = old.spec[field];
  }
}

function podStrategy(info: ResourceInfo): Strategy {
  const base = baseStrategy(info);
  return {
    ...base,
    returnDeletedObject: true,
    prepareForCreate: (obj) => {
      admitPodServiceAccount(obj);
      obj.status = { phase: "Pending", qosClass: podQosClass(obj.spec) };
    },
    prepareForUpdate: (obj, old) => {
      base.prepareForUpdate(obj, old);
      carryAdmittedPriority(obj, old);
    },
    gracePeriod: (obj, requested) => {
      // Upstream CheckGracefulDelete: unbound and finished pods go at once; others wait for their kubelet.
      if (!obj.spec?.nodeName) return 0;
      const phase = obj.status?.phase;
      if (phase === "Succeeded" || phase === "Failed") return 0;
      const grace = requested ?? obj.spec?.terminationGracePeriodSeconds ?? 30;
      return Math.max(0, grace);
    },
  };
}

function nodeStrategy(info: ResourceInfo): Strategy {
  const base = baseStrategy(info);
  return {
    ...base,
    // Kubelets register a node together with its status.
    prepareForCreate: () => {},
  };
}

function namespaceStrategy(info: ResourceInfo): Strategy {
  const base = baseStrategy(info);
  return {
    ...base,
    prepareForCreate: (obj) => {
      obj.status = { phase: "Active" };
      addNamespaceCreateFinalizer(obj);
    },
    prepareForUpdate: (obj, old) => {
      base.prepareForUpdate(obj, old);
      // spec.finalizers change only through /finalize (the namespace controller).
      obj.spec = old.spec;
      if (obj.spec === undefined) delete obj.spec;
    },
    holdsDeletion: (obj) => (obj.spec?.finalizers ?? []).length > 0,
    onDeletionMarked: (obj) => {
      obj.status = { ...obj.status, phase: "Terminating" };
      // Upstream's namespace registry sets only deletionTimestamp.
      delete obj.metadata.deletionGracePeriodSeconds;
    },
  };
}

function serviceStrategy(info: ResourceInfo): Strategy {
  const base = baseStrategy(info);
  return {
    ...base,
    prepareForCreate: (obj) => {
      obj.status = { loadBalancer: {} };
      normalizeClusterIPs(obj, undefined);
    },
    prepareForUpdate: (obj, old) => {
      base.prepareForUpdate(obj, old);
      carryAllocatedValues(obj, old);
      normalizeClusterIPs(obj, old);
      dropTypeDependentFields(obj, old);
    },
  };
}

function eventStrategy(info: ResourceInfo): Strategy {
  return { ...baseStrategy(info), allowCreateOnUpdate: true };
}

export function strategyFor(info: ResourceInfo): Strategy {
  switch (`${info.group}/${info.kind}`) {
    case "apps/DaemonSet":
      return daemonSetStrategy(info);
    case "/Pod":
      return podStrategy(info);
    case "/Node":
      return nodeStrategy(info);
    case "/Namespace":
      return namespaceStrategy(info);
    case "/Event":
      return eventStrategy(info);
    case "/Service":
      return serviceStrategy(info);
    case "policy/PodDisruptionBudget":
      return podDisruptionBudgetStrategy(info);
    default:
      return baseStrategy(info);
  }
}
