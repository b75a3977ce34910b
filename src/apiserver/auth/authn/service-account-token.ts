// ServiceAccount tokens as upstream's bound tokens: JWTs signed with the cluster's service-account key, naming
// the ServiceAccount (and optionally the Pod they are bound to) by name and uid, with an audience and an
// expiry. A token authenticates only while it has not expired, its audience includes the API server, and the
// objects it is bound to still exist with the same uid: it dies with its ServiceAccount (or Pod).
import { createPublicKey, type KeyObject, randomUUID } from "node:crypto";
import type { KubeObject } from "../../../api/object.js";
import { serviceAccountUser, type UserInfo } from "../user-info.js";
import { signJwt, verifyJwt } from "./jwt.js";
import type { TokenAuthenticator } from "./request-authenticator.js";

/** The issuer and default audience of tokens, as a default kube-apiserver (`--service-account-issuer`). */
export const DEFAULT_ISSUER = "https://kubernetes.default.svc.cluster.local";

export interface TokenBinding {
  serviceAccount(namespace: string, name: string): KubeObject | undefined;
  pod(namespace: string, name: string): KubeObject | undefined;
}

export interface TokenIssueRequest {
  namespace: string;
  serviceAccount: { name: string; uid: string };
  audiences: string[];
  expirationSeconds: number;
  pod?: { name: string; uid: string };
}

export interface IssuedToken {
  token: string;
  /** Unix seconds. */
  expiresAt: number;
}

interface PrivateClaims {
  namespace: string;
  serviceaccount: { name: string; uid: string };
  pod?: { name: string; uid: string };
}

export interface ServiceAccountTokenOptions {
  key: KeyObject;
  binding: TokenBinding;
  now: () => number;
  issuer?: string;
  /** Audiences the API server accepts (default: the issuer). */
  apiAudiences?: string[];
}

export class ServiceAccountTokens implements TokenAuthenticator {
  readonly issuer: string;
  readonly apiAudiences: string[];
  private readonly publicKey: KeyObject;

  constructor(private readonly o: ServiceAccountTokenOptions) {
    this.issuer = o.issuer ?? DEFAULT_ISSUER;
    this.apiAudiences = o.apiAudiences ?? [this.issuer];
    this.publicKey = createPublicKey(o.key);
  }

  issue(r: TokenIssueRequest): IssuedToken {
    const iat = Math.floor(this.o.now() / 1000);
    const expiresAt = iat + r.expirationSeconds;
    const kubernetes: PrivateClaims = { namespace: r.namespace, serviceaccount: r.serviceAccount };
    if (r.pod) kubernetes.pod = r.pod;
    const claims = {
      aud: r.audiences,
      exp: expiresAt,
      iat,
      iss: this.issuer,
      jti: randomUUID(),
      "kubernetes.io": kubernetes,
      nbf: iat,
      sub: `system:serviceaccount:${r.namespace}:${r.serviceAccount.name}`,
    };
    return { token: signJwt(claims, this.o.key), expiresAt };
  }

  authenticateToken(token: string): UserInfo | undefined {
    const result = this.authenticate(token);
    return "user" in result ? result.user : undefined;
  }

  /** The ServiceAccount user of a valid token, or the reason it is not one (for logs and TokenReview). */
  authenticate(token: string): { user: UserInfo } | { error: string } {
    const claims = verifyJwt(token, this.publicKey);
    if (!claims) return { error: "invalid bearer token" };
    if (claims.iss !== this.issuer) return { error: "token issuer is not recognized" };
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.some((a) => this.apiAudiences.includes(a as string)))
      return { error: "token audiences is invalid" };
    const now = this.o.now() / 1000;
    if (typeof claims.exp !== "number" || now >= claims.exp) return { error: "token has expired" };
    if (typeof claims.nbf === "number" && now < claims.nbf) return { error: "token is not valid yet" };
    const priv = claims["kubernetes.io"] as PrivateClaims | undefined;
    if (!priv?.namespace || !priv.serviceaccount?.name)
      return { error: "token has no service account claims" };
    const sa = this.o.binding.serviceAccount(priv.namespace, priv.serviceaccount.name);
    if (!sa || sa.metadata.deletionTimestamp) return { error: "service account has been deleted" };
    if (sa.metadata.uid !== priv.serviceaccount.uid)
      return {
        error: `service account UID (${sa.metadata.uid}) does not match claim (${priv.serviceaccount.uid})`,
      };
    const extra: Record<string, string[]> = {};
    if (typeof claims.jti === "string")
      extra["authentication.kubernetes.io/credential-id"] = [`JTI=${claims.jti}`];
    if (priv.pod) {
      const pod = this.o.binding.pod(priv.namespace, priv.pod.name);
      if (!pod || pod.metadata.deletionTimestamp) return { error: "pod has been deleted" };
      if (pod.metadata.uid !== priv.pod.uid)
        return { error: `pod UID (${pod.metadata.uid}) does not match claim (${priv.pod.uid})` };
      extra["authentication.kubernetes.io/pod-name"] = [priv.pod.name];
      extra["authentication.kubernetes.io/pod-uid"] = [priv.pod.uid];
    }
    return { user: serviceAccountUser(priv.namespace, priv.serviceaccount.name, sa.metadata.uid, extra) };
  }
}
