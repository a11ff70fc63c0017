/**
 * One adapter for every vendor that speaks the OpenAI wire format (OpenAI, DeepSeek, xAI, OpenRouter, Ollama,
 * Volcengine Ark/Doubao, Poe, and the in-process mock). The gateway already speaks OpenAI internally, so the
 * transforms are nearly the identity: the request body passes through untouched (the hub promises that unknown
 * fields reach the vendor), only `model` is replaced by the vendor's id and streamed requests ask for usage.
 *
 * Reference: https://platform.openai.com/docs/api-reference/chat
 */
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatStreamParser,
  CreateEmbeddingResponse,
  ImagesResponse,
  ProviderAdapter,
  ProviderFacts,
  TokenUsage,
  UpstreamError,
  UpstreamRequest,
  UpstreamTarget,
} from "../types";
import { SseDecoder, type SseEvent } from "../sse-decoder";
import {
  expectArray,
  expectRecord,
  type JsonObject,
  optionalRecord,
  streamShapeError,
  tokenCount,
  UpstreamShapeError,
  unreadableUpstream,
} from "../upstream-guards";
import { openAIErrorFromObject, parseOpenAIError } from "./error";
import { createResponsesCapability } from "./responses";

type Body = Record<string, unknown>;
type Endpoint = "chat" | "embeddings" | "images" | "responses";

export interface OpenAICompatibleConfig extends ProviderFacts {
  defaultBaseUrl: string;
  /** Auth headers for a secret; default `Authorization: Bearer <secret>`. */
  authHeader?: (secret: string) => Record<string, string>;
  /** Whether the vendor accepts `stream_options.include_usage` (default true). */
  supportsStreamUsage?: boolean;
  supportsEmbeddings: boolean;
  supportsImages: boolean;
  /** The vendor serves OpenAI's Responses API at {base}/responses: Responses calls pass through natively. */
  supportsResponses?: boolean;
  /** Extra headers on every request, fixed or computed from the target (e.g. OpenRouter attribution). */
  extraHeaders?: Record<string, string> | ((target: UpstreamTarget) => Record<string, string>);
  /** Last-step vendor quirks applied to the outgoing JSON body. */
  transformBody?: (body: Body, target: UpstreamTarget, endpoint: Endpoint) => Body;
}

/** `Authorization: Bearer` only when there is a secret: local servers (Ollama, the mock) need none. */
export function optionalBearer(secret: string): Record<string, string> {
  return secret === "" ? {} : { authorization: `Bearer ${secret}` };
}

