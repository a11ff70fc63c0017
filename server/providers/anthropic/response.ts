/**
 * Anthropic Message → OpenAI ChatCompletion (https://docs.anthropic.com/en/api/messages, "Response").
 *
 * Usage needs care: Anthropic's `input_tokens` EXCLUDES prompt-cache reads and writes, which are reported
 * separately (https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching#tracking-cache-performance).
 * OpenAI's `prompt_tokens` includes cached tokens, so the three are summed.
 */
import type { ChatCompletionMessage, ChatCompletionMessageFunctionToolCall } from "openai/resources/chat/completions";
import type { CompletionUsage } from "openai/resources/completions";
import type { ChatCompletion, TokenUsage, UpstreamTarget, UsageSource } from "../types";
import { anthropicUsage, assertMessage } from "./guards";

/** DeepSeek-style extension carrying Claude's extended thinking text. */
export type ReasoningMessage = ChatCompletionMessage & { reasoning_content?: string };
export type FinishReason = ChatCompletion.Choice["finish_reason"];

/** The usage counters shared by `Message.usage`, `message_start` and `message_delta`. */
export interface AnthropicUsageCounts {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  output_tokens_details?: { thinking_tokens?: number } | null;
}

export function nowSeconds(target: UpstreamTarget): number {
  return Math.floor((target.now?.getTime() ?? Date.now()) / 1000);
}

/** https://docs.anthropic.com/en/api/handling-stop-reasons */
export function finishReason(stopReason: string | null | undefined): FinishReason {
  switch (stopReason) {
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "refusal":
      return "content_filter";
    default:
      return "stop"; // end_turn, stop_sequence, pause_turn
  }
}

/** Counts the provider did not report stay null (never 0); `outputKnown: false` for a stream cut short. */
export function toTokenUsage(u: AnthropicUsageCounts, source: UsageSource, outputKnown = true): TokenUsage {
  const read = u.cache_read_input_tokens ?? null;
  const write = u.cache_creation_input_tokens ?? null;
  return {
    inputTokens: u.input_tokens == null ? null : u.input_tokens + (read ?? 0) + (write ?? 0),
    outputTokens: outputKnown ? (u.output_tokens ?? null) : null,
    cachedInputTokens: read,
    cacheWriteTokens: write,
    source,
  };
}

/** OpenAI's usage object, or undefined when input or output is unknown (OpenAI's fields are not nullable). */
export function toOpenAiUsage(usage: TokenUsage, thinkingTokens?: number): CompletionUsage | undefined {
  if (usage.inputTokens === null || usage.outputTokens === null) return undefined;
  const out: CompletionUsage = {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0 },
  };
  if (usage.cacheWriteTokens !== null) out.prompt_tokens_details!.cache_write_tokens = usage.cacheWriteTokens;
  if (thinkingTokens !== undefined) out.completion_tokens_details = { reasoning_tokens: thinkingTokens };
  return out;
}

export function parseChatResponse(
  json: unknown,
  target: UpstreamTarget,
): { completion: ChatCompletion; usage: TokenUsage | null } {
  assertMessage(json);
  const text: string[] = [];
  const thinking: string[] = [];
  const toolCalls: ChatCompletionMessageFunctionToolCall[] = [];
  for (const block of json.content) {
    if (block.type === "text") text.push(block.text);
    else if (block.type === "thinking") thinking.push(block.thinking);
    else if (block.type === "tool_use") {
      toolCalls.push({
        id: block.id,
        type: "function",
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      });
    }
    // redacted_thinking and server-tool blocks have nothing an OpenAI client could use.
  }

  const message: ReasoningMessage = {
    role: "assistant",
    // OpenAI sends null content alongside tool calls; joined with "" to match what the stream produces.
    content: text.length > 0 ? text.join("") : toolCalls.length > 0 ? null : "",
    refusal: null,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (thinking.length > 0) message.reasoning_content = thinking.join("");

  const counts = anthropicUsage(json.usage, "usage");
  const usage = counts ? toTokenUsage(counts, "provider") : null;
  const completion: ChatCompletion = {
    id: json.id,
    object: "chat.completion",
    created: nowSeconds(target),
    model: json.model || target.model,
    choices: [{ index: 0, message, finish_reason: finishReason(json.stop_reason), logprobs: null }],
  };
  const openAiUsage = usage && toOpenAiUsage(usage, counts?.output_tokens_details?.thinking_tokens);
  if (openAiUsage) completion.usage = openAiUsage;
  return { completion, usage };
}
