/**
 * POST /v1/messages (and /api/v2/messages): Anthropic's Messages API through the one gateway pipeline
 * (docs/messages-api.md). Authentication, admission, routing, the credit reservation, failover, records and
 * settlement are the chat path's; only the edges differ. Per candidate, a provider whose adapter speaks Messages
 * natively (providers/types.ts PassThrough) gets the client's body with its own model id; any other gets the body
 * decoded to a chat request (./to-chat.ts), and its answer is encoded back (./to-message.ts, ./stream-encoder.ts).
 */
import { outputCapHeaders, priceCall, reserveForCall } from "../../billing/call-billing.server";
import { messagesBound } from "../../billing/worst-case";
import type { ChatCompletion, PassThrough, TokenUsage, UpstreamTarget } from "../../providers/types";
import { answerHeaders, finishCall, runGatewayCall, type CallContext } from "../call-context.server";
import type { Candidate } from "../candidates";
import { chatStreamPlan, openChatStream, type StreamPlan } from "../chat/execute.server";
import { answeredRecord } from "../chat/record";
import { chatStreamResponse } from "../chat/stream-response.server";
import { callJson } from "../json-call.server";
import { readJson, validate } from "../parse-body";
import { pickCandidates } from "../pick-candidates.server";
import { finalUsage, promptChars } from "../usage";
import { messagesCaller } from "./caller.server";
import { toAnthropicError } from "./errors";
import { messagesBodySchema } from "./request-schema";
import { messagesStreamEncoder, nativeStreamEncoder } from "./stream-encoder";
import { toChatRequest } from "./to-chat";
import { toMessage } from "./to-message";
import { withOutputCap } from "./output-cap";
import { JsonResponse } from "../../http/json-response";
import { pathOf } from "../../http/node-request";

/** The candidate's native Messages capability, when it has one for this target. */
export function nativeFor(c: Candidate, target: UpstreamTarget): PassThrough | null {
  const native = c.provider.adapter.messages;
  return native && native.supports(target) ? native : null;
}

type Answered =
  { native: unknown; usage: TokenUsage | null } | { completion: ChatCompletion; usage: TokenUsage | null };

export function handleMessages(request: Request): Promise<Response> {
  const endpoint = pathOf(request);
  return runGatewayCall(
    request,
    { endpoint, type: "chat", principal: messagesCaller, errors: toAnthropicError },
    async (ctx) => {
      const raw = await readJson(request);
      if (typeof raw.model === "string") ctx.record.requestedModel = raw.model;
      const body = validate(messagesBodySchema, raw);
      const routed = await pickCandidates(ctx, body.model, "chat");
      ctx.billing = await priceCall(ctx, routed);
      const reservation = await reserveForCall(
        ctx,
        ctx.billing,
        routed,
        (c) => messagesBound(body, c.entry?.maxOutputTokens ?? null),
        {
          lowerOutput: { choices: 1 },
        },
      );
      // What a native provider gets: the client's own body, its budget lowered when the balance asked for it.
      const sent = withOutputCap(raw, reservation.outputCap);
      const chat = toChatRequest({ ...body, max_tokens: sent.max_tokens as number });
      const headers = { "request-id": ctx.requestId, ...outputCapHeaders(reservation) };

      if (body.stream) {
        ctx.record.stream = true;
        const translated = chatStreamPlan(chat);
        const plan: StreamPlan = (c, target) => {
          const native = nativeFor(c, target);
          if (!native) return translated(c, target);
          return {
            request: native.buildRequest(sent, target, request.headers),
            parser: native.createStreamParser(target),
          };
        };
        const opened = await openChatStream(ctx, chat, reservation.candidates, plan);
        const native = opened.result.parser.takeRaw !== undefined;
        const wire = native ? nativeStreamEncoder(ctx.requestId) : messagesStreamEncoder(body.model, ctx.requestId);
        return chatStreamResponse(ctx, opened, chat.messages, wire, headers);
      }

      const done = await callJson<Answered>(
        ctx,
        reservation.candidates,
        (c, target) => {
          const native = nativeFor(c, target);
          if (native) return native.buildRequest(sent, target, request.headers);
          return c.provider.adapter.chat.buildChatRequest({ ...chat, stream: false }, target);
        },
        (json, target, c) => {
          const native = nativeFor(c, target);
          if (native) return { native: json, usage: native.parseUsage(json) };
          return c.provider.adapter.chat.parseChatResponse(json, target);
        },
      );
      return answer(ctx, done, chat.messages, body.model, headers);
    },
  );
}

async function answer(
  ctx: CallContext,
  done: Awaited<ReturnType<typeof callJson<Answered>>>,
  messages: unknown,
  model: string,
  headers: Record<string, string>,
) {
  const result = done.result;
  const output = "native" in result ? (result.native as { content?: unknown }).content : result.completion.choices;
  const usage = finalUsage(
    result.usage,
    { promptChars: () => promptChars(messages), outputChars: () => JSON.stringify(output ?? []).length },
    true,
  );
  // A native answer goes back exactly as the provider sent it; a translated one is encoded from the chat answer.
  const message = "native" in result ? result.native : toMessage(result.completion, usage, model);
  const cost = await finishCall(ctx, answeredRecord(done, usage), () => message);
  return new JsonResponse(message, {
    headers: answerHeaders(ctx, cost, headers),
  });
}
