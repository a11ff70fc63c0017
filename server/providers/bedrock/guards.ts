/**
 * The shapes of Bedrock's Converse answer and ConverseStream event payloads as the adapter reads them
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html,
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html), checked before they
 * are trusted: a field of the wrong type is an UpstreamShapeError (a 502), not a crash or a 0.
 */
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
import type { ConverseResponse, ConverseUsage } from "./response";
import type { EventPayload } from "./stream";

/** Converse usage: each count absent or a count (null when absent). */
export function converseUsage(value: unknown): { [K in keyof ConverseUsage]-?: number | null } | null {
  const u = optionalRecord(value, "usage");
  if (!u) return null;
  return {
    inputTokens: tokenCount(u.inputTokens, "usage.inputTokens"),
    outputTokens: tokenCount(u.outputTokens, "usage.outputTokens"),
    totalTokens: tokenCount(u.totalTokens, "usage.totalTokens"),
    cacheReadInputTokens: tokenCount(u.cacheReadInputTokens, "usage.cacheReadInputTokens"),
    cacheWriteInputTokens: tokenCount(u.cacheWriteInputTokens, "usage.cacheWriteInputTokens"),
  };
}

function checkBlock(value: unknown): void {
  const block = expectRecord(value, "a content block");
  optionalString(block.text, "a content block's text");
  const reasoning = optionalRecord(block.reasoningContent, "a content block's reasoningContent");
  optionalString(
    optionalRecord(reasoning?.reasoningText, "reasoningContent.reasoningText")?.text,
    "reasoningText.text",
  );
  const tool = optionalRecord(block.toolUse, "a content block's toolUse");
  if (tool) {
    expectString(tool.toolUseId, "toolUse.toolUseId");
    expectString(tool.name, "toolUse.name");
  }
}

export function assertConverseResponse(json: unknown): asserts json is ConverseResponse {
  const response = expectRecord(json, "the Converse answer");
  const output = expectRecord(response.output, "output");
  const message = expectRecord(output.message, "output.message");
  for (const block of expectArray(message.content, "output.message.content")) checkBlock(block);
  optionalString(response.stopReason, "stopReason");
  converseUsage(response.usage);
}

function blockIndex(p: JsonObject, type: string): void {
  if (p.contentBlockIndex !== undefined && typeof p.contentBlockIndex !== "number")
    throw new UpstreamShapeError(`${type}.contentBlockIndex is not a number`);
}

/** One ConverseStream event's payload, checked for the fields its type carries; other types pass. */
export function assertEventPayload(type: string, payload: unknown): asserts payload is EventPayload {
  const p = expectRecord(payload, `a ${type} event`);
  switch (type) {
    case "contentBlockStart": {
      blockIndex(p, type);
      const tool = optionalRecord(optionalRecord(p.start, "contentBlockStart.start")?.toolUse, "start.toolUse");
      if (tool) {
        expectString(tool.toolUseId, "start.toolUse.toolUseId");
        expectString(tool.name, "start.toolUse.name");
      }
      return;
    }
    case "contentBlockDelta": {
      blockIndex(p, type);
      const d = expectRecord(p.delta, "contentBlockDelta.delta");
      optionalString(d.text, "delta.text");
      optionalString(optionalRecord(d.reasoningContent, "delta.reasoningContent")?.text, "delta.reasoningContent.text");
      optionalString(optionalRecord(d.toolUse, "delta.toolUse")?.input, "delta.toolUse.input");
      return;
    }
    case "messageStop":
      optionalString(p.stopReason, "messageStop.stopReason");
      return;
    case "metadata":
      converseUsage(p.usage);
      return;
  }
}
