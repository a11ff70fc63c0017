/**
 * A non-streaming upstream call with failover: build the provider request, send it, read the JSON answer and
 * parse it with the adapter. Chat (non-streaming), embeddings and images all go through here.
 */
import { clientGoneSignal } from "../http/node-request";
import { networkFailure } from "../providers/http.server";
import type { UpstreamRequest, UpstreamTarget } from "../providers/types";
import type { CallContext } from "./call-context.server";
import type { Candidate } from "./candidates";
import { triedRecord } from "./chat/record";
import { withFailover } from "./failover.server";
import { maskOf } from "./masked-upstream";
import { badUpstreamBody, sendToCandidate, targetFor, timeoutsFor, upstreamError } from "./upstream-send.server";

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
      const signal = clientGoneSignal(ctx.request);
      try {
        const res = await sendToCandidate(c, req, signal, timeoutsFor(c));
        if (res.status >= 300) throw await upstreamError(c, res);
        const text = await res.text().catch((e: unknown) => {
          throw networkFailure(e, signal);
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
