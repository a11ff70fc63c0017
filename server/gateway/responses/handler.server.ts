/**
 * POST /v1/responses and /api/v2/responses: OpenAI's Responses API through the one gateway pipeline
 * (docs/responses-api.md). This file is the codec's edge only: decode the body, resolve `previous_response_id` from
 * the hub's store, then the same routing, reservation, failover, records and settlement as chat; per candidate the
 * call passes through natively (a provider that serves Responses) or goes through its chat adapter, and the answer
 * is encoded back as a Responses object or event stream and stored when asked.
 */
import { outputCapHeaders, priceCall, reserveForCall } from "../../billing/call-billing.server";
import { chatBound } from "../../billing/worst-case";
import { HubError } from "../../errors";
import { log } from "../../log.server";
import { answerHeaders, finishCall, runGatewayCall, type CallContext } from "../call-context.server";
import type { Candidate } from "../candidates";
import { chatStreamPlan, openChatStream, type StreamPlan } from "../chat/execute.server";
import { answeredRecord } from "../chat/record";
import { chatStreamResponse } from "../chat/stream-response.server";
import { callJson } from "../json-call.server";
import { readJson, validate } from "../parse-body";
import { answerFromCache, rememberAnswer } from "../response-cache.server";
import { pickCandidates } from "../pick-candidates.server";
import { finalUsage, promptChars } from "../usage";
import { toChatRequest, toItems, type DecodedRequest } from "./decode";
import { finishedResponse, newId, outputOf, responseShell, type ResponseObject } from "./encode";
import { isNative, nativeBody } from "./native";
import { responsesBodySchema, type Item, type ResponsesBody } from "./request-schema";
import { conversationBefore, retentionDays, saveResponse } from "./store.server";
import { responsesStreamEncoder } from "./stream-encoder";
import { JsonResponse } from "../../http/json-response";
import { pathOf } from "../../http/node-request";

interface Turn {
  body: ResponsesBody;
  /** The conversation before this request (from previous_response_id), and this request's own items. */
  history: Item[];
  input: Item[];
  decoded: DecodedRequest;
  shell: ResponseObject;
}

export function handleResponses(request: Request): Promise<Response> {
  const endpoint = pathOf(request);
  return runGatewayCall(request, { endpoint, type: "chat" }, async (ctx) => {
    const raw = await readJson(request);
    if (typeof raw.model === "string") ctx.record.requestedModel = raw.model;
    const body = validate(responsesBodySchema, raw);
    const history = body.previous_response_id
      ? await conversationBefore(ctx.principal.userId, body.previous_response_id)
      : [];
    const input = toItems(body.input);
    const decoded = toChatRequest(body, [...history, ...input]);
    const stored = body.store !== false && (await retentionDays()) > 0;
    const turn: Turn = { body, history, input, decoded, shell: responseShell(body, newId("resp"), stored) };

    let routed = await pickCandidates(ctx, body.model, "chat");
    // Only a provider that serves the Responses API itself can run a forced built-in tool or take content the chat
    // path cannot carry: keep those candidates, or refuse before any upstream call.
    if (decoded.forcesNativeTool || decoded.untranslatable) {
      routed = routed.filter(isNative);
      if (routed.length === 0 && decoded.forcesNativeTool) {
        throw new HubError(
          "invalid_input",
          `'tool_choice' forces the '${decoded.forcesNativeTool}' tool, which this model's provider cannot run through the hub.`,
          "tool_choice",
          { code: "unsupported_tool_choice" },
        );
      }
      if (routed.length === 0 && decoded.untranslatable) throw decoded.untranslatable;
    }
    if (!body.stream) {
      const cached = await answerFromCache(ctx);
      if (cached) return cached;
    }
    const bound = (c: Candidate) => chatBound(decoded.chat, c.entry?.maxOutputTokens ?? null);
    ctx.billing = await priceCall(ctx, routed);
    const reservation = await reserveForCall(ctx, ctx.billing, routed, bound, { lowerOutput: { choices: 1 } });
    if (reservation.outputCap !== null) {
      // The balance covers less than asked: the native body and the translated one both carry the lowered budget.
      turn.body = { ...turn.body, max_output_tokens: reservation.outputCap };
      decoded.chat.max_completion_tokens = reservation.outputCap;
    }
    const headers = outputCapHeaders(reservation);
    return body.stream
      ? stream(ctx, turn, reservation.candidates, headers)
      : complete(ctx, turn, reservation.candidates, headers);
  });
}

