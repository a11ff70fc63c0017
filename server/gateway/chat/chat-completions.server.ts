/** POST /api/v2/chat/completions (and /v1/..., /api/v1/...): OpenAI Chat Completions through the hub. */
import type { ChatCompletionCreateParams } from "../../providers/types";
import { microToCredits } from "../../billing/money";
import { chatBound } from "../../billing/worst-case";
import { answerHeaders, finishCall, runGatewayCall, type Caller } from "../call-context.server";
import { toOpenAIUsage } from "../openai-usage";
import { readJson, validate } from "../parse-body";
import { completedChatUsage } from "../usage";
import { completeChat, openChatStream } from "./execute.server";
import { outputCapHeaders, priceCall, reserveForCall } from "../../billing/call-billing.server";
import { answerFromCache, rememberAnswer } from "../response-cache.server";
import type { Candidate } from "../candidates";
import { pickCandidates } from "../pick-candidates.server";
import { openAIStreamEncoder } from "./openai-stream-encoder";
import { answeredRecord } from "./record";
import { chatBodySchema } from "./request-schema";
import { chatStreamResponse } from "./stream-response.server";
import { JsonResponse } from "../../http/json-response";
import { pathOf } from "../../http/node-request";

export function handleChatCompletions(request: Request, caller?: Caller): Promise<Response> {
  const endpoint = pathOf(request);
  return runGatewayCall(request, { endpoint, type: "chat", principal: caller }, async (ctx) => {
    const raw = await readJson(request);
    if (typeof raw.model === "string") ctx.record.requestedModel = raw.model;
    const body = validate(chatBodySchema, raw) as unknown as ChatCompletionCreateParams & {
      stream_options?: { include_usage?: boolean } | null;
    };
    const routed = await pickCandidates(ctx, body.model, "chat");
    if (!body.stream) {
      const cached = await answerFromCache(ctx);
      if (cached) return cached;
    }
    const bound = (c: Candidate) => chatBound(body, c.entry?.maxOutputTokens ?? null);
    ctx.billing = await priceCall(ctx, routed);
    const reservation = await reserveForCall(ctx, ctx.billing, routed, bound, {
      lowerOutput: { choices: body.n ?? 1 },
    });
    const { candidates, outputCap } = reservation;
    if (outputCap !== null) {
      // The balance covers less than the requested budget: send the lowered one (in the field the client used).
      if (body.max_completion_tokens != null) body.max_completion_tokens = outputCap;
      else body.max_tokens = outputCap;
    }
    if (body.stream) {
      ctx.record.stream = true;
      const opened = await openChatStream(ctx, body, candidates);
      const wire = openAIStreamEncoder(body.stream_options?.include_usage === true);
      return chatStreamResponse(ctx, opened, body.messages, wire, outputCapHeaders(reservation));
    }
    const done = await completeChat(ctx, body, candidates);
    const { completion } = done.result;
    const usage = completedChatUsage(done.result.usage, body.messages, completion);
    const picked = answeredRecord(done, usage);
    // The answer as sent, less the cost the hub adds once the call is settled: what is logged and cached.
    const answer = { ...completion, usage: completion.usage ?? toOpenAIUsage(usage) };
    const cost = await finishCall(ctx, picked, () => answer);
    // An answer cut to a lowered budget is this caller's only, never a cached answer for the request as asked.
    if (outputCap === null) await rememberAnswer(ctx, answer, picked);
    const answerUsage: Record<string, unknown> = { ...answer.usage };
    if (cost.costMicro !== null) answerUsage.cost = microToCredits(cost.costMicro);
    const headers = answerHeaders(ctx, cost, outputCapHeaders(reservation));
    return new JsonResponse({ ...answer, usage: answerUsage }, { headers });
  });
}
