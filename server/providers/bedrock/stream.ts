/**
 * ConverseStream body (binary event stream) → OpenAI chat.completion.chunk objects.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
 *
 * Each frame carries `:message-type` "event" (with `:event-type` messageStart, contentBlockStart,
 * contentBlockDelta, contentBlockStop, messageStop, metadata; the payload is that member's JSON) or
 * "exception" (with `:exception-type`, payload `{"message": ...}`) or, rarely, "error" (`:error-code`).
 */
import type { ChatCompletionChunk, ChatStreamParser, TokenUsage, UpstreamError, UpstreamTarget } from "../types";
import { isRecord, streamShapeError, unreadableUpstream } from "../upstream-guards";
import { bedrockError } from "./error";
import { EventStreamDecoder, type EventStreamMessage } from "./event-stream";
import { assertEventPayload } from "./guards";
import { type ConverseUsage, convertUsage, createdAt, mapStopReason, newCompletionId } from "./response";

type Delta = ChatCompletionChunk.Choice.Delta & { reasoning_content?: string };

/** A ConverseStream event's payload, its fields checked by ./guards.ts. */
export interface EventPayload {
  contentBlockIndex?: number;
  start?: { toolUse?: { toolUseId?: string; name?: string } };
  delta?: { text?: string; toolUse?: { input?: string }; reasoningContent?: { text?: string } };
  stopReason?: string;
  usage?: ConverseUsage;
}

const fromUtf8 = new TextDecoder();

export function createChatStreamParser(target: UpstreamTarget): ChatStreamParser {
  const decoder = new EventStreamDecoder();
  const id = newCompletionId();
  const created = createdAt(target);
  let started = false;
  let sawAnything = false;
  let failed: UpstreamError | null = null;
  let finalUsage: TokenUsage | null = null;
  /** contentBlockIndex → OpenAI tool_calls index (tool calls are numbered on their own, from 0). */
  const toolIndex = new Map<number, number>();

  const chunk = (choices: ChatCompletionChunk["choices"]): ChatCompletionChunk => ({
    id,
    object: "chat.completion.chunk",
    created,
    model: target.model,
    choices,
  });
  const deltaChunk = (delta: Delta, out: ChatCompletionChunk[]) => {
    if (!started) {
      // Clients expect the role first; emit it even if messageStart went missing.
      started = true;
      if (delta.role === undefined) {
        out.push(chunk([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }]));
      }
    }
    out.push(chunk([{ index: 0, delta, finish_reason: null }]));
  };

  function onEvent(type: string, p: EventPayload, out: ChatCompletionChunk[]) {
    switch (type) {
      case "messageStart":
        if (!started) deltaChunk({ role: "assistant", content: "" }, out);
        break;
      case "contentBlockStart": {
        const tool = p.start?.toolUse;
        if (!tool) break;
        const index = toolIndex.size;
        toolIndex.set(p.contentBlockIndex ?? index, index);
        deltaChunk(
          {
            tool_calls: [{ index, id: tool.toolUseId, type: "function", function: { name: tool.name, arguments: "" } }],
          },
          out,
        );
        break;
      }
      case "contentBlockDelta": {
        const d = p.delta ?? {};
        if (typeof d.text === "string" && d.text !== "") deltaChunk({ content: d.text }, out);
        if (typeof d.reasoningContent?.text === "string")
          deltaChunk({ reasoning_content: d.reasoningContent.text }, out);
        if (typeof d.toolUse?.input === "string") {
          const index = toolIndex.get(p.contentBlockIndex ?? -1) ?? Math.max(0, toolIndex.size - 1);
          deltaChunk({ tool_calls: [{ index, function: { arguments: d.toolUse.input } }] }, out);
        }
        break;
      }
      case "messageStop":
        if (!started) deltaChunk({ role: "assistant", content: "" }, out);
        out.push(chunk([{ index: 0, delta: {}, finish_reason: mapStopReason(p.stopReason) }]));
        break;
      case "metadata": {
        const converted = convertUsage(p.usage);
        if (!converted) break;
        finalUsage = converted.usage;
        // The OpenAI convention for stream_options.include_usage: a last chunk with no choices.
        out.push({ ...chunk([]), usage: converted.openai });
        break;
      }
      default: // contentBlockStop and future event types carry nothing for OpenAI clients
        break;
    }
  }

  function onMessage(message: EventStreamMessage, out: ChatCompletionChunk[]) {
    sawAnything = true;
    const kind = message.headers[":message-type"];
    let payload: unknown = {};
    try {
      const text = fromUtf8.decode(message.payload);
      if (text) payload = JSON.parse(text);
    } catch {
      failed = unreadableUpstream("Bedrock stream: an event's payload is not JSON");
      return;
    }
    if (kind === "event") {
      const type = String(message.headers[":event-type"] ?? "");
      try {
        assertEventPayload(type, payload);
      } catch (error) {
        failed = streamShapeError(error, "Bedrock");
        return;
      }
      onEvent(type, payload, out);
    } else if (kind === "exception") {
      const text = isRecord(payload) && typeof payload.message === "string" ? payload.message : "";
      failed = bedrockError(String(message.headers[":exception-type"] ?? "") || null, text);
    } else if (kind === "error") {
      failed = bedrockError(
        String(message.headers[":error-code"] ?? "") || null,
        String(message.headers[":error-message"] ?? ""),
      );
    }
  }

  return {
    push(bytes) {
      if (failed) return [];
      const out: ChatCompletionChunk[] = [];
      try {
        for (const message of decoder.push(bytes)) {
          onMessage(message, out);
          if (failed) break;
        }
      } catch (error) {
        // Broken framing cannot be recovered: report it like an upstream error and stop decoding.
        const message = error instanceof Error ? error.message : String(error);
        failed = { status: 502, type: "api_error", code: "event_stream_corrupt", message, retryable: true };
      }
      return out;
    },
    end() {
      return [];
    },
    usage() {
      if (finalUsage) return finalUsage;
      if (!sawAnything) return null;
      // Bedrock reports tokens only in the final metadata event, so a broken stream knows none of them.
      return {
        inputTokens: null,
        outputTokens: null,
        cachedInputTokens: null,
        cacheWriteTokens: null,
        source: "partial",
      };
    },
    error() {
      return failed;
    },
  };
}
