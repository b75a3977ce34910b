// Which nodes a kubelet identity acts for: `system:node:<name>` for its one node, the in-process node fleet's
// identity for every node that fleet simulates (Nodes without the fleet label that external fleets put on the
// nodes they run). Shared by the node authorizer and the NodeRestriction admission.
import type { KubeObject } from "../../../api/object.js";
import { FLEET_LABEL } from "../../../nodes/node-template.js";
import { NODES_GROUP, nodeNameOf, type UserInfo } from "../user-info.js";

/** The in-process node fleet's identity: one user for every simulated kubelet of `everynode up`. */
export const NODE_FLEET_USERNAME = "system:node-fleet";

export interface NodeScope {
  /** How the identity is named in messages: the node name, or the fleet's username. */
  describe: string;
  actsFor(nodeName: string): boolean;
}

export function nodeScopeOf(
  user: UserInfo,
  graph: { node(name: string): KubeObject | undefined },
): NodeScope | undefined {
  const own = nodeNameOf(user);
  if (own !== undefined) return { describe: own, actsFor: (n) => n === own };
  if (user.username === NODE_FLEET_USERNAME && user.groups.includes(NODES_GROUP)) {
    return {
      describe: NODE_FLEET_USERNAME,
      actsFor: (n) => {
        const node = graph.node(n);
        return node !== undefined && node.metadata.labels?.[FLEET_LABEL] === undefined;
      },
    };
  }
  return undefined;
}
