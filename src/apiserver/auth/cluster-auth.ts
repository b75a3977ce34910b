// The cluster's authentication and authorization, assembled over the registry: the request authenticator
// (client certificates, the static admin token, ServiceAccount tokens), the authorizer chain (system:masters,
// node authorizer, RBAC), the bootstrap policy and ClusterRole aggregation, the RBAC escalation and node
// restriction admission, and the authentication/authorization APIs. The server asks it who a request is and
// whether it may proceed; the in-process client asks it whether a component may.
import type { KeyObject } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "../../api/errors.js";
import type { Logger } from "../../util/log.js";
import type { Registry } from "../registry/registry.js";
import type { RequestTarget, ResourceRequest } from "../request-info.js";
import { type AuthApiDeps, isAuthApiRequest, serveAuthApi } from "./api/handler.js";
import { generateServiceAccountKey } from "./authn/credential-files.js";
import { RequestAuthenticator, StaticTokenAuthenticator } from "./authn/request-authenticator.js";
import { ServiceAccountTokens } from "./authn/service-account-token.js";
import { ClusterRoleAggregator } from "./authz/aggregation-controller.js";
import { type ResourceAddress, requestAttributes, resourceAttributes } from "./authz/attributes.js";
import { type Authorizer, privilegedGroupAuthorizer, unionAuthorizer } from "./authz/authorizer.js";
import { reconcileBootstrapPolicy } from "./authz/bootstrap/reconcile.js";
import { EscalationCheck } from "./authz/escalation.js";
import { forbiddenError } from "./authz/forbidden.js";
import { NodeAuthorizer, type NodeGraph } from "./authz/node-authorizer.js";
import { NodeRestriction } from "./authz/node-restriction.js";
import { RbacAuthorizer } from "./authz/rbac-authorizer.js";
import { RegistryRbacObjects } from "./authz/rbac-objects.js";
import { impersonate } from "./impersonation.js";
import { ALL_AUTHENTICATED, anonymousUser, PRIVILEGED_GROUP, type UserInfo } from "./user-info.js";

/** Paths anonymous requests may reach (health and version, as upstream's public-info-viewer role). */
const PUBLIC_PATHS = ["/healthz", "/livez", "/readyz", "/version"];

const isPublicPath = (path: string): boolean =>
  PUBLIC_PATHS.some((p) => path === p || path.startsWith(`${p}/`));

/** Who every request is when enforcement is off: upstream's old insecure port user. */
export const INSECURE_USER: UserInfo = {
  username: "system:unsecured",
  groups: [PRIVILEGED_GROUP, ALL_AUTHENTICATED],
};

/** The static admin token's identity. */
export const ADMIN_TOKEN_USER: UserInfo = { username: "everynode-admin", groups: [PRIVILEGED_GROUP] };

export interface ClusterAuthOptions {
  /**
   * Authenticate and authorize every HTTP request (`everynode up`). Off, every request acts as a member of
   * system:masters, as on upstream's old insecure port: only for in-process tests on loopback.
   */
  enforce: boolean;
  /** Signs ServiceAccount tokens (`<data-dir>/pki/sa.key`); a fresh key per start when absent. */
  serviceAccountKey?: KeyObject;
  /** A static bearer token for the admin (`<data-dir>/pki/admin.token`). */
  adminToken?: string;
  logger?: Logger;
}

export class ClusterAuth {
  readonly authorizer: Authorizer;
  readonly rbac: RbacAuthorizer;
  readonly tokens: ServiceAccountTokens;
  readonly authenticator: RequestAuthenticator;
  private readonly aggregator: ClusterRoleAggregator;
  private readonly rbacObjects: RegistryRbacObjects;
  private readonly api: AuthApiDeps;

