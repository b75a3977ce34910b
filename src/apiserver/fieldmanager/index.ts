// Server-side apply and managed fields: the field manager the registry store runs on every write, and the
// request-option helpers the HTTP handler uses (manager from fieldManager or User-Agent, PatchOptions checks).
export {
  type ApplyContext,
  FieldManager,
  type FieldManagerOptions,
  type WriteContext,
} from "./field-manager.js";
export {
  managerFromUserAgent,
  managerOrUserAgent,
  validatePatchOptions,
  validateWriteOptions,
} from "./request-options.js";
