// Credentials the API server generates into `<data-dir>/pki` on first start and reuses after: the
// ServiceAccount signing key (sa.key, ECDSA P-256, PKCS#8 PEM, as upstream's --service-account-key-file) and
// the static admin bearer token (admin.token). A restart keeps both, so issued tokens stay valid.
import { createPrivateKey, generateKeyPairSync, type KeyObject, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function generateServiceAccountKey(): KeyObject {
  return generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
}

export const parseServiceAccountKey = (pem: string): KeyObject => createPrivateKey(pem);

function pkiDir(dataDir: string): string {
  const dir = join(dataDir, "pki");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Loads `<dataDir>/pki/sa.key`, creating it the first time. */
export function ensureServiceAccountKey(dataDir: string): KeyObject {
  const file = join(pkiDir(dataDir), "sa.key");
  if (existsSync(file)) return parseServiceAccountKey(readFileSync(file, "utf8"));
  const key = generateServiceAccountKey();
  writeFileSync(file, key.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  return key;
}

/** Loads `<dataDir>/pki/admin.token`, creating a random one the first time. */
export function ensureAdminToken(dataDir: string): string {
  const file = join(pkiDir(dataDir), "admin.token");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const token = randomBytes(32).toString("base64url");
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}
