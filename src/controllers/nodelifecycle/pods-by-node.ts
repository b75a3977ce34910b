// Pods by the node they are bound to: the pod informer index both the lifecycle controller and the taint
// manager read. The informer is shared, so the index is added only by whoever asks first.
import type { KubeObject } from "../../api/object.js";
import { indexByNodeName, NODE_NAME_INDEX, type SharedInformer } from "../../informer/index.js";

export function ensureNodeNameIndex(podInformer: SharedInformer<KubeObject>): void {
  if (!podInformer.store.hasIndex(NODE_NAME_INDEX))
    podInformer.addIndexers({ [NODE_NAME_INDEX]: indexByNodeName });
}
