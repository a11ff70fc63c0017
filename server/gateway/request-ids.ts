/**
 * Request ids (docs/decisions/008-crash-safe-records.md). The hub gives every request its own id: the listener puts
 * it in the internal `x-hub-request-id` header (always overwritten, never the client's), answers it as
 * `x-request-id`, and the call record stores it as `request_id`. An `x-request-id` the client sent is its own
 * business: kept as `client_request_id` and echoed back as `x-client-request-id`, never trusted to be unique.
 */

/** The internal header carrying the hub's id from the listener to the handlers. */
export const HUB_REQUEST_ID_HEADER = "x-hub-request-id";
/** Where the client's own `x-request-id` is echoed in the answer. */
export const CLIENT_REQUEST_ID_HEADER = "x-client-request-id";

/** What a client may send as its request id: printable, no spaces, at most 128 characters. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The client's `x-request-id`, when it is a well-formed one; otherwise none (it is not stored). */
export function clientRequestId(value: string | null | undefined): string | null {
  return typeof value === "string" && CLIENT_REQUEST_ID.test(value) ? value : null;
}

export function clientRequestIdOf(request: Request): string | null {
  return clientRequestId(request.headers.get("x-request-id"));
}

/** The hub's id for the request: set by the listener; a fresh one for requests that did not come through it. */
export function hubRequestIdOf(request: Request): string {
  return request.headers.get(HUB_REQUEST_ID_HEADER) ?? crypto.randomUUID();
}
