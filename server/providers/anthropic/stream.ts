/**
 * Anthropic streaming events → OpenAI `chat.completion.chunk`s
 * (https://docs.anthropic.com/en/api/messages-streaming).
 *
 * Anthropic's flow: message_start → (content_block_start → content_block_delta* → content_block_stop)*
 * → message_delta (stop_reason, final output usage) → message_stop, with `ping`s anywhere and possibly an
 * `error` event instead of the rest. Chunks produced, all with the message id and one `created`:
 *   1. {delta: {role: "assistant", content: ""}}                        on message_start
 *   2. {delta: {content}} / {delta: {reasoning_content}}                per text / thinking delta
 *      {delta: {tool_calls: [{index, id, type, function: {name, arguments: ""}}]}}  per tool_use block start
 *      {delta: {tool_calls: [{index, function: {arguments}}]}}          per input_json_delta
 *   3. {delta: {}, finish_reason}                                        on message_delta
 *   4. {choices: [], usage}                                              on message_stop (include_usage style)
 */
import type { MessageDeltaUsage } from "@anthropic-ai/sdk/resources/messages";
import { SseDecoder, type SseEvent } from "../sse-decoder";
import type { ChatCompletionChunk, ChatStreamParser, TokenUsage, UpstreamError, UpstreamTarget } from "../types";
import { streamShapeError } from "../upstream-guards";
import { streamEventError } from "./error";
import { assertStreamEvent } from "./guards";
import {
  type AnthropicUsageCounts,
  type FinishReason,
  finishReason,
  nowSeconds,
  toOpenAiUsage,
  toTokenUsage,
} from "./response";

/** OpenAI's delta plus the DeepSeek-style `reasoning_content` for Claude's thinking. */
export type ReasoningDelta = ChatCompletionChunk.Choice.Delta & { reasoning_content?: string };

export function createChatStreamParser(target: UpstreamTarget): ChatStreamParser {
  const decoder = new SseDecoder();
  const events = createEventParser(target);
  return {
    push: (bytes) => events.handle(decoder.push(bytes)),
    end: () => events.handle(decoder.end()),
    usage: events.usage,
    error: events.error,
  };
}

/** Anthropic's events already split from their framing (SSE here, Bedrock's event stream for its Anthropic models). */
export interface AnthropicEventParser {
  handle(events: SseEvent[]): ChatCompletionChunk[];
  usage(): TokenUsage | null;
  error(): UpstreamError | null;
}

export function createEventParser(target: UpstreamTarget): AnthropicEventParser {
  const created = nowSeconds(target);
  let id = "";
  let model = target.model;
  let started = false;
  let failed: UpstreamError | null = null;
  let counts: AnthropicUsageCounts | null = null;
  /** True once message_delta brought the final output count. */
  let complete = false;
  /** Anthropic content-block index → OpenAI tool_calls index (0-based among tool calls only). */
  const toolIndex = new Map<number, number>();

  const chunk = (delta: ReasoningDelta, finish: FinishReason | null = null): ChatCompletionChunk => ({
    id,
    object: "chat.completion.chunk",
    created,
    model,
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  });

  /** The role chunk always comes first, even if a (malformed) stream skipped message_start. */
  function start(out: ChatCompletionChunk[]): void {
    if (started) return;
    started = true;
    out.push(chunk({ role: "assistant", content: "" }));
  }

  function mergeUsage(u: Partial<MessageDeltaUsage> | undefined): void {
    if (!u) return;
    counts ??= {};
    // message_delta counters are cumulative totals, present only when they apply: overwrite, never add.
    for (const key of [
      "input_tokens",
      "output_tokens",
      "cache_read_input_tokens",
      "cache_creation_input_tokens",
    ] as const) {
      if (u[key] != null) counts[key] = u[key];
    }
    if (u.output_tokens_details != null) counts.output_tokens_details = u.output_tokens_details;
  }

  function onEvent(e: SseEvent, out: ChatCompletionChunk[]): void {
    if (e.event === "error") {
      failed = streamEventError(e.data);
      return;
    }
    let data: unknown;
    try {
      data = JSON.parse(e.data);
    } catch {
      failed = {
        status: 502,
        type: "api_error",
        code: "invalid_stream_event",
        message: `Anthropic sent an unreadable "${e.event}" stream event`,
        retryable: true,
      };
      return;
    }
    try {
      assertStreamEvent(data);
    } catch (error) {
      failed = streamShapeError(error, "Anthropic");
      return;
    }
    switch (data.type) {
      case "message_start":
        id = data.message.id;
        model = data.message.model || model;
        mergeUsage(data.message.usage);
        start(out);
        return;
      case "content_block_start": {
        start(out);
        const block = data.content_block;
        if (block.type === "tool_use") {
          const index = toolIndex.size;
          toolIndex.set(data.index, index);
          out.push(
            chunk({
              tool_calls: [{ index, id: block.id, type: "function", function: { name: block.name, arguments: "" } }],
            }),
          );
        } else if (block.type === "text" && block.text) {
          out.push(chunk({ content: block.text }));
        } else if (block.type === "thinking" && block.thinking) {
          out.push(chunk({ reasoning_content: block.thinking }));
        }
        return;
      }
      case "content_block_delta": {
        start(out);
        const delta = data.delta;
        if (delta.type === "text_delta") out.push(chunk({ content: delta.text }));
        else if (delta.type === "thinking_delta") out.push(chunk({ reasoning_content: delta.thinking }));
        else if (delta.type === "input_json_delta" && delta.partial_json) {
          const index = toolIndex.get(data.index);
          if (index !== undefined)
            out.push(chunk({ tool_calls: [{ index, function: { arguments: delta.partial_json } }] }));
        }
        // signature_delta and citations_delta have no OpenAI counterpart.
        return;
      }
      case "message_delta":
        start(out);
        mergeUsage(data.usage);
        if (data.usage?.output_tokens != null) complete = true;
        if (data.delta?.stop_reason) out.push(chunk({}, finishReason(data.delta.stop_reason)));
        return;
      case "message_stop": {
        const usage =
          complete && counts ? toOpenAiUsage(toTokenUsage(counts, "provider"), thinkingTokens()) : undefined;
        if (usage) out.push({ id, object: "chat.completion.chunk", created, model, choices: [], usage });
        return;
      }
      default:
        return; // ping, content_block_stop, and event types added after this was written
    }
  }

  function thinkingTokens(): number | undefined {
    return counts?.output_tokens_details?.thinking_tokens;
  }

  function handle(events: SseEvent[]): ChatCompletionChunk[] {
    const out: ChatCompletionChunk[] = [];
    for (const e of events) {
      if (failed) break; // nothing after an error is trustworthy
      onEvent(e, out);
    }
    return out;
  }

  return {
    handle: (events) => (failed ? [] : handle(events)),
    usage(): TokenUsage | null {
      if (!counts) return null;
      // Cut before message_delta: input is known from message_start, output is not (its count there is a placeholder).
      return complete ? toTokenUsage(counts, "provider") : toTokenUsage(counts, "partial", false);
    },
    error: () => failed,
  };
}