  private constructor(
    registry: Registry,
    private readonly options: ClusterAuthOptions,
  ) {
    const store = (group: string, resource: string) => registry.store({ group, resource });
    const graph: NodeGraph = {
      node: (name) => store("", "nodes").getOrUndefined("", name),
      pod: (namespace, name) => store("", "pods").getOrUndefined(namespace, name),
      podsInNamespace: (namespace) =>
        registry.cacher.cache({ group: "", resource: "pods" }).list({ namespace }),
    };
    this.rbacObjects = new RegistryRbacObjects(registry);
    this.rbac = new RbacAuthorizer(this.rbacObjects);
    this.authorizer = unionAuthorizer([privilegedGroupAuthorizer, new NodeAuthorizer(graph), this.rbac]);
    const now = () => registry.clock.now();
    this.tokens = new ServiceAccountTokens({
      key: options.serviceAccountKey ?? generateServiceAccountKey(),
      now,
      binding: {
        serviceAccount: (namespace, name) => store("", "serviceaccounts").getOrUndefined(namespace, name),
        pod: graph.pod,
      },
    });
    const tokenAuthenticators = [];
    if (options.adminToken)
      tokenAuthenticators.push(new StaticTokenAuthenticator([[options.adminToken, ADMIN_TOKEN_USER]]));
    tokenAuthenticators.push(this.tokens);
    this.authenticator = new RequestAuthenticator(tokenAuthenticators);
    this.aggregator = new ClusterRoleAggregator(registry, options.logger);
    this.api = {
      authorizer: this.authorizer,
      authenticator: this.authenticator,
      tokens: this.tokens,
      tokenRequests: {
        tokens: this.tokens,
        serviceAccount: (namespace, name) => store("", "serviceaccounts").get(namespace, name),
        pod: graph.pod,
        now,
      },
    };
    const escalation = new EscalationCheck(this.authorizer, this.rbac);
    const nodeRestriction = new NodeRestriction(graph);
    registry.addAdmission({
      admitCreate: (r, obj) => {
        escalation.admitCreate(r, obj);
        nodeRestriction.admitCreate(r, obj);
      },
      admitUpdate: (r, obj, old) => escalation.admitUpdate(r, obj, old),
    });
  }

  /** Puts the bootstrap policy in place and starts ClusterRole aggregation; resolves once both are done. */
  static async start(registry: Registry, options: ClusterAuthOptions): Promise<ClusterAuth> {
    const auth = new ClusterAuth(registry, options);
    await auth.rbacObjects.start();
    await reconcileBootstrapPolicy(registry);
    await auth.aggregator.start();
    return auth;
  }

  get enforced(): boolean {
    return this.options.enforce;
  }

  stop(): void {
    this.aggregator.stop();
    this.rbacObjects.stop();
  }

  /** Resolves once ClusterRole aggregation has caught up with every change seen so far. */
  aggregationIdle(): Promise<void> {
    return this.aggregator.idle();
  }

  /**
   * Who an HTTP request acts as, once authenticated (401 for failed credentials, and for anonymous requests
   * outside the health and version paths), impersonation is checked, and the authorizer allowed it (else 403).
   * `verb` replaces the verb the method implies (an exec upgrade is a `create`).
   */
  admitRequest(req: IncomingMessage, url: URL, target: RequestTarget, verb?: string): UserInfo {
    if (!this.options.enforce) return INSECURE_USER;
    let user = this.authenticator.authenticate(req);
    if (!user) {
      if (!isPublicPath(url.pathname.replace(/\/+$/, "") || "/")) throw ApiError.unauthorized();
      user = anonymousUser();
    }
    user = impersonate(req, user, this.authorizer);
    const attrs = requestAttributes(user, req.method ?? "GET", url, target);
    if (verb) attrs.verb = verb;
    const result = this.authorizer.authorize(attrs);
    if (result.decision !== "Allow") throw forbiddenError(attrs, result.reason);
    return user;
  }

  /** Throws the 403 an in-process call by `user` would get over HTTP. */
  authorizeCall(user: UserInfo, address: ResourceAddress): void {
    const attrs = resourceAttributes(user, address);
    const result = this.authorizer.authorize(attrs);
    if (result.decision !== "Allow") throw forbiddenError(attrs, result.reason);
  }

  /** Does the authentication/authorization API answer this request (reviews, serviceaccounts/token)? */
  handles(target: ResourceRequest): boolean {
    return isAuthApiRequest(target);
  }

  serve(target: ResourceRequest, req: IncomingMessage, res: ServerResponse, user: UserInfo): Promise<void> {
    return serveAuthApi(this.api, target, req, res, user);
  }
}