export function createOpenAICompatibleAdapter(config: OpenAICompatibleConfig): ProviderAdapter {
  const auth = config.authHeader ?? ((secret: string) => ({ authorization: `Bearer ${secret}` }));

  const baseUrl = (target: UpstreamTarget) => {
    const url = target.baseUrl || config.defaultBaseUrl;
    return url.endsWith("/") ? url.replace(/\/+$/, "") : url;
  };

  // Merged by assignment, not by spreads: a spread after the first in an object literal runs in V8's runtime.
  const headers = (target: UpstreamTarget, json: boolean): Record<string, string> => {
    const out: Record<string, string> = json ? { "content-type": "application/json" } : {};
    const extra = typeof config.extraHeaders === "function" ? config.extraHeaders(target) : config.extraHeaders;
    if (extra) for (const name in extra) out[name] = extra[name]!;
    const authHeaders: Record<string, string> = auth(target.secret);
    for (const name in authHeaders) out[name] = authHeaders[name]!;
    return out;
  };

  const post = (target: UpstreamTarget, path: string, endpoint: Endpoint, body: Body): UpstreamRequest => {
    const final = config.transformBody ? config.transformBody(body, target, endpoint) : body;
    return {
      url: `${baseUrl(target)}${path}`,
      method: "POST",
      headers: headers(target, true),
      body: JSON.stringify(final),
    };
  };

  const adapter: ProviderAdapter = {
    kind: config.kind,
    displayName: config.displayName,
    menuHint: config.menuHint,
    needsKey: config.needsKey,
    keyHint: config.keyHint,
    freeWhenUnpriced: config.freeWhenUnpriced,
    modelFamily: config.modelFamily,
    builtinModels: config.builtinModels,
    defaultBaseUrl: config.defaultBaseUrl,
    chat: {
      buildChatRequest(body, target) {
        const out: Body = { ...body, model: target.model };
        if (body.stream === true && config.supportsStreamUsage !== false) {
          // Without this OpenAI sends no usage at all in streams; keep any other option the client set.
          out.stream_options = { ...(body.stream_options ?? {}), include_usage: true };
        }
        return post(target, "/chat/completions", "chat", out);
      },
      parseChatResponse(json) {
        assertChatCompletion(json);
        return { completion: json, usage: chatUsage(json.usage) };
      },
      createChatStreamParser: () => createOpenAIStreamParser(),
    },
    parseError: parseOpenAIError,
    buildListModelsRequest(target) {
      return { url: `${baseUrl(target)}/models`, method: "GET", headers: headers(target, false) };
    },
  };

  if (config.supportsEmbeddings) {
    adapter.embeddings = {
      buildEmbeddingsRequest(body, target) {
        return post(target, "/embeddings", "embeddings", { ...body, model: target.model });
      },
      parseEmbeddingsResponse(json) {
        assertDataList<CreateEmbeddingResponse>(json, "embeddings");
        return { response: json, usage: embeddingsUsage(json.usage) };
      },
    };
  }

  if (config.supportsImages) {
    adapter.images = {
      buildImageRequest(body, target) {
        return post(target, "/images/generations", "images", { ...body, model: target.model });
      },
      parseImageResponse(json) {
        assertDataList<ImagesResponse>(json, "image");
        return { response: json, usage: imagesUsage(json.usage) };
      },
    };
  }

  if (config.supportsResponses) {
    adapter.responses = createResponsesCapability((target, body) => post(target, "/responses", "responses", body));
  }

  return adapter;
}

/** A chat completion's shape as the gateway reads it: `choices` objects, each with a `message` object. */
function assertChatCompletion(json: unknown): asserts json is ChatCompletion {
  const body = expectRecord(json, "the chat completion");
  for (const choice of expectArray(body.choices, "choices"))
    expectRecord(expectRecord(choice, "a choice").message, "a choice's message");
}

/** Embeddings and image answers: a `data` array of objects. */
function assertDataList<T>(json: unknown, what: string): asserts json is T & { usage?: unknown } {
  const body = expectRecord(json, `the ${what} answer`);
  for (const item of expectArray(body.data, `the ${what} answer's data`)) expectRecord(item, `a ${what} data item`);
}

/**
 * A stream chunk as the gateway reads it: `choices` objects whose `delta`, when there, is an object with text
 * content (or null) and a tool_calls array.
 */
export function assertChatChunk(json: JsonObject): asserts json is JsonObject & ChatCompletionChunk {
  for (const choice of expectArray(json.choices, "choices")) {
    const delta = optionalRecord(expectRecord(choice, "a choice").delta, "a choice's delta");
    if (!delta) continue;
    if (delta.content !== undefined && delta.content !== null && typeof delta.content !== "string")
      throw new UpstreamShapeError("a delta's content is not text");
    if (delta.tool_calls !== undefined && delta.tool_calls !== null)
      expectArray(delta.tool_calls, "a delta's tool_calls");
  }
}

/**
 * Chat usage: `prompt_tokens`, `completion_tokens`, cached reads in `prompt_tokens_details.cached_tokens`
 * (https://platform.openai.com/docs/guides/prompt-caching) or, for DeepSeek, `prompt_cache_hit_tokens`
 * (https://api-docs.deepseek.com/guides/kv_cache). Absent numbers stay null; present ones must be counts.
 */
