/**
 * Anthropic's Messages stream for a translated provider (docs/messages-api.md): the hub's chat chunks → the
 * events @anthropic-ai/sdk's MessageStream accumulates. Every frame has an `event:` line (the SDK drops frames
 * without one); `message_start` comes first; blocks open and close by index as the delta type changes (thinking,
 * text, one tool_use block per tool call, its arguments as `input_json_delta`); `message_delta` with the stop
 * reason and the final usage, then `message_stop`, come after the provider's stream ended and the call was
 * settled. Input usage is only known then, so `message_start` says 0 and `message_delta` (which overwrites it in
 * the SDK's snapshot) gives the real count.
 */
import type { ChatCompletionChunk, TokenUsage, UpstreamError } from "../../providers/types";
import type { ChatStreamEncoder } from "../chat/stream-response.server";
import { anthropicErrorEvent } from "./errors";
import { messageId, stopReason, toAnthropicUsage, type StopReason } from "./to-message";

type Delta = ChatCompletionChunk.Choice.Delta & { reasoning_content?: string | null };

const frame = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

export function messagesStreamEncoder(model: string, requestId: string): ChatStreamEncoder {
  let started = false;
  let next = 0;
  /** The block deltas go to: its index and kind ("tool:<n>" for the n-th tool call). */
  let open: { index: number; kind: string } | null = null;
  const toolBlocks = new Map<number, number>();
  let stop: StopReason = "end_turn";

  const start = (id: string | undefined): string => {
    if (started) return "";
    started = true;
    const message = {
      id: messageId(id),
      type: "message",
      role: "assistant",
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 0, output_tokens: 0 },
    };
    return frame("message_start", { message });
  };

  const close = (): string => {
    if (!open) return "";
    const out = frame("content_block_stop", { index: open.index });
    open = null;
    return out;
  };

  /** Opens a new block of this kind unless it is the one open. */
  const openBlock = (kind: string, block: object): string => {
    if (open?.kind === kind) return "";
    const out = close();
    open = { index: next++, kind };
    return out + frame("content_block_start", { index: open.index, content_block: block });
  };

  const toolDeltas = (calls: NonNullable<Delta["tool_calls"]>): string => {
    let out = "";
    for (const call of calls) {
      const kind = `tool:${call.index}`;
      let index = toolBlocks.get(call.index);
      if (index === undefined) {
        out += openBlock(kind, {
          type: "tool_use",
          id: call.id ?? `toolu_${crypto.randomUUID().replace(/-/g, "")}`,
          name: call.function?.name ?? "",
          input: {},
        });
        index = open?.index ?? next - 1;
        toolBlocks.set(call.index, index);
      }
      const args = call.function?.arguments;
      if (args) out += frame("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: args } });
    }
    return out;
  };

  return {
    chunk(chunk) {
      let out = start(chunk.id);
      const choice = chunk.choices?.[0];
      if (!choice) return out;
      const delta = (choice.delta ?? {}) as Delta;
      if (delta.reasoning_content) {
        out += openBlock("thinking", { type: "thinking", thinking: "", signature: "" });
        out += frame("content_block_delta", {
          index: open?.index,
          delta: { type: "thinking_delta", thinking: delta.reasoning_content },
        });
      }
      if (delta.content) {
        out += openBlock("text", { type: "text", text: "" });
        out += frame("content_block_delta", { index: open?.index, delta: { type: "text_delta", text: delta.content } });
      }
      if (delta.tool_calls?.length) out += toolDeltas(delta.tool_calls);
      if (choice.finish_reason) stop = stopReason(choice.finish_reason);
      return out;
    },
    end(usage: TokenUsage) {
      const out = start(undefined) + close();
      return (
        out +
        frame("message_delta", { delta: { stop_reason: stop, stop_sequence: null }, usage: toAnthropicUsage(usage) }) +
        frame("message_stop", {})
      );
    },
    error(error: UpstreamError) {
      return start(undefined) + anthropicErrorEvent(error, requestId);
    },
  };
}

/**
 * A provider that speaks Messages natively: its own events are forwarded as they arrive (the stream parser hands
 * them over), so nothing is encoded from chunks; only a failure the hub itself detects is written here.
 */
export function nativeStreamEncoder(requestId: string): ChatStreamEncoder {
  return {
    chunk: () => "",
    end: () => "",
    error: (error) => anthropicErrorEvent(error, requestId),
    // The provider's own events, already framed as Anthropic's SSE: forwarded as they are.
    raw: (events) => events.join(""),
  };
}
