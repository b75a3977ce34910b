// The informer package: reflector (list + watch), cache with indexes, shared informers and their factory, listers.
export { Backoff, type BackoffOptions } from "./backoff.js";
export { InformerFactory, type InformerScope } from "./factory.js";
export {
  type Indexers,
  type IndexFunc,
  indexByNamespace,
  indexByNodeName,
  indexByOwnerUid,
  NAMESPACE_INDEX,
  NODE_NAME_INDEX,
  OWNER_UID_INDEX,
} from "./indexers.js";
export { Lister } from "./lister.js";
export { Reflector, type ReflectorOptions, type ReflectorState, type ReflectorTarget } from "./reflector.js";
export {
  type HandlerRegistration,
  type ResourceEventHandler,
  SharedInformer,
  type SharedInformerOptions,
} from "./shared-informer.js";
export { deepFreeze, ObjectStore, type StoreChange, type StoreReader } from "./store.js";
