/**
 * How the gateway reaches one candidate: its target (base URL, secret, model, options), its timeouts, the send
 * itself, and the failures an upstream answer can turn into. Streams (./chat/execute.server.ts), JSON calls
 * (./json-call.server.ts) and the Messages API's token counter all send through here.
 */
import {
  sendUpstream,
  UpstreamFailure,
  type Timeouts,
  type UpstreamResponse,
  type UpstreamSignal,
} from "../providers/http.server";
import type { UpstreamRequest, UpstreamTarget } from "../providers/types";
import { unreadableUpstream } from "../providers/upstream-guards";
import type { Candidate } from "./candidates";
import { maskOf, maskResponse, maskUpstreamError } from "./masked-upstream";

export function targetFor(c: Candidate): UpstreamTarget {
  return { baseUrl: c.credential.baseUrl, secret: c.credential.secret, model: c.model, options: c.provider.options };
}

/** Provider option keys for timeouts (milliseconds), settable per provider. */
export function timeoutsFor(c: Candidate): Timeouts & { firstTokenMs: number } {
  const o = c.provider.options;
  const num = (v: unknown, d: number) => (typeof v === "number" && v > 0 ? v : d);
  const headersMs = num(o.firstTokenTimeoutMs, 120_000);
  return {
    connectMs: num(o.connectTimeoutMs, 10_000),
    headersMs,
    idleMs: num(o.idleTimeoutMs, 120_000),
    firstTokenMs: headersMs,
  };
}

/**
 * The one way the gateway sends to a candidate: what comes back has the credential's values masked, so no upstream
 * text that repeats the key reaches the client, a record or a log line (./masked-upstream.ts).
 */
export async function sendToCandidate(
  c: Candidate,
  req: UpstreamRequest,
  signal: UpstreamSignal | undefined,
  timeouts: Timeouts,
): Promise<UpstreamResponse> {
  return maskResponse(await sendUpstream(req, signal, timeouts), maskOf(c.credential));
}

/** An upstream non-2xx answer as a failure, in the provider's own terms, with the credential masked. */
export async function upstreamError(c: Candidate, res: UpstreamResponse): Promise<UpstreamFailure> {
  const mask = maskOf(c.credential);
  const text = await res.text().then(mask.text, () => "");
  return new UpstreamFailure(maskUpstreamError(c.provider.adapter.parseError(res.status, text, res.headers()), mask));
}

export function badUpstreamBody(detail: string): UpstreamFailure {
  return new UpstreamFailure(unreadableUpstream(detail));
}
