/**
 * Body logging (docs/decisions/007-call-body-logging.md): when the owner keeps bodies (settings.bodyLogRetentionDays > 0), a call's record gets
 * its request body and its answer, redacted and capped (./body-capture.ts); the prune-bodies job drops them after
 * the retention. When it is off this costs one property read per call: nothing is copied or serialized.
 */
import { bodyTextOf } from "../http/raw-body";
import { log } from "../log.server";
import { peekSettings } from "../settings/settings.server";
import { captureJson, captureText } from "./body-capture";
import type { CallPatch } from "./call-recorder.server";

/** From the cached settings, without waiting: billing's getSettings() of the same call keeps them fresh. */
export function bodyLoggingOn(): boolean {
  return (peekSettings()?.bodyLogRetentionDays ?? 0) > 0;
}

/**
 * The bodies for a finished call's record. `response` builds the answer only when asked, so a call with logging
 * off never builds it. A body that cannot be captured is left out rather than failing the call.
 */
export function capturedBodies(request: Request, response?: () => unknown): CallPatch {
  try {
    const text = bodyTextOf(request);
    const answer = response?.();
    return {
      requestBody: text === undefined ? null : captureText(text),
      responseBody: answer === undefined ? null : captureJson(answer),
    };
  } catch (error) {
    log.warn("capturing a call's bodies failed; the call is recorded without them", {
      error: error instanceof Error ? error.name : "unknown",
    });
    return {};
  }
}
