// Reads a kubeconfig (the file kubectl uses) and resolves one context into what the HTTP transport needs:
// server URL, CA, client certificate or token, and the context's namespace. `$KUBECONFIG` (its first file)
// and `~/.kube/config` are the defaults, as for kubectl.
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, isAbsolute, join, resolve } from "node:path";
import { parse } from "yaml";
import { HttpClient, type HttpClientOptions } from "./http-client.js";
import { systemTimer, type Timer } from "./timing.js";

/** A kubeconfig that cannot be used, with a message saying what to change. */
export class KubeconfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KubeconfigError";
  }
}

/** One context of a kubeconfig, resolved: file references read, base64 data decoded. */
export interface ResolvedKubeconfig {
  /** The file it came from. */
  path: string;
  context: string;
  cluster: string;
  user: string;
  server: string;
  /** The context's namespace, "default" when it names none. */
  namespace: string;
  /** PEM texts. */
  ca?: string;
  cert?: string;
  key?: string;
  insecureSkipTlsVerify: boolean;
  tlsServerName?: string;
  token?: string;
  /** A token file is re-read as it rotates (service-account tokens), so it is kept as a path. */
  tokenFile?: string;
  username?: string;
  password?: string;
}

/** Where kubectl would look: the first existing file of $KUBECONFIG, else ~/.kube/config. */
export function defaultKubeconfigPath(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  const listed = (env.KUBECONFIG ?? "").split(delimiter).filter((p) => p.trim() !== "");
  if (listed.length > 0) return resolve(listed.find((p) => existsSync(p)) ?? listed[0]);
  return join(home, ".kube", "config");
}

/** Reads and resolves `path` (default: defaultKubeconfigPath()) at `context` (default: its current-context). */
export function loadKubeconfig(path?: string, context?: string): ResolvedKubeconfig {
  const file = path ? resolve(path) : defaultKubeconfigPath();
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : (e as Error).message;
    throw new KubeconfigError(`kubeconfig ${file} ${why}; set KUBECONFIG or pass --kubeconfig`);
  }
  return parseKubeconfig(text, file, context);
}

type Named = { name?: unknown; [entry: string]: unknown };

function entry(doc: Record<string, unknown>, list: string, field: string, name: string, path: string) {
  const items = Array.isArray(doc[list]) ? (doc[list] as Named[]) : [];
  const found = items.find((i) => i && i.name === name);
  if (!found) {
    const known = items.map((i) => String(i?.name)).join(", ") || "none";
    throw new KubeconfigError(`${field} "${name}" not found in ${path} (${list}: ${known})`);
  }
  const value = found[field];
  return (value && typeof value === "object" ? value : {}) as Record<string, any>;
}

/**
 * Resolves `context` (default: current-context) of a kubeconfig text. `path` names the file in messages and
 * anchors relative file references, which kubectl resolves against the kubeconfig's own directory.
 */
export function parseKubeconfig(text: string, path: string, context?: string): ResolvedKubeconfig {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new KubeconfigError(`cannot parse kubeconfig ${path}: ${(e as Error).message}`);
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) {
    throw new KubeconfigError(`kubeconfig ${path} is not a YAML mapping`);
  }
  const config = doc as Record<string, unknown>;
  const contextName = context || (config["current-context"] as string | undefined);
  if (!contextName) throw new KubeconfigError(`no current-context in ${path}; pass --context`);
  const ctx = entry(config, "contexts", "context", contextName, path);
  if (!ctx.cluster) throw new KubeconfigError(`context "${contextName}" in ${path} names no cluster`);
  const cluster = entry(config, "clusters", "cluster", String(ctx.cluster), path);
  const user = ctx.user ? entry(config, "users", "user", String(ctx.user), path) : {};
  if (!cluster.server) throw new KubeconfigError(`cluster "${ctx.cluster}" in ${path} has no server`);
  if (user.exec || user["auth-provider"]) {
    throw new KubeconfigError(
      `user "${ctx.user}" in ${path} uses a credential plugin (${user.exec ? "exec" : "auth-provider"}), which everynode does not run; use a token or a client certificate`,
    );
  }
  const base = dirname(path);
  const fileOrData = (holder: Record<string, any>, field: string): string | undefined => {
    const data = holder[`${field}-data`];
    if (data) return Buffer.from(String(data), "base64").toString("utf8");
    const file = holder[field];
    if (!file) return undefined;
    const full = isAbsolute(String(file)) ? String(file) : join(base, String(file));
    try {
      return readFileSync(full, "utf8");
    } catch (e) {
      throw new KubeconfigError(`${field} ${full} (from ${path}) cannot be read: ${(e as Error).message}`);
    }
  };
  const resolved: ResolvedKubeconfig = {
    path,
    context: contextName,
    cluster: String(ctx.cluster),
    user: String(ctx.user ?? ""),
    server: String(cluster.server),
    namespace: ctx.namespace ? String(ctx.namespace) : "default",
    ca: fileOrData(cluster, "certificate-authority"),
    cert: fileOrData(user, "client-certificate"),
    key: fileOrData(user, "client-key"),
    insecureSkipTlsVerify: cluster["insecure-skip-tls-verify"] === true,
    tlsServerName: cluster["tls-server-name"] ? String(cluster["tls-server-name"]) : undefined,
    token: user.token ? String(user.token) : undefined,
    tokenFile: user.tokenFile
      ? isAbsolute(String(user.tokenFile))
        ? String(user.tokenFile)
        : join(base, String(user.tokenFile))
      : undefined,
    username: user.username !== undefined ? String(user.username) : undefined,
    password: user.password !== undefined ? String(user.password) : undefined,
  };
  if (resolved.cert && !resolved.key) {
    throw new KubeconfigError(`user "${ctx.user}" in ${path} has a client certificate but no client key`);
  }
  return resolved;
}

/** Reads a token file at most once a minute, as client-go's cached file token source does. */
export function fileTokenSource(file: string, timer: Timer = systemTimer, refreshMs = 60_000): () => string {
  let token = "";
  let readAt = Number.NEGATIVE_INFINITY;
  return () => {
    const now = timer.now();
    if (now - readAt >= refreshMs) {
      token = readFileSync(file, "utf8").trim();
      readAt = now;
    }
    return token;
  };
}

/** HttpClient options for a resolved context (an inline token wins over a token file, as in client-go). */
export function httpClientOptions(config: ResolvedKubeconfig): HttpClientOptions {
  return {
    server: config.server,
    namespace: config.namespace,
    ca: config.ca,
    cert: config.cert,
    key: config.key,
    insecureSkipTlsVerify: config.insecureSkipTlsVerify,
    tlsServerName: config.tlsServerName,
    token: config.token ?? (config.tokenFile ? fileTokenSource(config.tokenFile) : undefined),
    username: config.username,
    password: config.password,
  };
}

/** An HttpClient for a kubeconfig context; `overrides` adds rate limits, pool sizes and the like. */
export function clientFromKubeconfig(
  path?: string,
  context?: string,
  overrides: Partial<HttpClientOptions> = {},
): HttpClient {
  return new HttpClient({ ...httpClientOptions(loadKubeconfig(path, context)), ...overrides });
}
