// The part of upstream's NodeRestriction admission the authorizer cannot do, because a create carries its name
// in the body: a kubelet identity creates only its own Node and its own Lease in kube-node-lease.
import type { KubeObject } from "../../../api/object.js";
import type { ResourceInfo } from "../../../api/resources.js";
import { requestUser } from "../request-user.js";
import { forbiddenFor } from "./forbidden.js";
import type { NodeGraph } from "./node-authorizer.js";
import { nodeScopeOf } from "./node-scope.js";

export class NodeRestriction {
  constructor(private readonly graph: NodeGraph) {}

  admitCreate(resource: ResourceInfo, obj: KubeObject): void {
    const user = requestUser();
    const scope = user && nodeScopeOf(user, this.graph);
    if (!scope) return;
    const name = obj.metadata.name ?? "";
    const ref = { group: resource.group, resource: resource.resource };
    if (resource.group === "coordination.k8s.io" && resource.resource === "leases" && !scope.actsFor(name)) {
      throw forbiddenFor(ref, name, "can only access node lease with the same name as the requesting node");
    }
    if (resource.group === "" && resource.resource === "nodes" && !scope.actsFor(name)) {
      throw forbiddenFor(
        ref,
        name,
        `node ${JSON.stringify(scope.describe)} is not allowed to modify node ${JSON.stringify(name)}`,
      );
    }
  }
}
