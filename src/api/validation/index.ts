// Validation entry points by kind. Keys are "<group>/<Kind>", the core group being empty: "/Pod", "/Node",
// "apps/DaemonSet", "rbac.authorization.k8s.io/Role" (build them with kindKey). Objects are apps/v1, v1 …
// wire JSON after defaulting; an empty result means valid. Unknown kinds are not checked here.
import {
  validateControllerRevision,
  validateControllerRevisionUpdate,
  validateDaemonSet,
  validateDaemonSetStatusUpdate,
  validateDaemonSetUpdate,
} from "./apps.js";
import {
  validateConfigMap,
  validateConfigMapUpdate,
  validateSecret,
  validateSecretUpdate,
} from "./config-data.js";
import {
  validateEndpointSlice,
  validateEndpointSliceUpdate,
  validateEndpoints,
  validateEndpointsUpdate,
} from "./discovery.js";
import { validateEvent, validateEventUpdate, validateLease, validateLeaseUpdate } from "./event-lease.js";
import type { FieldError } from "./field-errors.js";
import { asRecord } from "./json-access.js";
import { validateLimitRange, validateLimitRangeUpdate } from "./limit-range.js";
import { validateObjectMetaUpdate } from "./meta.js";
import {
  validateNamespace,
  validateNamespaceStatusUpdate,
  validateNamespaceUpdate,
  validateServiceAccount,
  validateServiceAccountUpdate,
} from "./namespace.js";
import { validateNode, validateNodeUpdate } from "./node.js";
import { validateBinding, validatePodCreate, validatePodStatusUpdate, validatePodUpdate } from "./pod.js";
import {
  validatePodDisruptionBudget,
  validatePodDisruptionBudgetStatusUpdate,
  validatePodDisruptionBudgetUpdate,
} from "./policy.js";
import {
  validateClusterRole,
  validateClusterRoleBinding,
  validateClusterRoleBindingUpdate,
  validateClusterRoleUpdate,
  validateRole,
  validateRoleBinding,
  validateRoleBindingUpdate,
  validateRoleUpdate,
} from "./rbac.js";
import {
  validateResourceQuota,
  validateResourceQuotaStatusUpdate,
  validateResourceQuotaUpdate,
} from "./resource-quota.js";
import { validatePriorityClass, validatePriorityClassUpdate } from "./scheduling.js";
import { validateService, validateServiceUpdate } from "./service.js";

type Create = (obj: unknown) => FieldError[];
type Update = (obj: unknown, old: unknown) => FieldError[];

interface KindRules {
  create: Create;
  /** Absent for kinds that are only ever created (Binding). */
  update?: Update;
  /** The /status subresource; defaults to metadata-only rules. */
  status?: Update;
}

export const kindKey = (group: string, kind: string): string => `${group}/${kind}`;

const metadataOnlyUpdate: Update = (obj, old) =>
  validateObjectMetaUpdate(asRecord(obj).metadata, asRecord(old).metadata);

const RULES = new Map<string, KindRules>([
  [
    "apps/DaemonSet",
    { create: validateDaemonSet, update: validateDaemonSetUpdate, status: validateDaemonSetStatusUpdate },
  ],
  [
    "apps/ControllerRevision",
    { create: validateControllerRevision, update: validateControllerRevisionUpdate },
  ],
  ["/Pod", { create: validatePodCreate, update: validatePodUpdate, status: validatePodStatusUpdate }],
  ["/Binding", { create: validateBinding }],
  // Node status writes are checked by the full node update rules, as upstream's status strategy does.
  ["/Node", { create: validateNode, update: validateNodeUpdate, status: validateNodeUpdate }],
  [
    "/Namespace",
    { create: validateNamespace, update: validateNamespaceUpdate, status: validateNamespaceStatusUpdate },
  ],
  ["/ConfigMap", { create: validateConfigMap, update: validateConfigMapUpdate }],
  ["/Secret", { create: validateSecret, update: validateSecretUpdate }],
  [
    "/ResourceQuota",
    {
      create: validateResourceQuota,
      update: validateResourceQuotaUpdate,
      status: validateResourceQuotaStatusUpdate,
    },
  ],
  ["/LimitRange", { create: validateLimitRange, update: validateLimitRangeUpdate }],
  ["/ServiceAccount", { create: validateServiceAccount, update: validateServiceAccountUpdate }],
  ["/Service", { create: validateService, update: validateServiceUpdate }],
  ["/Endpoints", { create: validateEndpoints, update: validateEndpointsUpdate }],
  ["discovery.k8s.io/EndpointSlice", { create: validateEndpointSlice, update: validateEndpointSliceUpdate }],
  ["/Event", { create: validateEvent, update: validateEventUpdate }],
  ["coordination.k8s.io/Lease", { create: validateLease, update: validateLeaseUpdate }],
  [
    "policy/PodDisruptionBudget",
    {
      create: validatePodDisruptionBudget,
      update: validatePodDisruptionBudgetUpdate,
      status: validatePodDisruptionBudgetStatusUpdate,
    },
  ],
  ["rbac.authorization.k8s.io/Role", { create: validateRole, update: validateRoleUpdate }],
  [
    "rbac.authorization.k8s.io/ClusterRole",
    { create: validateClusterRole, update: validateClusterRoleUpdate },
  ],
  [
    "rbac.authorization.k8s.io/RoleBinding",
    { create: validateRoleBinding, update: validateRoleBindingUpdate },
  ],
  [
    "rbac.authorization.k8s.io/ClusterRoleBinding",
    { create: validateClusterRoleBinding, update: validateClusterRoleBindingUpdate },
  ],
  ["scheduling.k8s.io/PriorityClass", { create: validatePriorityClass, update: validatePriorityClassUpdate }],
]);

/** Whether the kind has validation rules here. */
export const hasValidation = (key: string): boolean => RULES.has(key);

export function validateCreate(key: string, obj: unknown): FieldError[] {
  return RULES.get(key)?.create(obj) ?? [];
}

export function validateUpdate(key: string, obj: unknown, old: unknown): FieldError[] {
  const rules = RULES.get(key);
  if (!rules) return [];
  return (rules.update ?? metadataOnlyUpdate)(obj, old);
}

export function validateStatusUpdate(key: string, obj: unknown, old: unknown): FieldError[] {
  const rules = RULES.get(key);
  if (!rules) return [];
  return (rules.status ?? metadataOnlyUpdate)(obj, old);
}

export { TEMPLATE_GENERATION_ANNOTATION, templateGenerationOf } from "./apps.js";
export {
  dedupe,
  duplicate,
  FieldError,
  type FieldErrorType,
  forbidden,
  internalError,
  invalid,
  notFound,
  notSupported,
  required,
  toApiError,
  tooLong,
  tooMany,
} from "./field-errors.js";
export { FieldPath } from "./field-path.js";
export { formatBadValue, GoValue, goQuote } from "./go-format.js";
export { labelSelectorAsMatcher, validateLabelSelector, validateLabels } from "./labels.js";
export { validateObjectMeta, validateObjectMetaUpdate } from "./meta.js";
export {
  isConfigMapKey,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPercent,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
} from "./names.js";
