/** POST /api/v2/embeddings: OpenAI embeddings, or AIGNE Hub's envelope (told apart by shape). */
import type { CreateEmbeddingResponse, TokenUsage } from "../providers/types";
import { HubError } from "../errors";
import { parseEmbeddingsBody } from "./aigne/embeddings";
import { microToCredits } from "../billing/money";
import { embeddingsBound } from "../billing/worst-case";
import { answerHeaders, finishCall, runGatewayCall, type Caller } from "./call-context.server";
import { answeredRecord } from "./chat/record";
import { callJson } from "./json-call.server";
import { readJson } from "./parse-body";
import { priceCall, reserveForCall } from "../billing/call-billing.server";
import { answerFromCache, rememberAnswer } from "./response-cache.server";
import { pickCandidates } from "./pick-candidates.server";
import { finalUsage, promptChars } from "./usage";
import { JsonResponse } from "../http/json-response";
import { pathOf } from "../http/node-request";

export function handleEmbeddings(request: Request, caller?: Caller): Promise<Response> {
  return runGatewayCall(request, { endpoint: pathOf(request), type: "embedding", principal: caller }, async (ctx) => {
    const body = parseEmbeddingsBody(await readJson(request));
    ctx.record.requestedModel = body.model;
    const routed = await pickCandidates(ctx, body.model, "embedding");
    const cached = await answerFromCache(ctx);
    if (cached) return cached;
    ctx.billing = await priceCall(ctx, routed);
    const { candidates } = await reserveForCall(ctx, ctx.billing, routed, () => embeddingsBound(body.input));
    const done = await callJson<{ response: CreateEmbeddingResponse; usage: TokenUsage | null }>(
      ctx,
      candidates,
      (c, target) => {
        if (!c.provider.adapter.embeddings)
          throw new HubError("invalid_input", `The provider ${c.provider.name} does not offer embeddings.`, "model");
        return c.provider.adapter.embeddings.buildEmbeddingsRequest({ ...body }, target);
      },
      (json, target, c) => c.provider.adapter.embeddings!.parseEmbeddingsResponse(json, target),
    );
    const usage = finalUsage(
      done.result.usage ? { ...done.result.usage, outputTokens: done.result.usage.outputTokens ?? 0 } : null,
      { promptChars: () => promptChars(body.input), outputChars: () => 0 },
      true,
    );
    const picked = answeredRecord(done, usage);
    const response = done.result.response;
    const cost = await finishCall(ctx, picked, () => response);
    await rememberAnswer(ctx, response, picked);
    const answer =
      cost.costMicro === null
        ? response
        : { ...response, usage: { ...response.usage, cost: microToCredits(cost.costMicro) } };
    return new JsonResponse(answer, { headers: answerHeaders(ctx, cost) });
  });
}
