/**
 * Native pass-through of OpenAI's Responses API (POST {base}/responses) for vendors that serve it: OpenAI, xAI and
 * OpenRouter. The hub's gateway (server/gateway/responses/, contract in docs/responses-api.md) builds the body; this
 * file only addresses the vendor, reads usage, and decodes the event stream.
 *
 * The stream parser turns each event into chat chunks the pipeline already understands (text, reasoning and
 * function-call argument deltas: they time the first token and feed body logging) and keeps the events themselves
 * for `takeRaw`, which the gateway forwards. The stream must end with `response.completed` or
 * `response.incomplete` (https://platform.openai.com/docs/api-reference/responses-streaming); `error` and
 * `response.failed` events, and a body that ends before either, are errors.
 */
import type {
  ChatCompletionChunk,
  ChatStreamParser,
  ResponsesAdapter,
  TokenUsage,
  UpstreamError,
  UpstreamRequest,
  UpstreamTarget,
} from "../types";
import { SseDecoder } from "../sse-decoder";
import {
  expectArray,
  expectRecord,
  isRecord,
  optionalRecord,
  streamShapeError,
  tokenCount,
  unreadableUpstream,
} from "../upstream-guards";
import { openAIErrorFromObject } from "./error";

type Json = Record<string, unknown>;

/**
 * Responses usage: input_tokens (cached reads included, in input_tokens_details.cached_tokens) and output_tokens.
 * Absent counts stay null; present ones must be counts (server/providers/upstream-guards.ts).
 */
export function responsesUsage(value: unknown): TokenUsage | null {
  const usage = optionalRecord(value, "usage");
  if (!usage) return null;
  const details = optionalRecord(usage.input_tokens_details, "usage.input_tokens_details");
  return {
    inputTokens: tokenCount(usage.input_tokens, "usage.input_tokens"),
    outputTokens: tokenCount(usage.output_tokens, "usage.output_tokens"),
    cachedInputTokens: tokenCount(details?.cached_tokens, "usage.input_tokens_details.cached_tokens"),
    cacheWriteTokens: null,
    source: "provider",
  };
}

export function createResponsesCapability(
  post: (target: UpstreamTarget, body: Json) => UpstreamRequest,
): ResponsesAdapter {
  return {
    buildResponsesRequest: (body, target) => post(target, { ...body, model: target.model }),
    parseResponsesResponse(json) {
      const response = expectRecord(json, "the response");
      expectArray(response.output, "the response's output");
      return { response, usage: responsesUsage(response.usage) };
    },
    createResponsesStreamParser: () => createResponsesStreamParser(),
  };
}

const TERMINAL = new Set(["response.completed", "response.incomplete"]);

export function createResponsesStreamParser(): ChatStreamParser {
  const decoder = new SseDecoder();
  let raw: unknown[] = [];
  let usage: TokenUsage | null = null;
  let error: UpstreamError | null = null;
  let finished = false;
  let created = 0;
  let id = "resp";

  // Reasoning text rides in `reasoning_content`, as DeepSeek's chat streams carry it: not in the SDK's Delta type.
  type Delta = ChatCompletionChunk.Choice.Delta & { reasoning_content?: string };
  const chunk = (delta: Delta, finish: "stop" | "length" | null = null): ChatCompletionChunk => ({
    id,
    object: "chat.completion.chunk",
    created,
    model: "",
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  });

  const handle = (data: string): ChatCompletionChunk[] => {
    if (finished || error || data.trim() === "" || data.trim() === "[DONE]") return [];
    let event: Json;
    try {
      const parsed: unknown = JSON.parse(data);
      if (!isRecord(parsed)) throw new Error("not an object");
      event = parsed;
    } catch {
      error = unreadableUpstream("Responses stream: an event is not a JSON object");
      return [];
    }
    try {
      return onEvent(event);
    } catch (e) {
      error = streamShapeError(e, "Responses");
      return [];
    }
  };

  const onEvent = (event: Json): ChatCompletionChunk[] => {
    const type = String(event.type);
    const response = isRecord(event.response) ? event.response : null;
    if (type === "error") {
      error = openAIErrorFromObject(500, { error: event });
      return [];
    }
    if (type === "response.failed") {
      const inner = response && isRecord(response.error) ? response.error : {};
      error = openAIErrorFromObject(500, {
        error: { message: inner.message ?? "The provider failed to answer.", code: inner.code ?? "server_error" },
      });
      usage = responsesUsage(response?.usage) ?? usage;
      return [];
    }
    raw.push(event);
    if (type === "response.created" && response) {
      id = typeof response.id === "string" ? response.id : id;
      created = num(response.created_at) ?? 0;
    }
    if (TERMINAL.has(type)) {
      finished = true;
      usage = responsesUsage(response?.usage);
      return [chunk({}, type === "response.incomplete" ? "length" : "stop")];
    }
    const delta = typeof event.delta === "string" ? event.delta : "";
    switch (type) {
      case "response.output_text.delta":
        return [chunk({ content: delta })];
      case "response.reasoning_text.delta":
      case "response.reasoning_summary_text.delta":
        return [chunk({ reasoning_content: delta })];
      case "response.function_call_arguments.delta":
        return [chunk({ tool_calls: [{ index: num(event.output_index) ?? 0, function: { arguments: delta } }] })];
      case "response.output_item.added": {
        const item = isRecord(event.item) ? event.item : {};
        if (item.type !== "function_call") break;
        const name = typeof item.name === "string" ? item.name : "";
        const callId = typeof item.call_id === "string" ? item.call_id : undefined;
        return [
          chunk({
            tool_calls: [
              { index: num(event.output_index) ?? 0, id: callId, type: "function", function: { name, arguments: "" } },
            ],
          }),
        ];
      }
    }
    // Every other event (created, item and part announcements, *.done) still commits the stream and goes out raw.
    const marker: ChatCompletionChunk = { id, object: "chat.completion.chunk", created, model: "", choices: [] };
    return [marker];
  };

  return {
    push: (bytes) => decoder.push(bytes).flatMap((e) => handle(e.data)),
    end: () => {
      const chunks = decoder.end().flatMap((e) => handle(e.data));
      if (!finished && !error) {
        error = {
          status: 502,
          type: "api_error",
          code: "stream_truncated",
          message: "The provider's stream ended before the response was complete.",
          retryable: true,
        };
      }
      return chunks;
    },
    usage: () => (usage && !finished ? { ...usage, source: "partial" } : usage),
    error: () => error,
    takeRaw: () => {
      const out = raw;
      raw = [];
      return out;
    },
  };
}

function num(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}
