// Compact JWS with ES256 (ECDSA P-256, SHA-256), the signature ServiceAccount tokens carry: sign a claims set,
// and verify one, returning its claims only when the signature is ours. node:crypto does the cryptography.
import { createHash, createPublicKey, type KeyObject, sign, verify } from "node:crypto";

export interface JwtHeader {
  alg: string;
  kid?: string;
  typ?: string;
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString("base64url");

function decodeJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}

/** Upstream's key id: the base64url SHA-256 of the public key's DER encoding. */
export function keyId(key: KeyObject): string {
  const pub = key.type === "private" ? createPublicKey(key) : key;
  return b64url(
    createHash("sha256")
      .update(pub.export({ type: "spki", format: "der" }))
      .digest(),
  );
}

export function signJwt(claims: object, privateKey: KeyObject): string {
  const header: JwtHeader = { alg: "ES256", kid: keyId(privateKey) };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = sign("sha256", Buffer.from(input), { key: privateKey, dsaEncoding: "ieee-p1363" });
  return `${input}.${b64url(signature)}`;
}

/** Does the token look like a JWT at all (three base64url parts, a JSON header)? */
export function looksLikeJwt(token: string): boolean {
  const parts = token.split(".");
  return parts.length === 3 && typeof decodeJson(parts[0]) === "object";
}

/** The claims of a token signed with `publicKey`'s private key (ES256), else undefined. */
export function verifyJwt(token: string, publicKey: KeyObject): Record<string, unknown> | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  const header = decodeJson(parts[0]) as JwtHeader | undefined;
  if (header?.alg !== "ES256") return undefined;
  const ok = verify(
    "sha256",
    Buffer.from(`${parts[0]}.${parts[1]}`),
    { key: publicKey, dsaEncoding: "ieee-p1363" },
    Buffer.from(parts[2], "base64url"),
  );
  if (!ok) return undefined;
  const claims = decodeJson(parts[1]);
  return claims && typeof claims === "object" && !Array.isArray(claims)
    ? (claims as Record<string, unknown>)
    : undefined;
}
