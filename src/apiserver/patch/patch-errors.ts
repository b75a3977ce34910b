// The errors the patch engines raise, mapped to the HTTP codes upstream's PATCH handler uses: a patch that
// cannot be read is 400 BadRequest, a well-formed patch that cannot be applied is 422 Invalid.
import { ApiError } from "../../api/errors.js";

/** A malformed patch document or directive. */
export function badPatch(message: string): ApiError {
  return ApiError.badRequest(message);
}

/** Upstream's generic 422 text, followed by what actually went wrong so that a person can fix the patch. */
export function unprocessablePatch(detail: string): ApiError {
  return new ApiError(
    422,
    "Invalid",
    `the server rejected our request due to an error in our request: ${detail}`,
  );
}
