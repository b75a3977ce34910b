// Authentication of an HTTP request (upstream's union of request authenticators): a client certificate that
// the cluster CA signed (CN is the username, each O a group), else a bearer token some token authenticator
// accepts (the static admin token, ServiceAccount tokens). Every authenticated identity gets the
// system:authenticated group. No credentials means anonymous (undefined); credentials that fail are a 401,
// never a fallback to anonymous.
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import { ApiError } from "../../../api/errors.js";
import { type UserInfo, withAuthenticatedGroup } from "../user-info.js";

export interface TokenAuthenticator {
  /** The token's user, or undefined when this authenticator does not accept it. */
  authenticateToken(token: string): UserInfo | undefined;
}

const asList = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

/** The user of a verified client certificate; undefined without one; a 401 for one the CA did not sign. */
export function clientCertificateUser(req: IncomingMessage): UserInfo | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate !== "function") return undefined;
  const cert = socket.getPeerCertificate();
  if (!cert || Object.keys(cert).length === 0) return undefined;
  if (!socket.authorized) throw ApiError.unauthorized();
  const subject = cert.subject as unknown as Record<string, string | string[] | undefined>;
  const username = asList(subject.CN)[0];
  if (!username) throw ApiError.unauthorized();
  return { username, groups: asList(subject.O) };
}

/** The token of an `Authorization: Bearer <token>` header. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export class StaticTokenAuthenticator implements TokenAuthenticator {
  private readonly users: Map<string, UserInfo>;

  constructor(tokens: Iterable<[string, UserInfo]>) {
    this.users = new Map(tokens);
  }

  authenticateToken(token: string): UserInfo | undefined {
    return this.users.get(token);
  }
}

export class RequestAuthenticator {
  constructor(private readonly tokens: readonly TokenAuthenticator[]) {}

  authenticateToken(token: string): UserInfo | undefined {
    for (const t of this.tokens) {
      const user = t.authenticateToken(token);
      if (user) return withAuthenticatedGroup(user);
    }
    return undefined;
  }

  /** The request's user; undefined for a request without credentials; throws 401 for failed credentials. */
  authenticate(req: IncomingMessage): UserInfo | undefined {
    const fromCert = clientCertificateUser(req);
    if (fromCert) return withAuthenticatedGroup(fromCert);
    const token = bearerToken(req);
    // Other schemes (Basic) are not supported: such a request is anonymous, as upstream treats it.
    if (token === undefined) return undefined;
    const user = this.authenticateToken(token);
    if (!user) throw ApiError.unauthorized();
    return user;
  }
}
