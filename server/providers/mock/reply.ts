/**
 * The mock provider's brain: pure, deterministic text and token rules, so a new user can try the hub without
 * any provider account and tests can predict every byte.
 *
 * Rules (documented here once; tests rely on them):
 * - Chat reply: `Mock reply to: <last user text, first 200 characters>`.
 * - Input tokens: ceil(total characters of the text of all messages / 4).
 * - Output tokens: the number of whitespace-separated words of the reply; for a tool call,
 *   ceil((tool name + arguments JSON) characters / 4).
 * - Tool call: when the request has tools, the last message is the user's and its text contains "weather",
 *   the first tool is called with `{"location":"Paris"}` (a tool result afterwards gets a normal reply,
 *   so agent loops terminate).
 * - Streaming: one word per chunk, `[[delay=N]]` in the user text, else options.delayMs, else 20 ms apart.
 * - Embeddings: FNV-1a hash of the input seeds a PRNG; `dimensions` (default 16) floats, L2-normalized.
 *   Input tokens: ceil(characters / 4) summed over inputs.
 * - Images: a 1×1 PNG; usage: ceil(prompt characters / 4) input tokens, 1 output token per image.
 * - Magic words anywhere in the text: "[[error]]" → 500 api_error, "[[429]]" → 429 with `retry-after: 1`.
 */

export const MOCK_DEFAULT_DELAY_MS = 20;
export const MOCK_ECHO_LIMIT = 200;
export const MOCK_EMBEDDING_DIMENSIONS = 16;
export const MOCK_TOOL_ARGUMENTS = '{"location":"Paris"}';

/** A valid 1×1 RGBA PNG (signature, IHDR, IDAT, IEND with correct CRCs). */
export const MOCK_PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

export type MagicWord = "error" | "429";

interface MessageLike {
  role?: unknown;
  content?: unknown;
}

/** The text of a message's content: a string, or the `text` of its content parts (images etc. ignored). */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => (part && typeof part === "object" && typeof part.text === "string" ? part.text : ""))
    .filter((t) => t !== "")
    .join("\n");
}

export function lastUserText(messages: MessageLike[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role === "user") return contentText(message.content);
  }
  return "";
}

export function tokensFromChars(chars: number): number {
  return Math.ceil(chars / 4);
}

export function inputTokensFor(messages: MessageLike[]): number {
  let chars = 0;
  for (const m of messages) chars += contentText(m?.content).length;
  return tokensFromChars(chars);
}

export function mockReplyText(userText: string): string {
  return `Mock reply to: ${Array.from(userText).slice(0, MOCK_ECHO_LIMIT).join("")}`;
}

/** The reply cut into stream pieces, one word (with its trailing whitespace) each; they join back exactly. */
export function replyPieces(reply: string): string[] {
  return reply.match(/\S+\s*/g) ?? [];
}

export function countWords(text: string): number {
  return replyPieces(text).length;
}

export function toolCallOutputTokens(name: string, args: string): number {
  return tokensFromChars(name.length + args.length);
}

/** The first tool's function name when the mock should call it, else null. */
export function toolToCall(messages: MessageLike[], tools: unknown): string | null {
  if (!Array.isArray(tools) || tools.length === 0) return null;
  const last = messages[messages.length - 1];
  if (last?.role !== "user" || !/weather/i.test(contentText(last.content))) return null;
  const fn = (tools[0] as { function?: { name?: unknown } })?.function;
  return typeof fn?.name === "string" ? fn.name : null;
}

export function magicWord(text: string): MagicWord | null {
  if (text.includes("[[error]]")) return "error";
  if (text.includes("[[429]]")) return "429";
  return null;
}

/** Delay between streamed chunks: `[[delay=N]]` marker, then the credential option, then the default. */
export function streamDelayMs(userText: string, optionDelayMs: number | undefined): number {
  const marker = /\[\[delay=(\d+)\]\]/.exec(userText);
  if (marker) return Number(marker[1]);
  if (optionDelayMs !== undefined && Number.isFinite(optionDelayMs) && optionDelayMs >= 0) return optionDelayMs;
  return MOCK_DEFAULT_DELAY_MS;
}

/** Deterministic unit vector for a text. */
export function mockEmbedding(text: string, dimensions: number = MOCK_EMBEDDING_DIMENSIONS): number[] {
  let seed = 0x811c9dc5; // FNV-1a offset basis
  for (let i = 0; i < text.length; i++) {
    seed ^= text.charCodeAt(i);
    seed = Math.imul(seed, 0x01000193) >>> 0;
  }
  const next = mulberry32(seed);
  const vector = Array.from({ length: dimensions }, () => next() * 2 - 1);
  const norm = Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0)) || 1;
  return vector.map((v) => v / norm);
}

/** Small seeded PRNG (https://gist.github.com/tommyettinger/46a874533244883189143505d203312c). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Float32 little-endian bytes in base64, as OpenAI's `encoding_format: "base64"` returns them. */
export function embeddingToBase64(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString("base64");
}
