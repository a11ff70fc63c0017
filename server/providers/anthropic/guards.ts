/**
 * The shapes of Anthropic's answers and stream events as the adapter reads them
 * (https://docs.anthropic.com/en/api/messages, https://docs.anthropic.com/en/api/messages-streaming), checked
 * before they are trusted: a field of the wrong type is an UpstreamShapeError (a 502), not a crash or a 0.
 */
import type { Message, RawMessageStreamEvent } from "@anthropic-ai/sdk/resources/messages";
import {
  expectArray,
  expectRecord,
  expectString,
  optionalRecord,
  optionalString,
  tokenCount,
  UpstreamShapeError,
  type JsonObject,
} from "../upstream-guards";
import type { AnthropicUsageCounts } from "./response";

/** Usage counters (Message.usage, message_start, message_delta): each absent, null or a count. */
export function anthropicUsage(value: unknown, what: string): AnthropicUsageCounts | undefined {
  const u = optionalRecord(value, what);
  if (!u) return undefined;
  const details = optionalRecord(u.output_tokens_details, `${what}.output_tokens_details`);
  const thinking = tokenCount(details?.thinking_tokens, `${what}.output_tokens_details.thinking_tokens`);
  return {
    input_tokens: tokenCount(u.input_tokens, `${what}.input_tokens`),
    output_tokens: tokenCount(u.output_tokens, `${what}.output_tokens`),
    cache_read_input_tokens: tokenCount(u.cache_read_input_tokens, `${what}.cache_read_input_tokens`),
    cache_creation_input_tokens: tokenCount(u.cache_creation_input_tokens, `${what}.cache_creation_input_tokens`),
    output_tokens_details: details ? (thinking === null ? {} : { thinking_tokens: thinking }) : null,
  };
}

/** A content block's fields the adapter reads, by type; unknown types pass (newer block kinds are skipped). */
function checkBlock(value: unknown, what: string): void {
  const block = expectRecord(value, what);
  const type = expectString(block.type, `${what}.type`);
  if (type === "text") optionalString(block.text, `${what}.text`);
  else if (type === "thinking") optionalString(block.thinking, `${what}.thinking`);
  else if (type === "tool_use") {
    expectString(block.id, `${what}.id`);
    expectString(block.name, `${what}.name`);
  }
}

/** A Message: an id, assistant content blocks, usage counts. (Some documented examples omit `type`.) */
export function assertMessage(json: unknown, what = "the message"): asserts json is Message {
  const m = expectRecord(json, what);
  if (m.type !== "message" && m.role !== "assistant") throw new UpstreamShapeError(`${what} is not a Message`);
  expectString(m.id, `${what}.id`);
  optionalString(m.model, `${what}.model`);
  optionalString(m.stop_reason, `${what}.stop_reason`);
  for (const block of expectArray(m.content, `${what}.content`)) checkBlock(block, "a content block");
  anthropicUsage(m.usage, `${what}.usage`);
}

function index(event: JsonObject, type: string): void {
  if (typeof event.index !== "number") throw new UpstreamShapeError(`${type}.index is not a number`);
}

/** One streaming event, checked for the fields of its type; unknown types pass (ping, newer events). */
export function assertStreamEvent(data: unknown): asserts data is RawMessageStreamEvent {
  const event = expectRecord(data, "a stream event");
  const type = expectString(event.type, "a stream event's type");
  switch (type) {
    case "message_start": {
      const message = expectRecord(event.message, "message_start.message");
      expectString(message.id, "message_start.message.id");
      optionalString(message.model, "message_start.message.model");
      anthropicUsage(message.usage, "message_start.message.usage");
      return;
    }
    case "content_block_start":
      index(event, type);
      return checkBlock(event.content_block, "content_block_start.content_block");
    case "content_block_delta": {
      index(event, type);
      const delta = expectRecord(event.delta, "content_block_delta.delta");
      const kind = expectString(delta.type, "content_block_delta.delta.type");
      if (kind === "text_delta") expectString(delta.text, "text_delta.text");
      else if (kind === "thinking_delta") expectString(delta.thinking, "thinking_delta.thinking");
      else if (kind === "input_json_delta") expectString(delta.partial_json, "input_json_delta.partial_json");
      return;
    }
    case "message_delta": {
      const delta = optionalRecord(event.delta, "message_delta.delta");
      optionalString(delta?.stop_reason, "message_delta.delta.stop_reason");
      anthropicUsage(event.usage, "message_delta.usage");
      return;
    }
  }
}
