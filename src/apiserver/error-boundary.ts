// The apiserver's one error boundary, shared by the HTTP and in-process transports: an ApiError passes as it is,
// storage that does not answer is a 503 (try again), and anything else is a 500 Status.
import { ApiError } from "../api/errors.js";
import { isStorageError } from "../storage/errors.js";

export function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (isStorageError(err, "Unavailable"))
    return new ApiError(503, "ServiceUnavailable", err.message, undefined, { cause: err });
  return ApiError.internal(err instanceof Error ? err.message : String(err), err);
}
