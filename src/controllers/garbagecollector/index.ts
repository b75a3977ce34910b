// The garbage collector controller: deletes objects whose owners are gone, and carries out foreground and
// orphan deletions, over ownerReferences of every served resource.
export { DEFAULT_GC_WORKERS, GarbageCollector, type GarbageCollectorOptions } from "./garbage-collector.js";
export {
  FOREGROUND_FINALIZER,
  GraphNode,
  type ObjectIdentity,
  ORPHAN_FINALIZER,
} from "./graph.js";
export { GraphBuilder, type GraphEvent, type GraphQueues } from "./graph-builder.js";
