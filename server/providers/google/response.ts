/**
 * Gemini `GenerateContentResponse` → OpenAI `ChatCompletion`.
 * Wire reference: https://ai.google.dev/api/generate-content#generatecontentresponse
 * Shared with stream.ts: finish reasons, usage and part splitting (a stream chunk has the same shape).
 */
import type { ChatCompletion, TokenUsage, UpstreamTarget } from "../types";
import { assertGenerateContentResponse } from "./guards";
import type { GeminiContent } from "./request";

export interface GeminiUsageMetadata {
  promptTokenCount?: number;
  cachedContentTokenCount?: number;
  candidatesTokenCount?: number;
  toolUsePromptTokenCount?: number;
  thoughtsTokenCount?: number;
  totalTokenCount?: number;
}
export interface GeminiCandidate {
  content?: Partial<GeminiContent>;
  finishReason?: string;
  index?: number;
}
export interface GenerateContentResponse {
  candidates?: GeminiCandidate[];
  promptFeedback?: { blockReason?: string };
  usageMetadata?: GeminiUsageMetadata;
  modelVersion?: string;
  responseId?: string;
}

type FinishReason = ChatCompletion.Choice["finish_reason"];
type CompletionUsage = NonNullable<ChatCompletion["usage"]>;

export interface OpenAIToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
  /** Gemini 3's thought signature, in the shape Google's own OpenAI-compatible endpoint uses; request.ts reads it back. */
  extra_content?: { google: { thought_signature: string } };
}

/** Safety-style stops all become OpenAI's content_filter (https://ai.google.dev/api/generate-content#FinishReason). */
const FILTERED = new Set([
  "SAFETY",
  "RECITATION",
  "BLOCKLIST",
  "PROHIBITED_CONTENT",
  "SPII",
  "IMAGE_SAFETY",
  "IMAGE_PROHIBITED_CONTENT",
  "IMAGE_RECITATION",
]);

export function mapFinishReason(reason: string, hasToolCalls: boolean): FinishReason {
  if (reason === "MAX_TOKENS") return "length";
  if (FILTERED.has(reason)) return "content_filter";
  // Gemini says STOP after a function call; OpenAI clients look for tool_calls to run the tools.
  return hasToolCalls ? "tool_calls" : "stop";
}

/** Text, thought text and function calls of one candidate's parts. `nextCallId` numbers calls across the response. */
export function splitParts(
  content: Partial<GeminiContent> | undefined,
  nextCallId: () => string,
): { text: string[]; thoughts: string[]; toolCalls: OpenAIToolCall[] } {
  const text: string[] = [];
  const thoughts: string[] = [];
  const toolCalls: OpenAIToolCall[] = [];
  for (const part of content?.parts ?? []) {
    if (part.functionCall) {
      const call: OpenAIToolCall = {
        id: nextCallId(),
        type: "function",
        function: { name: part.functionCall.name, arguments: JSON.stringify(part.functionCall.args ?? {}) },
      };
      if (part.thoughtSignature) call.extra_content = { google: { thought_signature: part.thoughtSignature } };
      toolCalls.push(call);
    } else if (typeof part.text === "string") {
      (part.thought ? thoughts : text).push(part.text);
    }
  }
  return { text, thoughts, toolCalls };
}

/**
 * usageMetadata → TokenUsage. In a final answer Gemini omits zero counts (proto3 JSON), so a missing count is 0;
 * in a cut stream (`partial`) a missing count is unknown and stays null.
 * Output = candidates + thoughts: both are billed as output (https://ai.google.dev/gemini-api/docs/thinking#pricing).
 */
export function toTokenUsage(meta: GeminiUsageMetadata, source: "provider" | "partial"): TokenUsage {
  const known = (n: number | undefined) => (n === undefined ? (source === "provider" ? 0 : null) : n);
  const prompt = known(meta.promptTokenCount);
  const toolPrompt = meta.toolUsePromptTokenCount ?? 0;
  const candidates = known(meta.candidatesTokenCount);
  return {
    inputTokens: prompt === null ? null : prompt + toolPrompt,
    outputTokens: candidates === null ? null : candidates + (meta.thoughtsTokenCount ?? 0),
    cachedInputTokens: known(meta.cachedContentTokenCount),
    cacheWriteTokens: null, // Gemini caches are created explicitly (cachedContents API), never as a side effect
    source,
  };
}

export function toOpenAIUsage(meta: GeminiUsageMetadata): CompletionUsage {
  const usage = toTokenUsage(meta, "provider");
  const prompt = usage.inputTokens ?? 0;
  const completion = usage.outputTokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: meta.thoughtsTokenCount ?? 0 },
  };
}

export function completionId(responseId: string | undefined): string {
  return responseId ? responseId : `chatcmpl-${globalThis.crypto.randomUUID().replace(/-/g, "")}`;
}

export function createdAt(target: UpstreamTarget): number {
  return Math.floor((target.now ?? new Date()).getTime() / 1000);
}

export function parseChatResponse(
  json: unknown,
  target: UpstreamTarget,
): { completion: ChatCompletion; usage: TokenUsage | null } {
  assertGenerateContentResponse(json);
  const response = json;
  let calls = 0;
  const nextCallId = () => `call_${calls++}`;
  const choices: ChatCompletion.Choice[] = (response.candidates ?? []).map((candidate, i) => {
    const { text, thoughts, toolCalls } = splitParts(candidate.content, nextCallId);
    const message: ChatCompletion.Choice["message"] & { reasoning_content?: string } = {
      role: "assistant",
      content: text.length > 0 ? text.join("") : toolCalls.length > 0 ? null : "",
      refusal: null,
    };
    if (toolCalls.length > 0) message.tool_calls = toolCalls;
    if (thoughts.length > 0) message.reasoning_content = thoughts.join("");
    return {
      index: candidate.index ?? i,
      message,
      finish_reason: mapFinishReason(candidate.finishReason ?? "STOP", toolCalls.length > 0),
      logprobs: null,
    };
  });
  // A prompt blocked by safety settings has promptFeedback.blockReason and no candidates at all.
  if (choices.length === 0) {
    const blocked = response.promptFeedback?.blockReason !== undefined;
    choices.push({
      index: 0,
      message: { role: "assistant", content: "", refusal: null },
      finish_reason: blocked ? "content_filter" : "stop",
      logprobs: null,
    });
  }
  const completion: ChatCompletion = {
    id: completionId(response.responseId),
    object: "chat.completion",
    created: createdAt(target),
    model: response.modelVersion ?? target.model,
    choices,
  };
  const meta = response.usageMetadata;
  if (meta) completion.usage = toOpenAIUsage(meta);
  return { completion, usage: meta ? toTokenUsage(meta, "provider") : null };
}
