// Boots a real in-process control plane with authentication and RBAC enforced, over HTTPS with the cluster
// PKI, for the security integration tests: requests go out anonymous, with a client certificate minted by
// the cluster CA, or with a bearer token, exactly as kubectl would send them.
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateServiceAccountKey } from "../../src/apiserver/auth/authn/credential-files.js";
import { ControlPlane } from "../../src/main/control-plane.js";
import {
  type CertAndKey,
  type ClusterPki,
  ensureClusterPki,
  issueClientCertificate,
} from "../../src/pki/certificates.js";
import { createLogger } from "../../src/util/log.js";

export type Credentials = { token: string } | { cert: CertAndKey } | undefined;

export interface SecureResponse {
  status: number;
  body: any;
}

export class SecureCluster {
  /** One keep-alive agent per client certificate (and one for the rest): TLS contexts are costly to build. */
  private readonly agents = new Map<string, Agent>();

  private constructor(
    readonly cp: ControlPlane,
    readonly pki: ClusterPki,
    readonly adminToken: string,
    private readonly dir: string,
    /** Advances the cluster's clock (token expiry). */
    readonly advance: (ms: number) => void,
  ) {}

  static async start(): Promise<SecureCluster> {
    const dir = mkdtempSync(join(tmpdir(), "everynode-secure-"));
    const pki = await ensureClusterPki(dir);
    let offset = 0;
    const adminToken = "test-admin-token";
    const cp = await ControlPlane.start({
      store: "memory://",
      port: 0,
      logger: createLogger("test", process.env.EVERYNODE_LOG_LEVEL ?? "silent"),
      tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
      clock: { now: () => Date.now() + offset },
      auth: { serviceAccountKey: generateServiceAccountKey(), adminToken },
    });
    return new SecureCluster(cp, pki, adminToken, dir, (ms) => {
      offset += ms;
    });
  }

  /** A client certificate for `username` in `groups`, signed by the cluster CA. */
  certificateFor(username: string, groups: string[] = []): Promise<CertAndKey> {
    return issueClientCertificate(this.pki.ca, { username, groups });
  }

  get admin(): Credentials {
    return { cert: this.pki.admin };
  }

  /**
   * Sends one request. With `headersOnly` the response body is not awaited (watches that were allowed): the
   * status is all that is needed, and the connection is dropped.
   */
  request(
    method: string,
    path: string,
    o: {
      as?: Credentials;
      body?: unknown;
      headers?: Record<string, string | string[]>;
      headersOnly?: boolean;
    } = {},
  ): Promise<SecureResponse> {
    const url = new URL(path, this.cp.url);
    const headers: Record<string, string | string[]> = { Accept: "application/json", ...o.headers };
    let payload: string | undefined;
    if (o.body !== undefined) {
      payload = typeof o.body === "string" ? o.body : JSON.stringify(o.body);
      headers["Content-Type"] ??= "application/json";
    }
    const creds = o.as;
    if (creds && "token" in creds) headers.Authorization = `Bearer ${creds.token}`;
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        url,
        {
          method,
          headers,
          agent: this.agentFor(creds && "cert" in creds ? creds.cert : undefined),
        },
        (res) => {
          if (o.headersOnly && res.statusCode === 200) {
            req.destroy();
            resolve({ status: 200, body: undefined });
            return;
          }
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (d) => (text += d));
          res.on("end", () => {
            let body: any = text;
            try {
              body = JSON.parse(text);
            } catch {
              // not JSON (health checks): keep the text
            }
            resolve({ status: res.statusCode ?? 0, body });
          });
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  }

  private agentFor(cert: CertAndKey | undefined): Agent {
    const key = cert?.cert ?? "";
    let agent = this.agents.get(key);
    if (!agent) {
      agent = new Agent({
        keepAlive: true,
        ca: this.pki.ca.cert,
        ...(cert ? { cert: cert.cert, key: cert.key } : {}),
      });
      this.agents.set(key, agent);
    }
    return agent;
  }

  async stop(): Promise<void> {
    for (const agent of this.agents.values()) agent.destroy();
    await this.cp.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
