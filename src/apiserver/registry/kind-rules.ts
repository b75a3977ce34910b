// Binds each kind to its defaulting and validation (src/api/defaults, src/api/validation), turning field
// errors into Status causes for the registry store.
import { applyDefaults } from "../../api/defaults/index.js";
import type { StatusCause } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import {
  type FieldError,
  kindKey,
  validateCreate,
  validateStatusUpdate,
  validateUpdate,
} from "../../api/validation/index.js";

export interface KindRules {
  applyDefaults(obj: KubeObject): void;
  validate(obj: KubeObject): StatusCause[];
  validateUpdate(obj: KubeObject, old: KubeObject): StatusCause[];
  validateStatusUpdate(obj: KubeObject, old: KubeObject): StatusCause[];
}

/** Repeated errors (same field, same message) are reported once, as upstream's aggregate does. */
function causes(errors: FieldError[]): StatusCause[] {
  const seen = new Set<string>();
  const out: StatusCause[] = [];
  for (const e of errors) {
    const c = e.toCause();
    const id = `${c.field}\u0000${c.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(c);
  }
  return out;
}

export function kindRules(group: string, kind: string): KindRules {
  const key = kindKey(group, kind);
  return {
    applyDefaults: (obj) => {
      applyDefaults(group, kind, obj);
    },
    validate: (obj) => causes(validateCreate(key, obj)),
    validateUpdate: (obj, old) => causes(validateUpdate(key, obj, old)),
    validateStatusUpdate: (obj, old) => causes(validateStatusUpdate(key, obj, old)),
  };
}