export function chatUsage(value: unknown): TokenUsage | null {
  const usage = optionalRecord(value, "usage");
  if (!usage) return null;
  const details = optionalRecord(usage.prompt_tokens_details, "usage.prompt_tokens_details");
  return {
    inputTokens: tokenCount(usage.prompt_tokens, "usage.prompt_tokens"),
    outputTokens: tokenCount(usage.completion_tokens, "usage.completion_tokens"),
    cachedInputTokens:
      tokenCount(details?.cached_tokens, "usage.prompt_tokens_details.cached_tokens") ??
      tokenCount(usage.prompt_cache_hit_tokens, "usage.prompt_cache_hit_tokens"),
    cacheWriteTokens: null,
    source: "provider",
  };
}

/** Embeddings bill input only: output is a known zero, not an unknown. */
function embeddingsUsage(value: unknown): TokenUsage | null {
  const usage = optionalRecord(value, "usage");
  if (!usage) return null;
  const input =
    tokenCount(usage.prompt_tokens, "usage.prompt_tokens") ?? tokenCount(usage.total_tokens, "usage.total_tokens");
  return { inputTokens: input, outputTokens: 0, cachedInputTokens: null, cacheWriteTokens: null, source: "provider" };
}

/** gpt-image-1 reports `input_tokens`/`output_tokens`; DALL·E and most vendors report nothing. */
function imagesUsage(value: unknown): TokenUsage | null {
  const usage = optionalRecord(value, "usage");
  if (!usage) return null;
  const details = optionalRecord(usage.input_tokens_details, "usage.input_tokens_details");
  return {
    inputTokens:
      tokenCount(usage.input_tokens, "usage.input_tokens") ?? tokenCount(usage.prompt_tokens, "usage.prompt_tokens"),
    outputTokens:
      tokenCount(usage.output_tokens, "usage.output_tokens") ??
      tokenCount(usage.completion_tokens, "usage.completion_tokens"),
    cachedInputTokens: tokenCount(details?.cached_tokens, "usage.input_tokens_details.cached_tokens"),
    cacheWriteTokens: null,
    source: "provider",
  };
}

/**
 * Stream parser for `text/event-stream` chat answers: each `data:` line is one ChatCompletionChunk, passed
 * through as is; `data: [DONE]` ends the stream (https://platform.openai.com/docs/api-reference/chat-streaming).
 * With `include_usage`, the last chunk before [DONE] has `choices: []` and the `usage` object.
 *
 * usage(): null until a chunk carries usage; "provider" once one did; "partial" if the body then ended
 * without [DONE] (the stream was cut, so the counts may not cover everything the client received).
 */
export function createOpenAIStreamParser(): ChatStreamParser {
  const decoder = new SseDecoder();
  let usage: TokenUsage | null = null;
  let error: UpstreamError | null = null;
  let done = false;
  let ended = false;

  const handle = (events: SseEvent[]): ChatCompletionChunk[] => {
    const chunks: ChatCompletionChunk[] = [];
    for (const event of events) {
      if (done) break;
      const data = event.data.trim();
      if (data === "") continue;
      if (data === "[DONE]") {
        done = true;
        break;
      }
      let json: unknown;
      try {
        json = JSON.parse(data);
      } catch {
        error ??= unreadableUpstream("stream chunk: invalid JSON");
        break;
      }
      try {
        const chunk = expectRecord(json, "a stream chunk");
        // Errors after the 200 arrive as a chunk {"error":{...}} (OpenAI, OpenRouter mid-stream errors).
        if ((chunk.error !== undefined && chunk.error !== null) || event.event === "error") {
          error ??= openAIErrorFromObject(500, chunk);
          break;
        }
        assertChatChunk(chunk);
        const chunkUsage = chatUsage(chunk.usage);
        if (chunkUsage) usage = chunkUsage;
        chunks.push(chunk);
      } catch (e) {
        // Nothing after a chunk of the wrong shape is trustworthy.
        error ??= streamShapeError(e, "chat");
        break;
      }
    }
    return chunks;
  };

  return {
    push: (bytes) => handle(decoder.push(bytes)),
    end: () => {
      const chunks = handle(decoder.end());
      ended = true;
      return chunks;
    },
    usage: () => (usage && ended && !done ? { ...usage, source: "partial" } : usage),
    error: () => error,
  };
}
