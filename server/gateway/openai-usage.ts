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
