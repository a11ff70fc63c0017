/**
 * The shape of a Gemini GenerateContentResponse as the adapter reads it
 * (https://ai.google.dev/api/generate-content#generatecontentresponse), whole answer or stream chunk, checked
 * before it is trusted: a field of the wrong type is an UpstreamShapeError (a 502), not a crash or a 0.
 */
import {
  expectArray,
  expectRecord,
  expectString,
  optionalRecord,
  optionalString,
  tokenCount,
  UpstreamShapeError,
} from "../upstream-guards";
import type { GenerateContentResponse } from "./response";

/** usageMetadata's counts with their labels, built once: this runs on every stream chunk. */
const USAGE_COUNTS = [
  "promptTokenCount",
  "cachedContentTokenCount",
  "candidatesTokenCount",
  "toolUsePromptTokenCount",
  "thoughtsTokenCount",
  "totalTokenCount",
].map((key) => [key, `usageMetadata.${key}`] as const);

function checkPart(value: unknown): void {
  const part = expectRecord(value, "a candidate's part");
  optionalString(part.text, "a part's text");
  optionalString(part.thoughtSignature, "a part's thoughtSignature");
  const call = optionalRecord(part.functionCall, "a part's functionCall");
  if (call) {
    expectString(call.name, "a functionCall's name");
    optionalRecord(call.args, "a functionCall's args");
  }
}

function checkCandidate(value: unknown): void {
  const candidate = expectRecord(value, "a candidate");
  const finish = optionalString(candidate.finishReason, "a candidate's finishReason");
  if (candidate.index !== undefined && typeof candidate.index !== "number")
    throw new UpstreamShapeError("a candidate's index is not a number");
  const content = optionalRecord(candidate.content, "a candidate's content");
  const parts = content?.parts;
  // With no parts, only a finish reason says anything (a safety stop, the end of the output budget).
  if (parts === undefined || parts === null) {
    if (finish === undefined) throw new UpstreamShapeError("a candidate has neither parts nor a finishReason");
    return;
  }
  for (const part of expectArray(parts, "a candidate's parts")) checkPart(part);
}

export function assertGenerateContentResponse(json: unknown): asserts json is GenerateContentResponse {
  const response = expectRecord(json, "the answer");
  optionalString(response.responseId, "responseId");
  optionalString(response.modelVersion, "modelVersion");
  const feedback = optionalRecord(response.promptFeedback, "promptFeedback");
  optionalString(feedback?.blockReason, "promptFeedback.blockReason");
  if (response.candidates !== undefined && response.candidates !== null)
    for (const candidate of expectArray(response.candidates, "candidates")) checkCandidate(candidate);
  const usage = optionalRecord(response.usageMetadata, "usageMetadata");
  if (usage) for (const [key, label] of USAGE_COUNTS) tokenCount(usage[key], label);
}
