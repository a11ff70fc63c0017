import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { bool, createdAt, id, timestamp } from "./columns";

export const CALL_STATUSES = ["processing", "success", "failed", "aborted"] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

/**
 * The inbound API a call came in on (its wire format), whatever the model type: OpenAI Chat Completions, OpenAI
 * Responses, Anthropic Messages, OpenAI embeddings, OpenAI images, or AIGNE Hub's envelope.
 */
export const CALL_APIS = ["chat", "responses", "messages", "embeddings", "images", "aigne"] as const;
export type CallApi = (typeof CALL_APIS)[number];

/**
 * One row per authenticated API request. Token counts are null when unknown (with `usage_source` saying where
 * known ones came from), never a silent 0. Dimension columns are copied (provider name, model) so reports stay
 * right after a provider is renamed or deleted.
 */
export const modelCalls = sqliteTable(
  "model_calls",
  {
    id: id(),
    /** The hub's own id for the request (the `x-request-id` it answers with), unique per call. */
    requestId: text("request_id").notNull(),
    /** The `x-request-id` the client sent, if any: the client's to choose, so not unique. */
    clientRequestId: text("client_request_id"),
    /** The hub process serving the call (hub_instances): who closes it if that process dies. */
    instanceId: text("instance_id"),
    userId: text("user_id"),
    accessKeyId: text("access_key_id"),
    appName: text("app_name"),
    /** chat, embedding or image. */
    type: text("type").notNull(),
    endpoint: text("endpoint").notNull(),
    /** One of CALL_APIS; derived from the endpoint when the call starts (server/gateway/call-api.ts). */
    api: text("api", { enum: CALL_APIS }),
    stream: bool("stream").notNull().default(false),
    requestedModel: text("requested_model"),
    providerId: text("provider_id"),
    providerName: text("provider_name"),
    credentialId: text("credential_id"),
    /** The provider's model id that served the call. */
    model: text("model"),
    status: text("status", { enum: ["processing", "success", "failed", "aborted"] })
      .notNull()
      .default("processing"),
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
    cachedInputTokens: integer("cached_input_tokens"),
    cacheWriteTokens: integer("cache_write_tokens"),
    usageSource: text("usage_source", { enum: ["provider", "estimated", "partial", "cache"] }),
    images: integer("images"),
    /** Micro-credits; null until priced. */
    costMicro: integer("cost_micro"),
    rateId: text("rate_id"),
    durationMs: integer("duration_ms"),
    ttftMs: integer("ttft_ms"),
    attempts: integer("attempts").notNull().default(1),
    httpStatus: integer("http_status"),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    ip: text("ip"),
    /** What the hub changed about the request on its way upstream (e.g. tools a provider cannot run, left out). */
    notes: text("notes"),
    /** Only when body logging is on (settings), redacted, pruned after the retention period. */
    requestBody: text("request_body"),
    responseBody: text("response_body"),
    createdAt: createdAt(),
    finishedAt: timestamp("finished_at"),
    /**
     * 0 while the finished call is not yet in the usage rollups. The record commits first (before the answer's last
     * byte); its rollups follow in a transaction that flips this flag, so a crash between leaves it 0 and a sweep adds
     * it later, exactly once (server/usage/roll-up.server.ts).
     */
    rolledUp: integer("rolled_up").notNull().default(1),
  },
  (t) => [
    index("model_calls_created_idx").on(t.createdAt),
    index("model_calls_user_created_idx").on(t.userId, t.createdAt),
    // The call log and its export filtered by model or provider: walked newest first within the one model or
    // provider, instead of scanning every call in the range (docs/decisions/017-closed-calls-and-exports.md).
    index("model_calls_model_created_idx").on(t.model, t.createdAt),
    index("model_calls_provider_created_idx").on(t.providerName, t.createdAt),
    // Only open calls are in it (the stale-call job's query), so finished calls cost it nothing.
    index("model_calls_processing_idx").on(t.createdAt).where(sql`${t.status} = 'processing'`),
    index("model_calls_unrolled_idx").on(t.finishedAt).where(sql`${t.rolledUp} = 0`),
    index("model_calls_request_idx").on(t.requestId),
    index("model_calls_client_request_idx").on(t.clientRequestId).where(sql`${t.clientRequestId} is not null`),
    // Open calls by instance: what the recovery of a stopped instance closes.
    index("model_calls_instance_processing_idx").on(t.instanceId).where(sql`${t.status} = 'processing'`),
  ],
);
