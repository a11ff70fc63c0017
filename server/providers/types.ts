/**
 * The contract every provider adapter fulfils.
 *
 * The gateway speaks OpenAI Chat Completions internally: an adapter turns an OpenAI-shaped request into its
 * provider's wire request, and the provider's answer (JSON, or a byte stream) back into OpenAI-shaped objects.
 * Adapters are pure transforms: no network, no database, no clock beyond what is passed in. The gateway owns
 * the one place that sends bytes (server/providers/http.server.ts) and everything around it.
 */
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
} from "openai/resources/chat/completions";
import type { CreateEmbeddingResponse, EmbeddingCreateParams } from "openai/resources/embeddings";
import type { ImageGenerateParams, ImagesResponse } from "openai/resources/images";
import type { ModelType } from "../../drizzle/schema";

export type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParams };
export type { CreateEmbeddingResponse, EmbeddingCreateParams, ImageGenerateParams, ImagesResponse };

/** The kinds are the registry's keys (./registry.ts): registering an adapter is what adds a kind. */
export type { ProviderKind } from "./registry";

/** Where token counts came from. Unknown counts are `null`, never 0 (docs/architecture.md). */
export type UsageSource = "provider" | "estimated" | "partial";

export interface TokenUsage {
  inputTokens: number | null;
  outputTokens: number | null;
  /** Input tokens read from the provider's prompt cache (a subset of inputTokens). */
  cachedInputTokens: number | null;
  /** Input tokens written to the provider's prompt cache (Anthropic / Bedrock cache creation). */
  cacheWriteTokens: number | null;
  source: UsageSource;
}

/** What an adapter needs to address one credential of one provider. */
export interface UpstreamTarget {
  /** Base URL without trailing slash, e.g. "https://api.openai.com/v1" or a fake server's "http://127.0.0.1:4100/v1". */
  baseUrl: string;
  /** The decrypted secret: an API key, or for Bedrock a JSON string {"accessKeyId","secretAccessKey","sessionToken?","region?"}. */
  secret: string;
  /** The provider's own model id, prefix already removed ("gpt-4o-mini", "claude-sonnet-4-5"). */
  model: string;
  /** Extra provider settings (Bedrock region, Anthropic version, ...). */
  options?: Record<string, unknown>;
  /** Fixed clock for signing (Bedrock SigV4); defaults to now. */
  now?: Date;
}

export interface UpstreamRequest {
  url: string;
  method: "POST" | "GET";
  headers: Record<string, string>;
  body?: string;
  /**
   * For providers that sign each request (Bedrock's SigV4, whose signer is async): the headers to send, computed
   * just before sending. When present, they replace `headers`, which then hold what is signed.
   */
  sign?: () => Promise<Record<string, string>>;
}

/** A provider error translated to the gateway's terms. */
export interface UpstreamError {
  /** HTTP status to give the client (OpenAI's codes: 400, 401, 403, 404, 413, 429, 500, 502, 503, 504). */
  status: number;
  /** OpenAI error type: invalid_request_error, authentication_error, permission_error, rate_limit_error, api_error, ... */
  type: string;
  code: string | null;
  /** Human message from the provider, with no secrets or URLs containing credentials. */
  message: string;
  /** True for 429, 5xx, overloaded, timeouts: the gateway may try another credential. */
  retryable: boolean;
  /** From Retry-After / retry-after-ms headers or the body, when given. */
  retryAfterMs?: number;
  /**
   * The provider's own error, status and body as it sent them (secrets redacted), for a client that speaks the
   * provider's API natively (pass-through): it gets the error unmodified rather than re-worded.
   */
  native?: { status: number | null; body: string };
}

/** Incremental decoder of a provider's streaming body into OpenAI chunks. */
export interface ChatStreamParser {
  /** Feed raw bytes as they arrive; returns the OpenAI chunks they complete (possibly none). */
  push(bytes: Uint8Array): ChatCompletionChunk[];
  /** The body ended; returns any chunks still buffered. */
  end(): ChatCompletionChunk[];
  /** Usage seen so far: `source: "provider"` once the provider reported it. */
  usage(): TokenUsage | null;
  /** An error event the provider sent inside the stream (Anthropic `error`, Bedrock exception), if any. */
  error(): UpstreamError | null;
  /**
   * Pass-through parsers only: the provider's own events decoded since the last call, for an encoder that forwards
   * them in the wire format the client speaks (the Responses API to OpenAI, the Messages API to Anthropic).
   */
  takeRaw?(): unknown[];
}

/**
 * A stream parser of a native pass-through (see PassThrough): besides the OpenAI chunks the hub uses for its own
 * accounting (time to first token, estimates, body logging), it hands back the provider's own events, framed for
 * the client, to forward as they arrive. An in-stream error event is not among them: it is reported by error().
 */
export interface PassThroughStreamParser extends ChatStreamParser {
  /** Native wire text completed by the pushes since the last call (at most one string). */
  takeRaw(): string[];
}

