// The pods/ephemeralcontainers subresource (what `kubectl debug POD --image=…` patches): a write through it
// changes spec.ephemeralContainers and nothing else, as upstream's podEphemeralContainersStrategy keeps the rest
// of the stored pod.
import { deepCopy, type KubeObject, withFields } from "../../api/object.js";

export function ephemeralContainersUpdate(obj: KubeObject, old: KubeObject): KubeObject {
  const copy = deepCopy(old);
  const spec = withFields(copy.spec ?? {}, { ephemeralContainers: obj.spec?.ephemeralContainers });
  return withFields(copy, { metadata: copy.metadata, spec }, "metadata") as KubeObject;
}
