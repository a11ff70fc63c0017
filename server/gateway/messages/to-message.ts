/**
 * The Messages API encoder (docs/messages-api.md): the hub's chat answer → an Anthropic `Message`. Pure.
 * Usage follows Anthropic's convention: `input_tokens` excludes cache reads and writes, which have their own
 * fields (the hub's TokenUsage counts them inside inputTokens, like OpenAI's prompt_tokens).
 */
import type { ChatCompletion, TokenUsage } from "../../providers/types";

export type StopReason = "end_turn" | "max_tokens" | "stop_sequence" | "tool_use" | "refusal";

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number | null;
  cache_read_input_tokens: number | null;
}

export function stopReason(finish: string | null | undefined): StopReason {
  switch (finish) {
    case "length":
      return "max_tokens";
    case "tool_calls":
    case "function_call":
      return "tool_use";
    case "content_filter":
      return "refusal";
    default:
      return "end_turn";
  }
}

export function toAnthropicUsage(usage: TokenUsage): AnthropicUsage {
  const read = usage.cachedInputTokens;
  const written = usage.cacheWriteTokens;
  return {
    input_tokens: Math.max(0, (usage.inputTokens ?? 0) - (read ?? 0) - (written ?? 0)),
    output_tokens: usage.outputTokens ?? 0,
    cache_creation_input_tokens: written,
    cache_read_input_tokens: read,
  };
}

/** "msg_…" ids, as Anthropic's; the provider's own id after the prefix keeps them traceable. */
export function messageId(id: string | undefined): string {
  const own = (id ?? "").replace(/^chatcmpl-/, "");
  return own.startsWith("msg_") ? own : `msg_${own || crypto.randomUUID().replace(/-/g, "")}`;
}

/** Tool arguments as the object Anthropic's `input` is; `{}` when the provider sent no valid JSON object. */
function parseInput(args: string | undefined): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(args || "{}");
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

type Block =
  | { type: "text"; text: string }
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

export function toMessage(completion: ChatCompletion, usage: TokenUsage, model: string) {
  const choice = completion.choices?.[0];
  const message = (choice?.message ?? {}) as ChatCompletion.Choice["message"] & { reasoning_content?: string | null };
  const content: Block[] = [];
  // Reasoning text of providers that show it; no signature exists for it, so a client cannot replay it to Anthropic.
  if (message.reasoning_content) content.push({ type: "thinking", thinking: message.reasoning_content, signature: "" });
  if (message.content) content.push({ type: "text", text: message.content });
  for (const call of message.tool_calls ?? []) {
    if (call.type !== "function") continue;
    content.push({
      type: "tool_use",
      id: call.id,
      name: call.function.name,
      input: parseInput(call.function.arguments),
    });
  }
  return {
    id: messageId(completion.id),
    type: "message" as const,
    role: "assistant" as const,
    model,
    content,
    stop_reason: stopReason(choice?.finish_reason),
    stop_sequence: null,
    usage: toAnthropicUsage(usage),
  };
}
