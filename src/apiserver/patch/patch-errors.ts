// The errors the patch engines raise, mapped to the HTTP codes upstream's PATCH handler uses: a patch that
// cannot be read is 400 BadRequest, a well-formed patch that cannot be applied is 422 Invalid.
import { ApiError } from "../../api/errors.js";

/** A malformed patch document or directive. */
export function badPatch(message: string): ApiError {
  return ApiError.badRequest(message);
}

/**
 * A well-formed patch that cannot be applied. Upstream answers with its generic 422 text only
 * (NewGenericServerResponse drops the detail), and clients print exactly that; `detail` is kept on the error
 * (as its cause) for the server's log.
 */
export function unprocessablePatch(detail: string): ApiError {
  return new ApiError(
    422,
    "Invalid",
    "the server rejected our request due to an error in our request",
    {},
    {
      cause: new Error(detail),
    },
  );
}

/** What went wrong with a patch, in full: the detail kept behind a 422's generic message, else the message. */
export function patchErrorText(err: ApiError): string {
  return err.code === 422 && err.cause instanceof Error ? err.cause.message : err.message;
}
