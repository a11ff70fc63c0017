/**
 * A non-streaming upstream call with failover: build the provider request, send it, read the JSON answer and
 * parse it with the adapter. Chat (non-streaming), embeddings and images all go through here.
 */
import {
  networkFailure,
  sendUpstream,
  UpstreamFailure,
  type Timeouts,
  type UpstreamResponse,
} from "../providers/http.server";
import type { UpstreamRequest, UpstreamTarget } from "../providers/types";
import { unreadableUpstream } from "../providers/upstream-guards";
import type { CallContext } from "./call-context.server";
import type { Candidate } from "./candidates";
import { triedRecord } from "./chat/record";
import { withFailover } from "./failover.server";
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
  signal: AbortSignal | undefined,
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

export function callJson<T>(
  ctx: CallContext,
  candidates: Candidate[],
  build: (c: Candidate, target: UpstreamTarget) => UpstreamRequest,
  parse: (json: unknown, target: UpstreamTarget, c: Candidate) => T,
) {
  return withFailover(
    candidates,
    async (c): Promise<T> => {
      // A fresh target per attempt: some adapters remember request details on it for the parse step.
      const target = targetFor(c);
      const req = build(c, target);
      const t0 = performance.now();
      try {
        const res = await sendToCandidate(c, req, ctx.request.signal, timeoutsFor(c));
        if (res.status >= 300) throw await upstreamError(c, res);
        const text = await res.text().catch((e: unknown) => {
          throw networkFailure(e, ctx.request.signal);
        });
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          throw badUpstreamBody("not JSON");
        }
        // A key written with JSON escapes ("\u002d") only shows once parsed.
        if (text.includes("\\u")) json = maskOf(c.credential).deep(json);
        try {
          return parse(json, target, c);
        } catch (error) {
          throw badUpstreamBody(error instanceof Error ? error.message : "unexpected shape");
        }
      } finally {
        ctx.upstreamMs += performance.now() - t0;
      }
    },
    triedRecord(ctx),
  );
}
