// The one error type of everynode: it mirrors the Kubernetes `Status` object so that the server can render it
// unchanged and the client can decode a Status back into the same class.

export type StatusReason =
  | "BadRequest"
  | "Unauthorized"
  | "Forbidden"
  | "NotFound"
  | "AlreadyExists"
  | "Conflict"
  | "Gone"
  | "Expired"
  | "Invalid"
  | "MethodNotAllowed"
  | "NotAcceptable"
  | "UnsupportedMediaType"
  | "RequestEntityTooLarge"
  | "TooManyRequests"
  | "InternalError"
  | "ServiceUnavailable"
  | "Timeout"
  | "";

/** One field-level problem, as in `Status.details.causes`. */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** The wire shape of a `meta/v1 Status`. */
export interface Status {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, unknown>;
  status: "Success" | "Failure";
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** Identifies a resource in error messages: `daemonsets.apps "x" not found`. */
export interface ResourceRef {
  group: string;
  resource: string;
}

function qualified(ref: ResourceRef): string {
  return ref.group ? `${ref.resource}.${ref.group}` : ref.resource;
}

/** Status details naming an object; an empty group is omitted, as Go's omitempty does. */
function objectDetails(ref: ResourceRef, name: string): StatusDetails {
  return ref.group ? { name, group: ref.group, kind: ref.resource } : { name, kind: ref.resource };
}

export class ApiError extends Error {
  readonly code: number;
  readonly reason: StatusReason;
  readonly details?: StatusDetails;

  constructor(
    code: number,
    reason: StatusReason,
    message: string,
    details?: StatusDetails,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "ApiError";
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toStatus(): Status {
    const status: Status = {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) status.details = this.details;
    return status;
  }

  /** Rebuilds an ApiError from a Status received over the wire. */
  static fromStatus(status: Partial<Status>, fallbackCode = 500): ApiError {
    return new ApiError(
      status.code ?? fallbackCode,
      (status.reason ?? "") as StatusReason,
      status.message ?? "unknown error",
      status.details,
    );
  }

  static badRequest(message: string, causes?: StatusCause[]): ApiError {
    return new ApiError(400, "BadRequest", message, causes ? { causes } : undefined);
  }

  /** An error about one object; `options.cause` may carry the storage error behind it (see winningRevision). */
  private static aboutObject(
    code: number,
    reason: StatusReason,
    ref: ResourceRef,
    name: string,
    message: string,
    options?: ErrorOptions,
  ): ApiError {
    return new ApiError(code, reason, message, objectDetails(ref, name), options);
  }

  static notFound(ref: ResourceRef, name: string, options?: ErrorOptions): ApiError {
    return ApiError.aboutObject(404, "NotFound", ref, name, `${qualified(ref)} "${name}" not found`, options);
  }

  /** A 404 for a path that names no resource at all. */
  static noSuchPath(): ApiError {
    return new ApiError(404, "NotFound", "the server could not find the requested resource", {});
  }

  static alreadyExists(ref: ResourceRef, name: string, options?: ErrorOptions): ApiError {
    const message = `${qualified(ref)} "${name}" already exists`;
    return ApiError.aboutObject(409, "AlreadyExists", ref, name, message, options);
  }

  static conflict(ref: ResourceRef, name: string, why: string, options?: ErrorOptions): ApiError {
    const message = `Operation cannot be fulfilled on ${qualified(ref)} "${name}": ${why}`;
    return ApiError.aboutObject(409, "Conflict", ref, name, message, options);
  }

  /** 422 with field causes; `kind` is the Kind (e.g. DaemonSet), as upstream prints it. */
  static invalid(kind: string, group: string, name: string, causes: StatusCause[]): ApiError {
    const listed = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : `${c.message}`));
    const summary = listed.length === 1 ? listed[0] : `[${listed.join(", ")}]`;
    return new ApiError(
      422,
      "Invalid",
      `${kind}${group ? `.${group}` : ""} "${name}" is invalid: ${summary}`,
      {
        name,
        group,
        kind,
        causes,
      },
    );
  }

  /** 410 for a resourceVersion older than what is retained. */
  static expired(message: string): ApiError {
    return new ApiError(410, "Expired", message);
  }

  static gone(message: string): ApiError {
    return new ApiError(410, "Gone", message);
  }

  static methodNotAllowed(message: string): ApiError {
    return new ApiError(405, "MethodNotAllowed", message);
  }

  static notAcceptable(message: string): ApiError {
    return new ApiError(406, "NotAcceptable", message);
  }

  static unsupportedMediaType(contentType: string): ApiError {
    return new ApiError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml; got ${contentType || "none"}`,
    );
  }

  static tooLarge(limitBytes: number): ApiError {
    return new ApiError(413, "RequestEntityTooLarge", `Request entity too large: limit is ${limitBytes}`);
  }

  static forbidden(message: string): ApiError {
    return new ApiError(403, "Forbidden", message);
  }

  static unauthorized(message = "Unauthorized"): ApiError {
    return new ApiError(401, "Unauthorized", message);
  }

  static internal(message: string, cause?: unknown): ApiError {
    return new ApiError(500, "InternalError", `Internal error occurred: ${message}`, undefined, { cause });
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;
export const isNotFound = (e: unknown): boolean => isApiError(e) && e.code === 404;
export const isConflict = (e: unknown): boolean => isApiError(e) && e.code === 409 && e.reason === "Conflict";
export const isAlreadyExists = (e: unknown): boolean => isApiError(e) && e.reason === "AlreadyExists";
export const isInvalid = (e: unknown): boolean => isApiError(e) && e.code === 422;

/** A `.catch` for writes whose object may already be gone: a 404 is success, anything else is thrown again. */
export function ignoreNotFound(e: unknown): void {
  if (!isNotFound(e)) throw e;
}
export const isGone = (e: unknown): boolean => isApiError(e) && e.code === 410;
