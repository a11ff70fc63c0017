/**
 * POST /api/v2/chat: AIGNE Hub's chat envelope (docs/aigne-protocol.md, "POST /api/v2/chat"), served by the same pipeline as OpenAI
 * chat completions; only the parsing and the wire encoding differ.
 */
import type { TokenUsage } from "../providers/types";
import { HubError } from "../errors";
import { toAigneChatResponse, type AigneUsageInput } from "./aigne/chat-response";
import { createAigneStreamEncoder } from "./aigne/chat-stream";
import { parseAigneChatEnvelope } from "./aigne/envelope";
import { microToCredits } from "../billing/money";
import { priceCall, reserveForCall } from "../billing/call-billing.server";
import { chatBound } from "../billing/worst-case";
import { answerHeaders, finishCall, runGatewayCall } from "./call-context.server";
import { getRoutingCatalog } from "./routing-catalog.server";
import { completeChat, openChatStream } from "./chat/execute.server";
import { answeredRecord } from "./chat/record";
import { chatStreamResponse, type ChatStreamEncoder } from "./chat/stream-response.server";
import { readJson } from "./parse-body";
import { pickCandidates } from "./pick-candidates.server";
import { completedChatUsage } from "./usage";
import { JsonResponse } from "../http/json-response";
import { pathOf } from "../http/node-request";

function aigneUsage(usage: TokenUsage): AigneUsageInput {
  return {
    inputTokens: usage.inputTokens ?? 0,
    outputTokens: usage.outputTokens ?? 0,
    ...(usage.cachedInputTokens !== null ? { cacheReadInputTokens: usage.cachedInputTokens } : {}),
    ...(usage.cacheWriteTokens !== null ? { cacheCreationInputTokens: usage.cacheWriteTokens } : {}),
  };
}

/** AIGNE's `aigneHubCredits`: the call's cost in credits, when the model has a price. */
const credits = (micro: number | null) => (micro === null ? undefined : microToCredits(micro));

/** The model when the envelope names none: the first enabled chat model, so a bare client still works. */
async function defaultChatModel(): Promise<string> {
  const catalog = await getRoutingCatalog();
  const first = [...catalog.models.values()]
    .filter((m) => m.type === "chat" && m.provider.credentials.length)
    .sort((a, b) => a.id.localeCompare(b.id))[0];
  if (!first)
    throw new HubError(
      "invalid_input",
      "No model was given and the hub has no chat model configured.",
      "input.modelOptions.model",
    );
  return `${first.provider.name}/${first.model}`;
}

export function handleAigneChat(request: Request): Promise<Response> {
  return runGatewayCall(request, { endpoint: pathOf(request), type: "chat", aigne: true }, async (ctx) => {
    const envelope = parseAigneChatEnvelope(await readJson(request));
    const model = envelope.request.model ?? (await defaultChatModel());
    ctx.record.requestedModel = model;
    const body = { ...envelope.request, model };
    const routed = await pickCandidates(ctx, model, "chat");
    ctx.billing = await priceCall(ctx, routed);
    const { candidates } = await reserveForCall(ctx, ctx.billing, routed, (c) =>
      chatBound(body, c.entry?.maxOutputTokens ?? null),
    );

    if (envelope.streaming) {
      ctx.record.stream = true;
      const opened = await openChatStream(ctx, body, candidates);
      const c = opened.candidate;
      const aigne = createAigneStreamEncoder({
        wantsJson: envelope.wantsJson,
        model: c.model,
        modelWithProvider: `${c.provider.name}/${c.model}`,
      });
      const wire: ChatStreamEncoder = {
        chunk: (chunk) => aigne.push(chunk),
        end: (usage, cost) =>
          aigne.finish({ usage: aigneUsage(usage), credits: credits(cost.costMicro), modelCallId: ctx.callId }),
        error: (error) => aigne.error(error.message),
      };
      return chatStreamResponse(ctx, opened, body.messages, wire);
    }

    const done = await completeChat(ctx, body, candidates);
    const { completion } = done.result;
    const usage = completedChatUsage(done.result.usage, body.messages, completion);
    // Logged in the OpenAI shape the provider's answer was parsed into (the AIGNE envelope adds only its cost).
    const cost = await finishCall(ctx, answeredRecord(done, usage), () => completion);
    const c = done.candidate;
    const answer = toAigneChatResponse(completion, {
      wantsJson: envelope.wantsJson,
      model: c.model,
      modelWithProvider: `${c.provider.name}/${c.model}`,
      usage: aigneUsage(usage),
      credits: credits(cost.costMicro),
      modelCallId: ctx.callId,
    });
    return new JsonResponse(answer, { headers: answerHeaders(ctx, cost) });
  });
}
