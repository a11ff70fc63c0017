/**
 * Which inbound API a call came in on, for its record (`model_calls.api`). Derived once from the endpoint path so
 * a new route needs no extra argument: `/responses` is OpenAI's Responses API and `/messages` Anthropic's Messages
 * API under any prefix (`/v1`, `/api/v2`); AIGNE's envelope handlers say so themselves; everything else follows
 * the model type (chat completions, embeddings, images). The SQL backfill in drizzle/migrations/0004_call_api.sql
 * applies the same rule to calls recorded before the column existed.
 */
import type { CallApi, ModelType } from "../../drizzle/schema";

const BY_TYPE: Record<ModelType, CallApi> = { chat: "chat", embedding: "embeddings", image: "images" };

/** Answers by endpoint and type: the few paths of the API, each worked out once (every call asks). */
const known = new Map<string, CallApi>();

export function callApiFor(endpoint: string, type: ModelType, aigne = false): CallApi {
  if (aigne) return "aigne";
  const key = `${type} ${endpoint}`;
  let api = known.get(key);
  if (!api) {
    api = fromPath(endpoint, type);
    // A bound: endpoints come from the routes, but a path is the client's to spell (a trailing slash).
    if (known.size >= 256) known.clear();
    known.set(key, api);
  }
  return api;
}

function fromPath(endpoint: string, type: ModelType): CallApi {
  const segments = endpoint.replace(/\?.*$/, "").split("/").filter(Boolean);
  if (segments.includes("responses")) return "responses";
  if (segments.includes("messages")) return "messages";
  return BY_TYPE[type];
}
