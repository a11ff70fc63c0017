/**
 * Per-credential health. After `threshold` consecutive failures a credential is skipped for `cooldownMs`;
 * then one request is let through as a probe (half-open): success closes the circuit, failure opens it again
 * with a doubled cooldown (capped). A 429's Retry-After opens it for exactly that long. Pure: time is passed in.
 *
 * State is per process on purpose: each instance learns an upstream's health from its own traffic, and the last
 * state is also written to the credentials table for the admin console.
 */
export type Health = "healthy" | "unhealthy" | "probing";

interface State {
  failures: number;
  openUntil: number;
  /** Why it is open: the upstream asked us to wait (429 Retry-After), or it kept failing. */
  reason: "rate_limited" | "failing";
  cooldownMs: number;
  probeInFlight: boolean;
}

export interface BreakerOptions {
  threshold: number;
  cooldownMs: number;
  maxCooldownMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = { threshold: 3, cooldownMs: 30_000, maxCooldownMs: 5 * 60_000 };

export class CircuitBreaker {
  private readonly states = new Map<string, State>();

  constructor(private readonly options: BreakerOptions = DEFAULT_BREAKER) {}

  private state(id: string): State {
    let s = this.states.get(id);
    if (!s) {
      s = { failures: 0, openUntil: 0, reason: "failing", cooldownMs: this.options.cooldownMs, probeInFlight: false };
      this.states.set(id, s);
    }
    return s;
  }

  /** May a request use this credential now? Claims the probe slot when the cooldown has passed. */
  tryAcquire(id: string, now: number): boolean {
    const s = this.states.get(id);
    if (!s || s.openUntil === 0) return true;
    if (now < s.openUntil) return false;
    if (s.probeInFlight) return false;
    s.probeInFlight = true;
    return true;
  }

  /** Would tryAcquire succeed (without claiming anything)? For listings and the status endpoint. */
  isAvailable(id: string, now: number): boolean {
    const s = this.states.get(id);
    return !s || s.openUntil === 0 || (now >= s.openUntil && !s.probeInFlight);
  }

  health(id: string, now: number): Health {
    const s = this.states.get(id);
    if (!s || s.openUntil === 0) return "healthy";
    return now >= s.openUntil ? "probing" : "unhealthy";
  }

  recordSuccess(id: string): void {
    const s = this.states.get(id);
    if (!s) return;
    s.failures = 0;
    s.openUntil = 0;
    s.cooldownMs = this.options.cooldownMs;
    s.probeInFlight = false;
  }

  /** Returns true when this failure opened (or re-opened) the circuit. */
  recordFailure(id: string, now: number, retryAfterMs?: number): boolean {
    const s = this.state(id);
    s.failures++;
    const wasProbe = s.probeInFlight;
    s.probeInFlight = false;
    if (retryAfterMs !== undefined && retryAfterMs > 0) {
      s.openUntil = now + retryAfterMs;
      s.reason = "rate_limited";
      return true;
    }
    s.reason = "failing";
    if (wasProbe) {
      s.cooldownMs = Math.min(s.cooldownMs * 2, this.options.maxCooldownMs);
      s.openUntil = now + s.cooldownMs;
      return true;
    }
    if (s.failures >= this.options.threshold) {
      s.openUntil = now + s.cooldownMs;
      return true;
    }
    return false;
  }

  /** Release a probe slot without a verdict (the client went away before the upstream answered). */
  release(id: string): void {
    const s = this.states.get(id);
    if (s) s.probeInFlight = false;
  }

  openReason(id: string): "rate_limited" | "failing" | null {
    const s = this.states.get(id);
    return s && s.openUntil > 0 ? s.reason : null;
  }

  /** When an open circuit lets a probe through again; null when closed. */
  openUntil(id: string): number | null {
    const s = this.states.get(id);
    return s && s.openUntil > 0 ? s.openUntil : null;
  }

  /** Forget every credential's state (tests, and an admin's "reset health"). */
  reset(): void {
    this.states.clear();
  }

  failures(id: string): number {
    return this.states.get(id)?.failures ?? 0;
  }
}
