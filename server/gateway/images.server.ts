/**
 * Image generation: OpenAI's `POST /images/generations` (also served at AIGNE Hub's `/image/generations` and
 * `/images/generate` paths) and AIGNE's envelope at `POST /api/v2/image`. One pipeline; two wire formats.
 */
import { z } from "zod";
import type { ImageGenerateParams, ImagesResponse, TokenUsage } from "../providers/types";
import { HubError } from "../errors";
import { parseAigneImageEnvelope, toAigneImageResponse } from "./aigne/image";
import { microToCredits } from "../billing/money";
import { priceCall, reserveForCall } from "../billing/call-billing.server";
import { imageBound } from "../billing/worst-case";
import { answerHeaders, finishCall, runGatewayCall, type CallContext, type Caller } from "./call-context.server";
import { answeredRecord } from "./chat/record";
import { callJson } from "./json-call.server";
import { completeImagesUsage } from "./openai-usage";
import { readJson, validate } from "./parse-body";
import { pickCandidates } from "./pick-candidates.server";
import { pathOf } from "../http/node-request";

const imageBodySchema = z.looseObject({
  model: z.string().min(1),
  prompt: z.string().min(1).max(32_000),
  n: z.number().int().min(1).max(10).nullable().optional(),
  size: z.string().nullable().optional(),
  quality: z.string().nullable().optional(),
  response_format: z.enum(["url", "b64_json"]).nullable().optional(),
});

async function generate(ctx: CallContext, body: ImageGenerateParams) {
  ctx.record.requestedModel = body.model ?? null;
  const routed = await pickCandidates(ctx, body.model!, "image");
  ctx.billing = await priceCall(ctx, routed);
  const { candidates } = await reserveForCall(ctx, ctx.billing, routed, (c) =>
    imageBound(body, c.entry?.maxOutputTokens ?? null),
  );
  ctx.billing.image = { size: body.size ?? null, quality: body.quality ?? null };
  const done = await callJson<{ response: ImagesResponse; usage: TokenUsage | null }>(
    ctx,
    candidates,
    (c, target) => {
      if (!c.provider.adapter.images)
        throw new HubError("invalid_input", `The provider ${c.provider.name} does not generate images.`, "model");
      return c.provider.adapter.images.buildImageRequest(body, target);
    },
    (json, target, c) => c.provider.adapter.images!.parseImageResponse(json, target),
  );
  const images = done.result.response.data?.length ?? 0;
  const cost = await finishCall(
    ctx,
    { ...answeredRecord(done, done.result.usage), images },
    () => done.result.response,
  );
  return { done, cost };
}

export function handleImageGenerations(request: Request, caller?: Caller): Promise<Response> {
  return runGatewayCall(request, { endpoint: pathOf(request), type: "image", principal: caller }, async (ctx) => {
    const body = validate(imageBodySchema, await readJson(request)) as ImageGenerateParams;
    const { done, cost } = await generate(ctx, body);
    const { usage: sent, ...response } = done.result.response;
    // A usage object holding only `cost` breaks clients that check OpenAI's schema: cost goes into a complete usage
    // or, when the upstream reported none, only into the x-hub-cost header.
    const usage = completeImagesUsage(sent);
    const priced = usage && cost.costMicro !== null ? { ...usage, cost: microToCredits(cost.costMicro) } : usage;
    const answer = priced ? { ...response, usage: priced } : response;
    return Response.json(answer, { headers: answerHeaders(ctx, cost) });
  });
}

/** AIGNE's image envelope (docs/aigne-protocol.md, "POST /api/v2/image"); answers inline as `file` so the client needs no key to fetch. */
export function handleAigneImage(request: Request): Promise<Response> {
  return runGatewayCall(request, { endpoint: pathOf(request), type: "image", aigne: true }, async (ctx) => {
    const { request: body } = parseAigneImageEnvelope(await readJson(request));
    const { done, cost } = await generate(ctx, body);
    const u = done.result.usage;
    const usage = u ? { inputTokens: u.inputTokens ?? 0, outputTokens: u.outputTokens ?? 0 } : undefined;
    const credits = cost.costMicro === null ? undefined : microToCredits(cost.costMicro);
    const response = toAigneImageResponse(done.result.response, {
      model: `${done.candidate.provider.name}/${done.candidate.model}`,
      usage,
      credits,
    });
    return Response.json(response, { headers: answerHeaders(ctx, cost) });
  });
}
