/**
 * Which inbound API a call came in on, for its record (`model_calls.api`). Derived once from the endpoint path so
 * a new route needs no extra argument: `/responses` is OpenAI's Responses API and `/messages` Anthropic's Messages
 * API under any prefix (`/v1`, `/api/v2`); AIGNE's envelope handlers say so themselves; everything else follows
 * the model type (chat completions, embeddings, images). The SQL backfill in drizzle/migrations/0004_call_api.sql
 * applies the same rule to calls recorded before the column existed.
 */
import type { CallApi, ModelType } from "../../drizzle/schema";

const BY_TYPE: Record<ModelType, CallApi> = { chat: "chat", embedding: "embeddings", image: "images" };

export function callApiFor(endpoint: string, type: ModelType, aigne = false): CallApi {
  if (aigne) return "aigne";
  const segments = endpoint.replace(/\?.*$/, "").split("/").filter(Boolean);
  if (segments.includes("responses")) return "responses";
  if (segments.includes("messages")) return "messages";
  return BY_TYPE[type];
}
