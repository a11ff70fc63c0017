/**
 * An OpenAI chat completion → AIGNE Hub's non-streaming chat answer (docs/aigne-protocol.md, "POST /api/v2/chat").
 *
 * The client validates what we send with @aigne/core's chatModelOutputSchema: `usage` needs numeric inputTokens
 * and outputTokens, `creditPrefix` must be absent or one of $ € ¥, `json` must be an object, tool-call arguments
 * must be objects and name a tool from the request. Anything empty is left out rather than sent empty.
 * The helpers here are shared with the stream encoder (chat-stream.ts).
 */
import type { ChatCompletion, ChatCompletionMessageToolCall } from "openai/resources/chat/completions";

export interface AigneUsageInput {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens?: number;
  cacheCreationInputTokens?: number;
}

/** What the gateway knows about the call beyond the completion itself. */
export interface AigneChatResponseInfo {
  wantsJson: boolean;
  /** The provider's model id, e.g. "gpt-4o-mini". */
  model: string;
  /** "openai/gpt-4o-mini". */
  modelWithProvider: string;
  usage: AigneUsageInput;
  /** Cost of the call when billing is on; AIGNE's `aigneHubCredits`. */
  credits?: number;
  modelCallId?: string;
}

export interface AigneUsage extends AigneUsageInput {
  aigneHubCredits?: number;
  /** AIGNE Hub puts the call's id inside usage too. */
  modelCallId?: string;
}

export interface AigneToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: Record<string, unknown> };
}

export interface AigneChatResponse {
  text?: string;
  thoughts?: string;
  json?: Record<string, unknown>;
  toolCalls?: AigneToolCall[];
  usage: AigneUsage;
  model: string;
  modelWithProvider: string;
}

/** Providers that expose thinking put it beside `content` (DeepSeek/our adapters: reasoning_content; OpenRouter: reasoning). */
type ReasoningMessage = ChatCompletion.Choice["message"] & {
  reasoning_content?: string | null;
  reasoning?: string | null;
};

export function toAigneChatResponse(completion: ChatCompletion, info: AigneChatResponseInfo): AigneChatResponse {
  const message: ReasoningMessage | undefined = completion.choices[0]?.message;
  const toolCalls = (message?.tool_calls ?? []).flatMap(toAigneToolCall);
  const content = message?.content ?? message?.refusal ?? undefined;
  const thoughts = message?.reasoning_content ?? message?.reasoning ?? undefined;
  const json = info.wantsJson && content ? parseJsonObject(content) : undefined;

  const out: AigneChatResponse = {
    usage: toAigneUsage(info.usage, info.credits, info.modelCallId),
    model: info.model,
    modelWithProvider: info.modelWithProvider,
  };
  if (json) out.json = json;
  // A plain answer always has its text (even ""); next to tool calls or json an empty text is noise.
  else if (typeof content === "string" && (content !== "" || toolCalls.length === 0)) out.text = content;
  if (thoughts) out.thoughts = thoughts;
  if (toolCalls.length > 0) out.toolCalls = toolCalls;
  return out;
}

function toAigneToolCall(call: ChatCompletionMessageToolCall): AigneToolCall[] {
  if (call.type !== "function") return []; // custom tools cannot be declared on this wire
  return [
    {
      id: call.id,
      type: "function",
      function: { name: call.function.name, arguments: parseArguments(call.function.arguments) },
    },
  ];
}

export function toAigneUsage(usage: AigneUsageInput, credits?: number, modelCallId?: string): AigneUsage {
  const out: AigneUsage = { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens };
  if (usage.cacheReadInputTokens !== undefined) out.cacheReadInputTokens = usage.cacheReadInputTokens;
  if (usage.cacheCreationInputTokens !== undefined) out.cacheCreationInputTokens = usage.cacheCreationInputTokens;
  if (credits !== undefined) out.aigneHubCredits = credits;
  if (modelCallId) out.modelCallId = modelCallId;
  return out;
}

/**
 * OpenAI's JSON-string arguments → the object the client requires. Empty means no arguments; a model that
 * produced something other than an object keeps its text under `_raw`, so the client's schema check reports it
 * rather than the call silently losing its arguments.
 */
export function parseArguments(text: string | undefined): Record<string, unknown> {
  if (!text || text.trim() === "") return {};
  return parseJsonObject(text) ?? { _raw: text };
}

/** The text as a JSON object, allowing a ```json fence around it; undefined when it is not one. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  const unfenced = text.trim().replace(/^```(?:json)?\s*\n?([\s\S]*?)\n?```$/i, "$1");
  try {
    const value: unknown = JSON.parse(unfenced);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
