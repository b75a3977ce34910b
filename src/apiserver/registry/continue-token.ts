// List continuation tokens in upstream's format: base64 of {"v":"meta.k8s.io/v1","rv":N,"start":"<key>"}.
import { ApiError } from "../../api/errors.js";

export function encodeContinue(rv: number, lastKey: string): string {
  return Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", rv, start: lastKey })).toString("base64url");
}

export function decodeContinue(token: string): { rv: number; start: string } {
  try {
    const t = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (t.v === "meta.k8s.io/v1" && typeof t.rv === "number" && typeof t.start === "string") {
      return { rv: t.rv, start: t.start };
    }
  } catch {
    // fall through to the error below
  }
  throw ApiError.badRequest("continue key is not valid: the token is malformed; re-list without continue");
}
