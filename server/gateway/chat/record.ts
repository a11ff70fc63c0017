/** The parts of a call record that come from the chosen candidate and from usage. */
import type { TokenUsage } from "../../providers/types";
import type { CallPatch } from "../../usage/call-recorder.server";
import type { Candidate } from "../candidates";
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

/** What a call's record says about the candidate being tried, so a failure is kept under its provider and model. */
export function triedRecord(ctx: { record: CallPatch }): (candidate: Candidate, attempts: number) => void {
  return (c, attempts) => {
    const tried = {
      providerId: c.provider.id,
      providerName: c.provider.name,
      credentialId: c.credential.id,
      model: c.model,
      attempts,
    };
    Object.assign(ctx.record, tried);
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
