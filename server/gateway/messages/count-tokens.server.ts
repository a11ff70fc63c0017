/**
 * POST /v1/messages/count_tokens (and /api/v2/...): the input tokens a Messages request would use
 * (docs/messages-api.md). Authenticated and admitted like any call (IP rules, quotas); it is not a model call,
 * so it is neither recorded nor billed: it moves no money, and Claude Code sends many of them. The provider's own
 * counter answers where the routed model has one (Anthropic); otherwise, or when the counter fails or the model is
 * unknown here, the hub's estimate does. Never a 404: a client that gets one here stops using the model.
 */
import { HubError } from "../../errors";
import { log } from "../../log.server";
import { admitRequest, type Admitted } from "../call-context.server";
import type { Candidate } from "../candidates";
import { withFailover } from "../failover.server";
import { sendToCandidate, targetFor, timeoutsFor, upstreamError } from "../upstream-send.server";
import { readJson, validate } from "../parse-body";
import { pickCandidates } from "../pick-candidates.server";
import { messagesCaller } from "./caller.server";
import { toAnthropicError } from "./errors";
import { countTokensBody, estimateInputTokens } from "./estimate";
import { nativeFor } from "./messages.server";
import { countTokensBodySchema } from "./request-schema";

async function routed(principal: Admitted["principal"], model: string): Promise<Candidate[]> {
  try {
    return await pickCandidates({ principal }, model, "chat");
  } catch (error) {
    if (error instanceof HubError && error.code === "model_not_found") return [];
    throw error;
  }
}

/** The first routed candidate with a native counter that answers; null when none does. */
async function providerCount(
  request: Request,
  raw: Record<string, unknown>,
  candidates: Candidate[],
): Promise<number | null> {
  const counters = candidates.filter((c) => nativeFor(c, targetFor(c))?.countTokens);
  if (counters.length === 0) return null;
  try {
    const done = await withFailover(counters, async (c) => {
      const target = targetFor(c);
      const counter = nativeFor(c, target)?.countTokens;
      if (!counter) throw new Error("no token counter");
      const res = await sendToCandidate(
        c,
        counter.buildRequest(countTokensBody(raw), target, request.headers),
        request.signal,
        timeoutsFor(c),
      );
      if (res.status >= 300) throw await upstreamError(c, res);
      return counter.parseCount(JSON.parse(await res.text()));
    });
    return done.result;
  } catch (error) {
    log.warn("the provider's token counter failed; answering the hub's estimate", { error });
    return null;
  }
}

export async function handleCountTokens(request: Request): Promise<Response> {
  const started = performance.now();
  const requestId = request.headers.get("x-request-id") ?? crypto.randomUUID();
  let admitted: Admitted | null = null;
  const overhead = () => (performance.now() - started).toFixed(2);
  try {
    admitted = await admitRequest(request, messagesCaller);
    const raw = await readJson(request);
    const body = validate(countTokensBodySchema, raw);
    const counted = await providerCount(request, raw, await routed(admitted.principal, body.model));
    const source = counted === null ? "estimated" : "provider";
    const inputTokens = counted ?? estimateInputTokens(body);
    return Response.json(
      { input_tokens: inputTokens },
      { headers: { "request-id": requestId, "x-hub-token-count": source, "x-hub-overhead-ms": overhead() } },
    );
  } catch (error) {
    if (!(error instanceof HubError)) log.error("count_tokens failed", { requestId, error });
    const { status, body, headers } = toAnthropicError(error, requestId);
    return Response.json(body, { status, headers: { ...headers, "x-hub-overhead-ms": overhead() } });
  } finally {
    admitted?.admission.finish({ tokens: 0, costMicro: 0 });
  }
}
