/**
 * streamGenerateContent?alt=sse → OpenAI chat.completion.chunk objects.
 * Each SSE `data:` is a whole GenerateContentResponse holding the next slice of every candidate
 * (https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent). usageMetadata is
 * cumulative and repeated on chunks, so the latest one wins; the chunk carrying finishReason has the totals.
 */
import { SseDecoder } from "../sse-decoder";
import type { ChatCompletionChunk, ChatStreamParser, TokenUsage, UpstreamError, UpstreamTarget } from "../types";
import { isRecord, streamShapeError } from "../upstream-guards";
import { fromGoogleError, type GoogleErrorBody } from "./error";
import { assertGenerateContentResponse } from "./guards";
import {
  completionId,
  createdAt,
  mapFinishReason,
  splitParts,
  toOpenAIUsage,
  toTokenUsage,
  type GeminiUsageMetadata,
  type GenerateContentResponse,
} from "./response";

type Delta = ChatCompletionChunk.Choice.Delta & { reasoning_content?: string };

interface CandidateState {
  roleSent: boolean;
  toolCalls: number;
  finished: boolean;
}

export function createChatStreamParser(target: UpstreamTarget): ChatStreamParser {
  const decoder = new SseDecoder();
  const created = createdAt(target);
  const candidates = new Map<number, CandidateState>();
  let id: string | undefined;
  let model = target.model;
  let calls = 0;
  let meta: GeminiUsageMetadata | null = null;
  let usageSent = false;
  let streamError: UpstreamError | null = null;

  const allFinished = () => candidates.size > 0 && [...candidates.values()].every((c) => c.finished);

  const chunk = (choices: ChatCompletionChunk.Choice[]): ChatCompletionChunk => {
    id ??= completionId(undefined);
    return { id, object: "chat.completion.chunk", created, model, choices };
  };

  const state = (index: number): CandidateState => {
    let s = candidates.get(index);
    if (!s) candidates.set(index, (s = { roleSent: false, toolCalls: 0, finished: false }));
    return s;
  };

  /** The closing `choices: []` chunk, like OpenAI's stream_options.include_usage. */
  const usageChunk = (): ChatCompletionChunk[] => {
    if (usageSent || !meta || !allFinished()) return [];
    usageSent = true;
    return [{ ...chunk([]), usage: toOpenAIUsage(meta) }];
  };

  function onResponse(response: GenerateContentResponse): ChatCompletionChunk[] {
    id ??= response.responseId; // same for every chunk of one answer
    if (response.modelVersion) model = response.modelVersion;
    if (response.usageMetadata) meta = response.usageMetadata;
    const out: ChatCompletionChunk[] = [];
    // A prompt blocked by safety settings: a single chunk with promptFeedback and no candidates.
    if (!response.candidates?.length && response.promptFeedback?.blockReason) {
      const s = state(0);
      s.finished = true;
      out.push(chunk([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: "content_filter" }]));
    }
    for (const [i, candidate] of (response.candidates ?? []).entries()) {
      const index = candidate.index ?? i;
      const s = state(index);
      const { text, thoughts, toolCalls } = splitParts(candidate.content, () => `call_${calls++}`);
      const delta: Delta = {};
      if (text.join("") !== "") delta.content = text.join("");
      if (thoughts.length > 0) delta.reasoning_content = thoughts.join("");
      // Gemini never splits a functionCall across chunks, so each one is a complete OpenAI tool-call delta.
      if (toolCalls.length > 0) delta.tool_calls = toolCalls.map((call) => ({ index: s.toolCalls++, ...call }));
      const hasPayload = Object.keys(delta).length > 0;
      if (hasPayload || (!s.roleSent && candidate.finishReason)) {
        // OpenAI streams open each choice with the assistant role.
        const first: Delta = s.roleSent ? delta : { role: "assistant", ...(hasPayload ? delta : { content: "" }) };
        s.roleSent = true;
        out.push(chunk([{ index, delta: first, finish_reason: null }]));
      }
      if (candidate.finishReason && !s.finished) {
        s.finished = true;
        const reason = mapFinishReason(candidate.finishReason, s.toolCalls > 0);
        out.push(chunk([{ index, delta: {}, finish_reason: reason }]));
      }
    }
    return [...out, ...usageChunk()];
  }

  function onEvents(events: Array<{ data: string }>): ChatCompletionChunk[] {
    const out: ChatCompletionChunk[] = [];
    for (const event of events) {
      if (streamError) break;
      let parsed: unknown;
      try {
        parsed = JSON.parse(event.data);
      } catch {
        streamError = {
          status: 502,
          type: "api_error",
          code: null,
          message: "Gemini sent an invalid stream event",
          retryable: true,
        };
        break;
      }
      if (isRecord(parsed) && isRecord(parsed.error)) {
        // Errors after the 200 arrive as an SSE event holding a normal Google error object.
        const error: GoogleErrorBody = parsed.error;
        streamError = fromGoogleError(error, typeof error.code === "number" ? error.code : 500);
        break;
      }
      try {
        assertGenerateContentResponse(parsed);
      } catch (error) {
        streamError = streamShapeError(error, "Gemini");
        break;
      }
      out.push(...onResponse(parsed));
    }
    return out;
  }

  return {
    push: (bytes) => onEvents(decoder.push(bytes)),
    end: () => [...onEvents(decoder.end()), ...(streamError ? [] : usageChunk())],
    usage(): TokenUsage | null {
      if (!meta) return null;
      // Complete only once every candidate finished cleanly; otherwise report what the last chunk said.
      return toTokenUsage(meta, allFinished() && !streamError ? "provider" : "partial");
    },
    error: () => streamError,
  };
}