/**
 * An optional adapter capability: the provider natively speaks an inbound API the hub serves (Anthropic's
 * Messages API, docs/messages-api.md), so a call in that API goes through unchanged but for the model id,
 * instead of being translated to chat and back. The pipeline picks it per candidate; records and money are the
 * same either way, because usage is observed from the native answer.
 */
export interface PassThrough {
  /** Whether this target can take the native request (Bedrock: only its Anthropic models). */
  supports(target: UpstreamTarget): boolean;
  /** The native request: the client's body with the upstream model id, plus the client's protocol headers. */
  buildRequest(body: Record<string, unknown>, target: UpstreamTarget, clientHeaders: Headers): UpstreamRequest;
  /** Usage from a 2xx non-streaming native answer. Throws when the answer is not the native shape. */
  parseUsage(json: unknown): TokenUsage | null;
  createStreamParser(target: UpstreamTarget): PassThroughStreamParser;
  /** The provider's own token counter, when it has one: its request and how to read the count. */
  countTokens?: {
    buildRequest(body: Record<string, unknown>, target: UpstreamTarget, clientHeaders: Headers): UpstreamRequest;
    parseCount(json: unknown): number;
  };
}

export interface ChatAdapter {
  buildChatRequest(body: ChatCompletionCreateParams, target: UpstreamTarget): UpstreamRequest;
  /** Parse a 2xx non-streaming answer. `json` is the parsed body. */
  parseChatResponse(json: unknown, target: UpstreamTarget): { completion: ChatCompletion; usage: TokenUsage | null };
  createChatStreamParser(target: UpstreamTarget): ChatStreamParser;
}

export interface EmbeddingsAdapter {
  buildEmbeddingsRequest(body: EmbeddingCreateParams, target: UpstreamTarget): UpstreamRequest;
  parseEmbeddingsResponse(
    json: unknown,
    target: UpstreamTarget,
  ): { response: CreateEmbeddingResponse; usage: TokenUsage | null };
}

export interface ImagesAdapter {
  buildImageRequest(body: ImageGenerateParams, target: UpstreamTarget): UpstreamRequest;
  parseImageResponse(json: unknown, target: UpstreamTarget): { response: ImagesResponse; usage: TokenUsage | null };
}

/**
 * Optional capability: the provider serves OpenAI's Responses API itself (docs/responses-api.md), so a Responses
 * call to it passes through natively instead of being translated onto chat. `body` is the client's Responses body
 * with the whole conversation in `input`; the stream parser yields chat chunks (for time to first token, usage
 * and body logging) and, through `takeRaw`, the provider's own events to forward.
 */
export interface ResponsesAdapter {
  buildResponsesRequest(body: Record<string, unknown>, target: UpstreamTarget): UpstreamRequest;
  parseResponsesResponse(
    json: unknown,
    target: UpstreamTarget,
  ): { response: Record<string, unknown>; usage: TokenUsage | null };
  createResponsesStreamParser(target: UpstreamTarget): ChatStreamParser;
}

/**
 * What the rest of the hub needs to know about a provider, declared by its adapter and read from the registry
 * (catalog, billing, routing, the admin's provider menu), so that adding a provider touches no other file.
 * Every field is required: the compiler makes a new adapter answer each question.
 */
export interface ProviderFacts {
  /** The registry key this adapter is registered under (checked by server/providers/registry.test.ts). */
  kind: string;
  /** The vendor's name: shown in the admin's provider menu and a new provider's default display name. */
  displayName: string;
  /** Said beside the name in the provider menu only ("no account needed"), never part of a provider's title. */
  menuHint: string | null;
  /** Whether a credential must carry a secret (false for a local server or the in-process mock). */
  needsKey: boolean;
  /** Shown under the key field of the credential dialogs when the secret is not a plain API key (Bedrock's JSON). */
  keyHint: string | null;
  /**
   * With billing on, a call to a model that has no rate is free rather than refused: only for a provider that
   * costs the hub nothing (the mock, so a new user can try the hub, docs/decisions/004-credit-billing.md).
   */
  freeWhenUnpriced: boolean;
  /**
   * Bare model ids of this vendor's family ("claude-…"), routed to a provider of this kind that passes any model
   * through (docs/aigne-protocol.md, "Which protocol the client uses"); null for resellers of many families.
   */
  modelFamily: RegExp | null;
  /** Models the provider answers without a catalog entry (the mock's): offered in the playground and as examples. */
  builtinModels: ReadonlyArray<{ model: string; type: ModelType }>;
}

export interface ProviderAdapter extends ProviderFacts {
  /** Default base URL of the vendor's API (a credential may override it). */
  defaultBaseUrl: string;
  chat: ChatAdapter;
  embeddings?: EmbeddingsAdapter;
  images?: ImagesAdapter;
  responses?: ResponsesAdapter;
  /** Translate a non-2xx answer. `body` is the raw text (may be empty or not JSON). */
  parseError(status: number, body: string, headers: Headers): UpstreamError;
  /** GET request that lists models (used off the hot path, e.g. credential tests and model import). */
  buildListModelsRequest?(target: UpstreamTarget): UpstreamRequest;
  /** Native pass-through of Anthropic's Messages API (Anthropic, Bedrock's Anthropic models). */
  messages?: PassThrough;
}
