/** Our usage in OpenAI's `usage` shape, for answers whose provider did not report it. */
import type { TokenUsage } from "../providers/types";

export function toOpenAIUsage(usage: TokenUsage) {
  const prompt = usage.inputTokens ?? 0;
  const completion = usage.outputTokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    ...(usage.cachedInputTokens !== null ? { prompt_tokens_details: { cached_tokens: usage.cachedInputTokens } } : {}),
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isCount = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 0;

/**
 * An image answer's `usage` as OpenAI's ImagesResponse schema requires it (input, output and total tokens and
 * `input_tokens_details` with text and image tokens, docs/api-contracts.md), or null when the upstream sent
 * none or only part of it. The hub does not make up the missing numbers: such an answer goes without `usage`, and
 * its cost travels in the `x-hub-cost` header alone.
 */
export function completeImagesUsage(usage: unknown): Record<string, unknown> | null {
  if (!isRecord(usage) || !isRecord(usage.input_tokens_details)) return null;
  const details = usage.input_tokens_details;
  const complete = [
    usage.input_tokens,
    usage.output_tokens,
    usage.total_tokens,
    details.text_tokens,
    details.image_tokens,
  ].every(isCount);
  return complete ? usage : null;
}
