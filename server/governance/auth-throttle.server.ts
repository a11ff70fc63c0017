/**
 * Failed authentications are throttled per client address (docs/decisions/009-hostile-input.md): wrong or missing
 * access keys on the API, unknown device codes on the RFC 8628 token endpoint and unknown AIGNE connect sessions
 * all count against one window per address. Past the limit a failure is answered 429 with Retry-After instead of
 * 401; a valid key from the same address is never counted nor refused, so a person whose script keeps a wrong key
 * does not lock out their own working one. Counted in the rate-limit store (memory, or Redis across instances).
 */
import { getEnv } from "../env.server";
import { HubError } from "../errors";
import { log } from "../log.server";
import { getSettings } from "../settings/settings.server";
import { resolveClientIp } from "./ip-rules";
import { getRateLimitStore } from "./rate-limiter.server";

const WINDOW_MS = 60_000;

/** Failures allowed per address and minute: the owner's setting, else HUB_AUTH_FAILURES_PER_MINUTE; 0 turns it off. */
export async function authFailureLimit(): Promise<number> {
  const settings = await getSettings();
  return settings.authFailuresPerMinute ?? getEnv().HUB_AUTH_FAILURES_PER_MINUTE;
}

/** The client's address as the IP rules see it (X-Forwarded-For only from trusted proxies). */
export async function clientAddress(request: Request): Promise<string> {
  const { trustedProxies } = await getSettings();
  return (
    resolveClientIp(
      request.headers.get("x-hub-client-ip") ?? "",
      request.headers.get("x-forwarded-for"),
      trustedProxies,
    ) || "unknown"
  );
}

/**
 * Counts one failed authentication from the request's address, and throws HubError 429 (Retry-After) once the
 * address has used up its failures for the window. A rate-limit store that cannot be reached lets the 401 through:
 * throttling is a brake on guessing, not a reason to refuse service.
 */
export async function noteAuthFailure(request: Request, now = Date.now()): Promise<void> {
  const limit = await authFailureLimit();
  if (limit <= 0) return;
  const address = await clientAddress(request);
  let result;
  try {
    result = await getRateLimitStore().hit(`authfail:${address}`, limit, WINDOW_MS, 1, now);
  } catch (error) {
    log.warn("counting a failed authentication failed; not throttled", { error });
    return;
  }
  if (result.allowed) return;
  const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
  throw new HubError(
    "rate_limited",
    `Too many failed authentications from this address; try again in ${seconds} s.`,
    null,
    {
      retryAfterSeconds: seconds,
    },
  );
}
