/**
 * The one base of the errors an adapter throws while building a provider request from the client's (a content
 * part, tool or parameter the provider cannot take): the client's fault, so the gateway answers 400 with the
 * message (server/gateway/failover.server.ts) rather than trying another credential. Each adapter names its own
 * subclass so the message's origin shows in logs.
 */
export class AdapterRequestError extends Error {
  override name = "AdapterRequestError";
}
