// Required node affinity and nodeSelector matching as in k8s.io/component-helpers/scheduling/corev1/nodeaffinity:
// terms are ORed, the requirements inside a term ANDed, and a term that does not parse never matches.
import type {
  NodeSelector,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  PodSpec,
  Taint,
} from "kubernetes-types/core/v1.js";
import {
  type Labels,
  labelKeyErrors,
  parseLabelSelector,
  type Selector,
  selectorFromLabelSelector,
  selectorFromSet,
} from "../labels.js";

/** The parts of a Node that placement reads; a kubernetes-types Node or a plain KubeObject both fit. */
export interface NodeLike {
  metadata?: { name?: string; labels?: Labels };
  spec?: { taints?: Taint[]; unschedulable?: boolean };
}

/** The parts of a Pod that node matching reads. */
export interface PodSpecHolder {
  spec?: Pick<PodSpec, "nodeSelector" | "affinity">;
}

export type NodeMatcher = (node: NodeLike) => boolean;

/** The only node field a NodeSelectorRequirement may name (metav1.ObjectNameField). */
export const NODE_NAME_FIELD = "metadata.name";

const LABEL_OPERATORS: Readonly<Record<string, string>> = {
  In: "In",
  NotIn: "NotIn",
  Exists: "Exists",
  DoesNotExist: "DoesNotExist",
};

const INT64_RE = /^[+-]?[0-9]+$/;
const INT64_LIMIT = 2n ** 63n;

const isInt64 = (s: string): boolean => {
  if (!INT64_RE.test(s)) return false;
  const n = BigInt(s);
  return n >= -INT64_LIMIT && n < INT64_LIMIT;
};

/**
 * nodeSelectorRequirementsAsSelector: the label part of a term as one selector, or undefined when any requirement
 * is invalid (unknown operator, bad key or value, wrong number of values), which makes the whole term unusable.
 */
function labelRequirementsSelectors(
  requirements: readonly NodeSelectorRequirement[],
): Selector[] | undefined {
  const setBased: { key: string; operator: string; values?: string[] }[] = [];
  const selectors: Selector[] = [];
  for (const r of requirements) {
    if (Object.hasOwn(LABEL_OPERATORS, r.operator)) {
      setBased.push({ key: r.key, operator: r.operator, values: r.values });
      continue;
    }
    if (r.operator !== "Gt" && r.operator !== "Lt") return undefined;
    // Gt/Lt take exactly one integer; checking key and value first keeps the selector text unambiguous. The
    // parser still rejects what upstream rejects, such as "-1", which is not a valid label value.
    const values = r.values ?? [];
    if (values.length !== 1 || !isInt64(values[0]) || labelKeyErrors(r.key).length > 0) return undefined;
    try {
      selectors.push(parseLabelSelector(`${r.key}${r.operator === "Gt" ? ">" : "<"}${values[0]}`));
    } catch {
      return undefined;
    }
  }
  if (setBased.length > 0) {
    try {
      selectors.push(selectorFromLabelSelector({ matchExpressions: setBased }));
    } catch {
      return undefined;
    }
  }
  return selectors;
}

/** nodeSelectorRequirementsAsFieldSelector: In/NotIn with exactly one value; undefined when invalid. */
function fieldRequirementsMatcher(
  requirements: readonly NodeSelectorRequirement[],
): ((fields: ReadonlyMap<string, string>) => boolean) | undefined {
  const checks: ((fields: ReadonlyMap<string, string>) => boolean)[] = [];
  for (const r of requirements) {
    const values = r.values ?? [];
    if ((r.operator !== "In" && r.operator !== "NotIn") || values.length !== 1) return undefined;
    const wanted = values[0];
    // A field the node does not have reads as "", as fields.Set.Get does.
    checks.push(
      r.operator === "In" ? (f) => (f.get(r.key) ?? "") === wanted : (f) => (f.get(r.key) ?? "") !== wanted,
    );
  }
  return (fields) => checks.every((check) => check(fields));
}

function nodeFields(node: NodeLike): ReadonlyMap<string, string> {
  const name = node.metadata?.name;
  return name ? new Map([[NODE_NAME_FIELD, name]]) : new Map();
}

/**
 * One NodeSelectorTerm compiled: undefined when the term is empty (it selects nothing) or does not parse.
 * Exported for the scheduler's preferred-affinity scoring, which weighs terms one by one.
 */
export function compileNodeSelectorTerm(term: NodeSelectorTerm): NodeMatcher | undefined {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return undefined;
  const labelSelectors = expressions.length > 0 ? labelRequirementsSelectors(expressions) : [];
  const fieldMatcher = fields.length > 0 ? fieldRequirementsMatcher(fields) : () => true;
  if (!labelSelectors || !fieldMatcher) return undefined;
  return (node) => {
    const labels = node.metadata?.labels;
    if (!labelSelectors.every((s) => s.matches(labels))) return false;
    // Upstream skips the field check for a node without a name.
    const f = nodeFields(node);
    return f.size === 0 || fieldMatcher(f);
  };
}

/** LazyErrorNodeSelector: the terms ORed; no usable term means no node matches. */
export function compileNodeSelector(selector: NodeSelector): NodeMatcher {
  const terms = (selector.nodeSelectorTerms ?? [])
    .map(compileNodeSelectorTerm)
    .filter((t): t is NodeMatcher => t !== undefined);
  return (node) => terms.some((term) => term(node));
}

/** MatchNodeSelectorTerms: whether the node matches a NodeSelector (terms ORed). */
export function nodeMatchesNodeSelector(node: NodeLike, selector: NodeSelector): boolean {
  return compileNodeSelector(selector)(node);
}

/**
 * GetRequiredNodeAffinity(pod).Match compiled once: the pod's nodeSelector (exact label matches) AND its required
 * node affinity. Parse errors count as "does not match", as the DaemonSet controller and the scheduler treat them.
 */
export function compileRequiredNodeAffinity(spec: PodSpecHolder["spec"]): NodeMatcher {
  const nodeSelector = spec?.nodeSelector;
  const labelSelector =
    nodeSelector && Object.keys(nodeSelector).length > 0 ? selectorFromSet(nodeSelector) : null;
  const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const affinity = required ? compileNodeSelector(required) : null;
  return (node) => {
    if (labelSelector && !labelSelector.matches(node.metadata?.labels)) return false;
    return affinity ? affinity(node) : true;
  };
}

/** Whether the node satisfies the pod's nodeSelector and required node affinity. */
export function podMatchesNodeSelectorAndAffinityTerms(pod: PodSpecHolder, node: NodeLike): boolean {
  return compileRequiredNodeAffinity(pod.spec)(node);
}
