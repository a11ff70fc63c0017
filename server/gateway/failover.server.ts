/**
 * Try candidates in order until one answers. A failure that another credential could fix (connection error,
 * timeout, 429, 5xx) moves on to the next candidate; anything else is the answer. Each outcome feeds the
 * circuit breaker, and a 429's Retry-After keeps that credential out for exactly that long.
 */
import { HubError } from "../errors";
import { log } from "../log.server";
import { UpstreamFailure } from "../providers/http.server";
import { AdapterRequestError } from "../providers/request-error";
import type { UpstreamError } from "../providers/types";
import type { Candidate } from "./candidates";
import { breaker, noteCredentialHealth } from "./credential-health.server";

export interface Attempted<T> {
  candidate: Candidate;
  result: T;
  attempts: number;
}

/**
 * `tried` hears of each candidate as it is tried (and of the first when none could be), so a call that fails is
 * recorded under the provider and model it failed on, not under none.
 */
export async function withFailover<T>(
  candidates: Candidate[],
  run: (candidate: Candidate) => Promise<T>,
  tried?: (candidate: Candidate, attempts: number) => void,
): Promise<Attempted<T>> {
  let last: UpstreamFailure | null = null;
  let attempts = 0;
  for (const candidate of candidates) {
    const id = candidate.credential.id;
    // Open circuits are skipped: the upstream asked us to wait, or keeps failing.
    if (!breaker.tryAcquire(id, Date.now())) continue;
    attempts++;
    tried?.(candidate, attempts);
    try {
      const result = await run(candidate);
      breaker.recordSuccess(id);
      noteCredentialHealth(id, null);
      return { candidate, result, attempts };
    } catch (error) {
      if (!(error instanceof UpstreamFailure)) {
        breaker.release(id);
        throw toHubError(error);
      }
      if (error.aborted) {
        breaker.release(id);
        throw error;
      }
      last = error;
      const e = error.error;
      if (e.retryable) {
        breaker.recordFailure(id, Date.now(), e.status === 429 ? e.retryAfterMs : undefined);
        noteCredentialHealth(id, e);
        log.warn("upstream attempt failed", {
          provider: candidate.provider.name,
          credential: candidate.credential.name,
          status: e.status,
          code: e.code,
        });
        continue;
      }
      breaker.release(id);
      throw upstreamHubError(e);
    }
  }
  if (last) throw upstreamHubError(last.error);
  if (candidates[0]) tried?.(candidates[0], 0);
  throw coolingDown(candidates);
}

/** Nothing could be tried: say when to come back, and whether the provider asked us to slow down. */
function coolingDown(candidates: Candidate[]): HubError {
  const now = Date.now();
  const ids = candidates.map((c) => c.credential.id);
  const until = Math.min(...ids.map((id) => breaker.openUntil(id) ?? now + 1000));
  const retryAfterSeconds = Math.max(1, Math.ceil((until - now) / 1000));
  if (ids.every((id) => breaker.openReason(id) === "rate_limited")) {
    return new HubError(
      "rate_limited",
      "The provider asked the hub to slow down; try again after the Retry-After delay.",
      null,
      { retryAfterSeconds },
    );
  }
  return new HubError(
    "unavailable",
    "Every credential of this model is cooling down after errors; try again shortly.",
    null,
    { retryAfterSeconds },
  );
}

/** Adapter translation errors (server/providers/request-error.ts) are the client's fault: 400. Anything else is ours: 500. */
export function toHubError(error: unknown): HubError | unknown {
  if (error instanceof HubError) return error;
  if (error instanceof AdapterRequestError) return new HubError("invalid_input", error.message);
  return error;
}

function upstreamHubError(e: UpstreamError): HubError {
  const kind =
    e.status === 429 ? "rate_limited" : e.status === 504 ? "timeout" : e.status >= 500 ? "upstream" : "invalid_input";
  return new HubError(kind, e.message, null, {
    status: e.status >= 400 && e.status < 600 ? e.status : 502,
    type: e.type,
    code: e.code,
    retryAfterSeconds: e.retryAfterMs !== undefined ? Math.ceil(e.retryAfterMs / 1000) : undefined,
    // The provider's own error travels along, for inbound APIs that pass it on natively (server/gateway/messages/errors.ts).
    cause: e,
  });
}
