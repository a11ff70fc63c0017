/**
 * Bedrock Converse response → OpenAI ChatCompletion.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_ResponseSyntax
 */
import { randomUUID } from "node:crypto";
import type { CompletionUsage } from "openai/resources/completions";
import type { ChatCompletionMessageFunctionToolCall } from "openai/resources/chat/completions";
import type { ChatCompletion, TokenUsage, UpstreamTarget } from "../types";
import { assertConverseResponse, converseUsage } from "./guards";

export type FinishReason = ChatCompletion.Choice["finish_reason"];

/** Converse `usage`; the cache fields appear only when prompt caching was involved. */
export interface ConverseUsage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

interface ConverseBlock {
  text?: string;
  reasoningContent?: { reasoningText?: { text?: string; signature?: string } };
  toolUse?: { toolUseId: string; name: string; input: unknown };
}

export interface ConverseResponse {
  output?: { message?: { role?: string; content?: ConverseBlock[] } };
  stopReason?: string;
  usage?: ConverseUsage;
}

/** https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#bedrock-runtime_Converse-response-stopReason */
export function mapStopReason(reason: string | undefined | null): FinishReason {
  switch (reason) {
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "guardrail_intervened":
    case "content_filtered":
      return "content_filter";
    default: // end_turn, stop_sequence, and anything new
      return "stop";
  }
}

/**
 * Bedrock's inputTokens excludes prompt-cache reads and writes (as Anthropic's does), while OpenAI's
 * prompt_tokens includes cached tokens, so the prompt is the sum of all three.
 */
export function convertUsage(value: unknown): { openai: CompletionUsage; usage: TokenUsage } | null {
  const usage = converseUsage(value);
  if (!usage) return null;
  const input = usage.inputTokens;
  const output = usage.outputTokens;
  const cacheRead = usage.cacheReadInputTokens;
  const cacheWrite = usage.cacheWriteInputTokens;
  const prompt = input === null ? null : input + (cacheRead ?? 0) + (cacheWrite ?? 0);
  const openai: CompletionUsage = {
    prompt_tokens: prompt ?? 0,
    completion_tokens: output ?? 0,
    total_tokens: (prompt ?? 0) + (output ?? 0),
  };
  if (cacheRead !== null || cacheWrite !== null) {
    openai.prompt_tokens_details = { cached_tokens: cacheRead ?? 0 };
    if (cacheWrite !== null) openai.prompt_tokens_details.cache_write_tokens = cacheWrite;
  }
  return {
    openai,
    usage: {
      inputTokens: prompt,
      outputTokens: output,
      cachedInputTokens: cacheRead,
      cacheWriteTokens: cacheWrite,
      source: "provider",
    },
  };
}

export function newCompletionId(): string {
  return `chatcmpl-${randomUUID().replace(/-/g, "")}`;
}

export function createdAt(target: UpstreamTarget): number {
  return Math.floor((target.now ?? new Date()).getTime() / 1000);
}

/** OpenAI's message type has no reasoning field; `reasoning_content` is the de-facto name (DeepSeek, vLLM). */
type MessageWithReasoning = ChatCompletion.Choice["message"] & { reasoning_content?: string };

export function parseChatResponse(
  json: unknown,
  target: UpstreamTarget,
): { completion: ChatCompletion; usage: TokenUsage | null } {
  assertConverseResponse(json);
  const response = json;
  const blocks = response.output?.message?.content ?? [];
  const texts: string[] = [];
  const reasoning: string[] = [];
  const toolCalls: ChatCompletionMessageFunctionToolCall[] = [];
  for (const block of blocks) {
    if (typeof block.text === "string") texts.push(block.text);
    const thought = block.reasoningContent?.reasoningText?.text;
    if (typeof thought === "string") reasoning.push(thought);
    if (block.toolUse) {
      toolCalls.push({
        id: block.toolUse.toolUseId,
        type: "function",
        function: { name: block.toolUse.name, arguments: JSON.stringify(block.toolUse.input ?? {}) },
      });
    }
  }
  const message: MessageWithReasoning = {
    role: "assistant",
    content: texts.length ? texts.join("") : null,
    refusal: null,
  };
  if (reasoning.length) message.reasoning_content = reasoning.join("");
  if (toolCalls.length) message.tool_calls = toolCalls;

  const converted = convertUsage(response.usage);
  const completion: ChatCompletion = {
    id: newCompletionId(),
    object: "chat.completion",
    created: createdAt(target),
    model: target.model,
    choices: [{ index: 0, message, finish_reason: mapStopReason(response.stopReason), logprobs: null }],
  };
  if (converted) completion.usage = converted.openai;
  return { completion, usage: converted?.usage ?? null };
}
