/**
 * Upper bounds of what a request can use, for the credit reservation made before the upstream call. Pure.
 *
 * Input: a byte-level tokenizer never makes more tokens than the text has UTF-8 bytes, so the prompt's bytes (plus a
 * few tokens of framing per message, and an allowance per image) bound its tokens; the common four-characters-a-
 * token estimate would under-reserve non-English text. Output: the request's max_completion_tokens / max_tokens,
 * else the model's output limit, else DEFAULT_OUTPUT_BOUND, times `n`. A provider that still reports more (an image
 * counted dearer than the allowance, no limit anywhere) is charged in full as long as the balance covers it; only
 * what the balance cannot cover is left uncollected, so the balance never goes below zero.
 */
import type { UsageBound } from "./price-book";

/** Output tokens assumed when neither the request nor the model gives a limit. */
export const DEFAULT_OUTPUT_BOUND = 8_192;
/**
 * The smallest output budget the hub lowers a request to when the balance cannot cover the one it asked for
 * (server/billing/call-billing.server.ts reserveForCall); below it the call is refused with 402.
 */
export const MIN_LOWERED_OUTPUT_TOKENS = 1_024;
/** Framing tokens per message (role, separators). */
export const MESSAGE_OVERHEAD_TOKENS = 8;
/** Tokens assumed per image in a prompt (OpenAI's high-detail 2048×2048 is 1,105 on gpt-4o). */
export const IMAGE_INPUT_TOKENS = 2_000;

const utf8 = new TextEncoder();
const bytes = (s: string) => utf8.encode(s).length;

/** Keys whose values are media, not text: counted as images, never as bytes of base64. */
const MEDIA_KEYS = new Set(["image_url", "input_audio", "file"]);

/** In Anthropic's Messages API an image or document carries its bytes (or URL, or file id) in `source`. */
const MESSAGES_MEDIA_KEYS = new Set(["source"]);

function textBytes(value: unknown, counts: { bytes: number; images: number }, media = MEDIA_KEYS): void {
  if (typeof value === "string") counts.bytes += bytes(value);
  else if (Array.isArray(value)) for (const v of value) textBytes(v, counts, media);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (media.has(k)) counts.images++;
      else if (k !== "role" && k !== "type") textBytes(v, counts, media);
    }
  }
}

export function positiveInt(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) && v > 0 ? Math.floor(v) : null;
}

export function outputBound(requested: number | null, modelLimit: number | null, n = 1): number {
  const limit =
    requested !== null && modelLimit !== null
      ? Math.min(requested, modelLimit)
      : (requested ?? modelLimit ?? DEFAULT_OUTPUT_BOUND);
  return limit * Math.max(1, n);
}

export interface ChatLike {
  messages?: unknown;
  tools?: unknown;
  max_tokens?: unknown;
  max_completion_tokens?: unknown;
  n?: unknown;
}

export function chatBound(body: ChatLike, modelOutputLimit: number | null): UsageBound {
  const counts = { bytes: 0, images: 0 };
  textBytes(body.messages, counts);
  if (body.tools) counts.bytes += bytes(JSON.stringify(body.tools));
  const messages = Array.isArray(body.messages) ? body.messages.length : 1;
  const requested = positiveInt(body.max_completion_tokens) ?? positiveInt(body.max_tokens);
  return {
    inputTokens: counts.bytes + messages * MESSAGE_OVERHEAD_TOKENS + counts.images * IMAGE_INPUT_TOKENS,
    outputTokens: outputBound(requested, modelOutputLimit, positiveInt(body.n) ?? 1),
  };
}

/**
 * Anthropic's Messages API (docs/messages-api.md): the system prompt, messages and every tool definition (typed
 * tools too: a native provider gets them) by their bytes, images and documents as an allowance each; output is
 * the required max_tokens, capped by the model's limit.
 */
export function messagesBound(
  body: { system?: unknown; messages?: unknown; tools?: unknown; max_tokens?: unknown },
  modelOutputLimit: number | null,
): UsageBound {
  const counts = { bytes: 0, images: 0 };
  textBytes([body.system, body.messages], counts, MESSAGES_MEDIA_KEYS);
  if (body.tools) counts.bytes += bytes(JSON.stringify(body.tools));
  const messages = Array.isArray(body.messages) ? body.messages.length + 1 : 1;
  return {
    inputTokens: counts.bytes + messages * MESSAGE_OVERHEAD_TOKENS + counts.images * IMAGE_INPUT_TOKENS,
    outputTokens: outputBound(positiveInt(body.max_tokens), modelOutputLimit),
  };
}

/** Embeddings: strings count their bytes, token arrays their length. */
export function embeddingsBound(input: unknown): UsageBound {
  let tokens = 0;
  const walk = (v: unknown): void => {
    if (typeof v === "string") tokens += bytes(v) + 1;
    else if (typeof v === "number") tokens += 1;
    else if (Array.isArray(v)) v.forEach(walk);
  };
  walk(input);
  return { inputTokens: tokens, outputTokens: 0 };
}

/** Images: n images at the requested size and quality, the prompt, and output tokens for token-billed models. */
export function imageBound(
  body: { prompt?: unknown; n?: unknown; size?: unknown; quality?: unknown },
  modelOutputLimit: number | null,
): UsageBound {
  const n = positiveInt(body.n) ?? 1;
  return {
    inputTokens:
      typeof body.prompt === "string" ? bytes(body.prompt) + MESSAGE_OVERHEAD_TOKENS : MESSAGE_OVERHEAD_TOKENS,
    outputTokens: n * (modelOutputLimit ?? DEFAULT_OUTPUT_BOUND),
    images: n,
    imageSize: typeof body.size === "string" ? body.size : null,
    imageQuality: typeof body.quality === "string" ? body.quality : null,
  };
}
