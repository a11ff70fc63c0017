/**
 * Which candidates take a Responses call natively, and the body they get (docs/responses-api.md, "Native
 * providers"). Pure. The hub resolves `previous_response_id` itself and sends the whole conversation in `input`
 * with `store: false`, so its own store is the one that counts and a conversation can move between providers.
 */
import type { Candidate } from "../candidates";
import { upstreamMaxTokens } from "./decode";
import type { Item, ResponsesBody } from "./request-schema";

/** A provider whose adapter speaks the Responses API, unless an admin set the provider option nativeResponses: false. */
export function isNative(c: Candidate): boolean {
  return c.provider.adapter.responses !== undefined && c.provider.options.nativeResponses !== false;
}

/**
 * Items from the hub's store lose their ids (the provider never stored them, and rejects ids it does not know);
 * reasoning without its encrypted content cannot be replayed at all.
 */
function replayable(item: Item): Item | null {
  if (item.type === "reasoning") return typeof item.encrypted_content === "string" ? item : null;
  const { id: _id, ...rest } = item;
  return rest;
}

export function nativeBody(
  body: ResponsesBody,
  history: Item[],
  input: Item[],
  stream: boolean,
): Record<string, unknown> {
  const { previous_response_id: _prev, ...rest } = body;
  const out: Record<string, unknown> = {
    ...rest,
    input: [...history.map(replayable).filter((i): i is Item => i !== null), ...input],
    store: false,
    stream,
  };
  const max = upstreamMaxTokens(body);
  if (max !== undefined) out.max_output_tokens = max;
  return out;
}