/** What the call record notes for a candidate: a translated call may leave tools out; a native one passes all. */
function noteFor(ctx: CallContext, turn: Turn, native: boolean): void {
  ctx.record.notes = !native && turn.decoded.notes.length ? turn.decoded.notes.join("; ").slice(0, 1000) : null;
}

/**
 * Stores the answer when asked. The call is already settled and recorded: a failed write is logged and the client
 * still gets its answer (a later previous_response_id to it is then a 404), rather than an error for a paid call.
 */
async function keep(ctx: CallContext, turn: Turn, response: ResponseObject): Promise<void> {
  if (response.store !== true) return;
  try {
    await saveResponse(ctx.principal.userId, ctx.callId, [...turn.history, ...turn.input], response);
  } catch (error) {
    log.error("storing a Responses answer failed", { callId: ctx.callId, error });
  }
}

async function complete(
  ctx: CallContext,
  turn: Turn,
  candidates: Candidate[],
  headers: Record<string, string>,
): Promise<Response> {
  const { decoded, shell } = turn;
  const done = await callJson(
    ctx,
    candidates,
    (c, target) => {
      const native = isNative(c);
      noteFor(ctx, turn, native);
      if (native && c.provider.adapter.responses)
        return c.provider.adapter.responses.buildResponsesRequest(
          nativeBody(turn.body, turn.history, turn.input, false),
          target,
        );
      return c.provider.adapter.chat.buildChatRequest({ ...decoded.chat, stream: false }, target);
    },
    (json, target, c) => {
      if (isNative(c) && c.provider.adapter.responses) {
        const { response, usage } = c.provider.adapter.responses.parseResponsesResponse(json, target);
        return { native: response, completion: null, usage };
      }
      const { completion, usage } = c.provider.adapter.chat.parseChatResponse(json, target);
      return { native: null, completion, usage };
    },
  );
  const { native, completion } = done.result;
  const translated = completion ? outputOf(completion, decoded.customTools) : null;
  const outputChars = () => JSON.stringify(native?.output ?? translated?.output ?? []).length;
  const usage = finalUsage(
    done.result.usage,
    { promptChars: () => promptChars(decoded.chat.messages), outputChars },
    true,
  );
  const answer: ResponseObject = native
    ? {
        ...native,
        id: shell.id,
        model: shell.model,
        store: shell.store,
        previous_response_id: shell.previous_response_id,
        output: native.output as Item[],
      }
    : finishedResponse(shell, translated?.output ?? [], translated?.finishReason ?? null, usage);
  const picked = answeredRecord(done, usage);
  const cost = await finishCall(ctx, picked, () => answer);
  await keep(ctx, turn, answer);
  await rememberAnswer(ctx, answer, picked);
  return new JsonResponse(answer, {
    headers: answerHeaders(ctx, cost, headers),
  });
}

async function stream(
  ctx: CallContext,
  turn: Turn,
  candidates: Candidate[],
  headers: Record<string, string>,
): Promise<Response> {
  ctx.record.stream = true;
  const translated = chatStreamPlan(turn.decoded.chat);
  const plan: StreamPlan = (c, target) => {
    const native = isNative(c);
    noteFor(ctx, turn, native);
    const responses = native ? c.provider.adapter.responses : undefined;
    if (!responses) return translated(c, target);
    return {
      request: responses.buildResponsesRequest(nativeBody(turn.body, turn.history, turn.input, true), target),
      parser: responses.createResponsesStreamParser(target),
    };
  };
  const opened = await openChatStream(ctx, turn.decoded.chat, candidates, plan);
  const wire = responsesStreamEncoder({
    shell: turn.shell,
    customTools: turn.decoded.customTools,
    native: opened.result.parser.takeRaw !== undefined,
    done: (response) => keep(ctx, turn, response),
  });
  return chatStreamResponse(ctx, opened, turn.decoded.chat.messages, wire, headers);
}
