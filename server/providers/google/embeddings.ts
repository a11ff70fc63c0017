/**
 * OpenAI embeddings ↔ Gemini batchEmbedContents (https://ai.google.dev/api/embeddings#method:-models.batchembedcontents).
 *
 * Gemini neither counts tokens for embeddings nor encodes base64, but the parse step only sees the upstream JSON.
 * So buildEmbeddingsRequest remembers, per target object, what the parse step needs (encoding_format and the
 * input size for a token estimate): the gateway must pass the same `target` object to both calls.
 */
import type {
  CreateEmbeddingResponse,
  EmbeddingCreateParams,
  EmbeddingsAdapter,
  TokenUsage,
  UpstreamRequest,
  UpstreamTarget,
} from "../types";
import { geminiUrl, googleHeaders, GoogleRequestError } from "./request";

export interface EmbeddingRequestInfo {
  /** encoding_format was "base64". */
  base64: boolean;
  /** Total characters of the input, for the chars/4 token estimate. */
  inputChars: number;
}

const pending = new WeakMap<UpstreamTarget, EmbeddingRequestInfo>();

function inputTexts(input: EmbeddingCreateParams["input"]): string[] {
  const list = Array.isArray(input) ? input : [input];
  if (list.length === 0) throw new GoogleRequestError("Embedding input must not be empty");
  return list.map((item) => {
    if (typeof item !== "string") throw new GoogleRequestError("Gemini embeddings take text input, not token arrays");
    return item;
  });
}

export function toBatchEmbedRequest(body: EmbeddingCreateParams, model: string): Record<string, unknown> {
  const name = `models/${model.replace(/^models\//, "")}`;
  return {
    requests: inputTexts(body.input).map((text) => ({
      model: name,
      content: { parts: [{ text }] },
      ...(body.dimensions ? { outputDimensionality: body.dimensions } : {}),
    })),
  };
}

export function buildEmbeddingsRequest(body: EmbeddingCreateParams, target: UpstreamTarget): UpstreamRequest {
  const payload = toBatchEmbedRequest(body, target.model);
  const inputChars = inputTexts(body.input).reduce((n, text) => n + text.length, 0);
  pending.set(target, { base64: body.encoding_format === "base64", inputChars });
  return {
    url: geminiUrl(target.baseUrl, target.model, "batchEmbedContents"),
    method: "POST",
    headers: googleHeaders(target.secret),
    body: JSON.stringify(payload),
  };
}

/** OpenAI's base64 embeddings are the float32 little-endian bytes of the vector. */
export function floatsToBase64(values: number[]): string {
  const view = new DataView(new ArrayBuffer(values.length * 4));
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return Buffer.from(view.buffer).toString("base64");
}

/** Pure mapping, given what the request asked for. */
export function toOpenAIEmbeddings(
  json: unknown,
  model: string,
  info: EmbeddingRequestInfo,
): { response: CreateEmbeddingResponse; usage: TokenUsage } {
  const embeddings = ((json ?? {}) as { embeddings?: Array<{ values?: number[] }> }).embeddings ?? [];
  const estimate = Math.ceil(info.inputChars / 4);
  const response: CreateEmbeddingResponse = {
    object: "list",
    model,
    data: embeddings.map((e, index) => ({
      object: "embedding",
      index,
      // The SDK types `embedding` as number[], but with encoding_format=base64 OpenAI sends a string.
      embedding: (info.base64 ? floatsToBase64(e.values ?? []) : (e.values ?? [])) as number[],
    })),
    usage: { prompt_tokens: estimate, total_tokens: estimate },
  };
  const usage: TokenUsage = {
    inputTokens: estimate,
    outputTokens: 0,
    cachedInputTokens: null,
    cacheWriteTokens: null,
    source: "estimated",
  };
  return { response, usage };
}

export function parseEmbeddingsResponse(
  json: unknown,
  target: UpstreamTarget,
): { response: CreateEmbeddingResponse; usage: TokenUsage | null } {
  const info = pending.get(target);
  pending.delete(target);
  if (info) return toOpenAIEmbeddings(json, target.model, info);
  // Unknown request (another target object): floats, and no usage so the gateway estimates it itself.
  const { response } = toOpenAIEmbeddings(json, target.model, { base64: false, inputChars: 0 });
  return { response, usage: null };
}

export const googleEmbeddings: EmbeddingsAdapter = { buildEmbeddingsRequest, parseEmbeddingsResponse };
