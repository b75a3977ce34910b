// The identity each built-in component acts as through the in-process client, as upstream's components do with
// their own credentials: controllers as ServiceAccounts in kube-system (kube-controller-manager's
// --use-service-account-credentials), the scheduler and the shared informers as their users, and the node
// fleet as one kubelet identity limited by the node authorizer to the nodes it simulates. The bootstrap policy
// binds exactly these identities.

import { KUBE_CONTROLLER_MANAGER, KUBE_SCHEDULER } from "./authz/bootstrap/cluster-roles.js";
import {
  CONTROLLER_NAMESPACE,
  DAEMON_SET_CONTROLLER,
  DISRUPTION_CONTROLLER,
  ENDPOINT_CONTROLLER,
  ENDPOINT_SLICE_CONTROLLER,
  GARBAGE_COLLECTOR,
  NODE_CONTROLLER,
  POD_GARBAGE_COLLECTOR,
  RESOURCE_QUOTA_CONTROLLER,
  SERVICE_ACCOUNT_CONTROLLER,
} from "./authz/bootstrap/controller-roles.js";
import { NODE_FLEET_USERNAME } from "./authz/node-scope.js";
import { ALL_AUTHENTICATED, NODES_GROUP, serviceAccountUser, type UserInfo } from "./user-info.js";

const controller = (name: string): UserInfo => serviceAccountUser(CONTROLLER_NAMESPACE, name);

export const COMPONENT_USERS = {
  /** The shared informers: list and watch of everything the components read. */
  sharedInformers: { username: KUBE_CONTROLLER_MANAGER, groups: [ALL_AUTHENTICATED] },
  scheduler: { username: KUBE_SCHEDULER, groups: [ALL_AUTHENTICATED] },
  daemonSetController: controller(DAEMON_SET_CONTROLLER),
  garbageCollector: controller(GARBAGE_COLLECTOR),
  nodeLifecycleController: controller(NODE_CONTROLLER),
  /** Upstream's node IPAM controller runs with the node controller's credentials too. */
  nodeIpamController: controller(NODE_CONTROLLER),
  podGarbageCollector: controller(POD_GARBAGE_COLLECTOR),
  resourceQuotaController: controller(RESOURCE_QUOTA_CONTROLLER),
  serviceAccountController: controller(SERVICE_ACCOUNT_CONTROLLER),
  disruptionController: controller(DISRUPTION_CONTROLLER),
  endpointController: controller(ENDPOINT_CONTROLLER),
  endpointSliceController: controller(ENDPOINT_SLICE_CONTROLLER),
  nodeFleet: { username: NODE_FLEET_USERNAME, groups: [NODES_GROUP, ALL_AUTHENTICATED] },
} satisfies Record<string, UserInfo>;

export type ComponentName = keyof typeof COMPONENT_USERS;
