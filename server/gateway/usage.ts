/**
 * The usage recorded for a call. The provider's counts win; what the provider did not report is estimated
 * from the text (about four characters a token) and marked as such, never left as a silent 0
 * (docs/architecture.md). A stream that ended early (client abort, upstream break) is "partial".
 */
import type { ChatCompletion, TokenUsage } from "../providers/types";

export function estimateTokens(chars: number): number {
  return Math.max(0, Math.ceil(chars / 4));
}

export function finalUsage(
  reported: TokenUsage | null,
  estimate: { promptChars: () => number; outputChars: () => number },
  complete: boolean,
): TokenUsage {
  const inputKnown = reported?.inputTokens ?? null;
  const outputKnown = reported?.outputTokens ?? null;
  if (complete && reported?.source === "provider" && inputKnown !== null && outputKnown !== null) return reported;
  return {
    inputTokens: inputKnown ?? estimateTokens(estimate.promptChars()),
    outputTokens: outputKnown ?? estimateTokens(estimate.outputChars()),
    cachedInputTokens: reported?.cachedInputTokens ?? null,
    cacheWriteTokens: reported?.cacheWriteTokens ?? null,
    // Both counts known but not the provider's own (an adapter's estimate, a cut stream's "partial"): keep its verdict.
    source: complete ? (inputKnown !== null && outputKnown !== null ? reported!.source : "estimated") : "partial",
  };
}

/** Characters of prompt text in a chat request, for estimates. */
export function promptChars(messages: unknown): number {
  let n = 0;
  const walk = (v: unknown): void => {
    if (typeof v === "string") n += v.length;
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) if (k !== "image_url" && k !== "role") walk(x);
    }
  };
  walk(messages);
  return n;
}

/** A whole (not streamed) chat answer's usage: the provider's counts, the rest estimated from the prompt and choices. */
export function completedChatUsage(
  reported: TokenUsage | null,
  messages: unknown,
  completion: ChatCompletion,
): TokenUsage {
  const outputChars = () => JSON.stringify(completion.choices ?? []).length;
  return finalUsage(reported, { promptChars: () => promptChars(messages), outputChars }, true);
}
