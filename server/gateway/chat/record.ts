/** The parts of a call record that come from the chosen candidate and from usage. */
import type { TokenUsage } from "../../providers/types";
import type { CallPatch } from "../../usage/call-recorder.server";
import type { Attempted } from "../failover.server";

export function candidateRecord(attempted: Attempted<unknown>): CallPatch {
  const c = attempted.candidate;
  return {
    providerId: c.provider.id,
    providerName: c.provider.name,
    credentialId: c.credential.id,
    model: c.model,
    attempts: attempted.attempts,
  };
}

export function usageRecord(usage: TokenUsage | null): CallPatch {
  if (!usage) return {};
  return {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cachedInputTokens: usage.cachedInputTokens,
    cacheWriteTokens: usage.cacheWriteTokens,
    usageSource: usage.source,
  };
}
