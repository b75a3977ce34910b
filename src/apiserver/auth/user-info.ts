// The identity a request acts as (upstream user.Info): what authenticators produce and authorizers judge, with
// the well-known users and groups upstream reserves and the ServiceAccount username scheme.

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** Every authenticated identity carries this group. */
export const ALL_AUTHENTICATED = "system:authenticated";
/** Anonymous requests carry this group. */
export const ALL_UNAUTHENTICATED = "system:unauthenticated";
/** Members may do anything: the privileged group, as upstream's system:masters. */
export const PRIVILEGED_GROUP = "system:masters";
/** Kubelets (node identities `system:node:<name>`). */
export const NODES_GROUP = "system:nodes";
export const ANONYMOUS_USERNAME = "system:anonymous";
export const SERVICE_ACCOUNTS_GROUP = "system:serviceaccounts";
const SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";
const NODE_PREFIX = "system:node:";

export const anonymousUser = (): UserInfo => ({
  username: ANONYMOUS_USERNAME,
  groups: [ALL_UNAUTHENTICATED],
});

export const serviceAccountUsername = (namespace: string, name: string): string =>
  `${SERVICE_ACCOUNT_PREFIX}${namespace}:${name}`;

/** The namespace and name of a ServiceAccount username, or undefined for any other username. */
export function parseServiceAccountUsername(
  username: string,
): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined;
  const rest = username.slice(SERVICE_ACCOUNT_PREFIX.length);
  const colon = rest.indexOf(":");
  if (colon <= 0 || colon === rest.length - 1 || rest.indexOf(":", colon + 1) >= 0) return undefined;
  return { namespace: rest.slice(0, colon), name: rest.slice(colon + 1) };
}

/** The groups every ServiceAccount of a namespace belongs to. */
export const serviceAccountGroups = (namespace: string): string[] => [
  SERVICE_ACCOUNTS_GROUP,
  `${SERVICE_ACCOUNTS_GROUP}:${namespace}`,
];

export function serviceAccountUser(
  namespace: string,
  name: string,
  uid?: string,
  extra?: Record<string, string[]>,
): UserInfo {
  const user: UserInfo = {
    username: serviceAccountUsername(namespace, name),
    groups: [...serviceAccountGroups(namespace), ALL_AUTHENTICATED],
  };
  if (uid) user.uid = uid;
  if (extra && Object.keys(extra).length > 0) user.extra = extra;
  return user;
}

export const nodeUsername = (nodeName: string): string => `${NODE_PREFIX}${nodeName}`;

/** The node name of a kubelet identity (`system:node:<name>` in group system:nodes), else undefined. */
export function nodeNameOf(user: UserInfo): string | undefined {
  if (!user.groups.includes(NODES_GROUP) || !user.username.startsWith(NODE_PREFIX)) return undefined;
  const name = user.username.slice(NODE_PREFIX.length);
  return name === "" ? undefined : name;
}

/** Adds system:authenticated unless the user already carries it (authenticators do this for every identity). */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.groups.includes(ALL_AUTHENTICATED)) return user;
  return { ...user, groups: [...user.groups, ALL_AUTHENTICATED] };
}

export const isPrivileged = (user: UserInfo): boolean => user.groups.includes(PRIVILEGED_GROUP);
