// Turns a failed HTTP response into the ApiError the caller tests: a Status body is decoded as the server
// meant it; anything else (a proxy's HTML, plain text) gets the reason and wording client-go gives that code.
import { ApiError, type StatusReason } from "../api/errors.js";

/** client-go's generic messages for responses without a Status (apimachinery NewGenericServerResponse). */
const BY_CODE: Record<number, [StatusReason, string]> = {
  400: ["BadRequest", "the server rejected our request for an unknown reason"],
  401: ["Unauthorized", "the server has asked for the client to provide credentials"],
  403: ["Forbidden", "the server does not allow access to the requested resource"],
  404: ["NotFound", "the server could not find the requested resource"],
  405: ["MethodNotAllowed", "the server does not allow this method on the requested resource"],
  406: ["NotAcceptable", "the server was unable to respond with a content type that the client supports"],
  409: ["Conflict", "the server reported a conflict"],
  410: ["Gone", "the server has asked for the client to remove this resource"],
  413: ["RequestEntityTooLarge", "the server has rejected the request because the request body is too large"],
  415: [
    "UnsupportedMediaType",
    "the server was unable to process the request because of an unsupported media type",
  ],
  422: ["Invalid", "the server rejected our request due to an error in our request"],
  429: ["TooManyRequests", "the server has received too many requests and has asked us to try again later"],
  500: ["InternalError", "an error on the server has prevented the request from succeeding"],
  503: ["ServiceUnavailable", "the server is currently unable to handle the request"],
  504: ["Timeout", "the server was unable to return a response in the time allotted"],
};

function isStatus(value: unknown): value is Record<string, any> {
  return !!value && typeof value === "object" && (value as { kind?: unknown }).kind === "Status";
}

export function errorFromResponse(code: number, body: string, retryAfter?: string): ApiError {
  let parsed: unknown;
  try {
    parsed = body ? JSON.parse(body) : undefined;
  } catch {
    // Not JSON: handled below with the generic wording.
  }
  if (isStatus(parsed)) {
    // A Status without a code (some aggregated servers omit it) takes the HTTP one.
    return ApiError.fromStatus({ ...parsed, code: parsed.code || code }, code);
  }
  const [reason, message] = BY_CODE[code] ?? [
    code >= 500 ? "InternalError" : "BadRequest",
    `the server responded with the status code ${code} but did not return more information`,
  ];
  const snippet = body.trim().slice(0, 256);
  const seconds = Number(retryAfter);
  return new ApiError(
    code,
    reason,
    snippet ? `${message} (${snippet})` : message,
    Number.isFinite(seconds) && seconds > 0 ? { retryAfterSeconds: seconds } : undefined,
  );
}

/** A request that never got an answer (refused, reset, TLS failure): retryable, like a 503 from a proxy. */
export function transportError(method: string, url: string, err: unknown): ApiError {
  const e = err as NodeJS.ErrnoException;
  const detail = e?.code ? `${e.code}: ${e.message}` : String(e?.message ?? err);
  return new ApiError(503, "ServiceUnavailable", `${method} ${url}: ${detail}`, undefined, { cause: err });
}
