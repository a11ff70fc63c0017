/**
 * Running a chat request against the candidates: non-streaming (`completeChat`) or streaming (`openChatStream`,
 * which returns once the first chunk has arrived: until then a failure may still move on to the next candidate,
 * after it the client has bytes and the stream is committed).
 */
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
  ChatStreamParser,
  TokenUsage,
  UpstreamRequest,
  UpstreamTarget,
} from "../../providers/types";
import { networkFailure, UpstreamFailure } from "../../providers/http.server";
import type { Candidate } from "../candidates";
import { withFailover } from "../failover.server";
import { callJson } from "../json-call.server";
import { badUpstreamBody, sendToCandidate, targetFor, timeoutsFor, upstreamError } from "../upstream-send.server";
import { isBinaryBody, maskOf, maskParser } from "../masked-upstream";
import type { CallContext } from "../call-context.server";
import { firstEventFirst } from "./first-event";
import { triedRecord } from "./record";

export interface CompletedChat {
  completion: ChatCompletion;
  usage: TokenUsage | null;
}

export function completeChat(ctx: CallContext, body: ChatCompletionCreateParams, candidates: Candidate[]) {
  return callJson<CompletedChat>(
    ctx,
    candidates,
    (c, target) => c.provider.adapter.chat.buildChatRequest({ ...body, stream: false }, target),
    (json, target, c) => c.provider.adapter.chat.parseChatResponse(json, target),
  );
}

export interface OpenedStream {
  parser: ChatStreamParser;
  /** Chunks that arrived before the stream was committed. */
  first: ChatCompletionChunk[];
  body: AsyncIterator<Uint8Array>;
  /** True when the body already ended while waiting for the first chunk. */
  ended: boolean;
  /** Aborts the upstream request (client gone, idle timeout). */
  abort: () => void;
}

/**
 * How one candidate is asked for a stream: the request and the parser of its answer. By default the chat body
 * translated by the candidate's adapter; an inbound API with a native pass-through (server/gateway/messages/,
 * server/gateway/responses/) passes its own plan, which picks per candidate inside the same failover.
 */
export type StreamPlan = (
  c: Candidate,
  target: UpstreamTarget,
) => { request: UpstreamRequest; parser: ChatStreamParser };

export const chatStreamPlan =
  (body: ChatCompletionCreateParams): StreamPlan =>
  (c, target) => ({
    request: c.provider.adapter.chat.buildChatRequest({ ...body, stream: true }, target),
    parser: c.provider.adapter.chat.createChatStreamParser(target),
  });

export async function openChatStream(
  ctx: CallContext,
  body: ChatCompletionCreateParams,
  candidates: Candidate[],
  plan = chatStreamPlan(body),
) {
  return withFailover(
    candidates,
    async (c): Promise<OpenedStream> => {
      const target = targetFor(c);
      const timeouts = timeoutsFor(c);
      const { request: req, parser: planned } = plan(c, target);
      const upstream = new AbortController();
      const onClientAbort = () => upstream.abort();
      ctx.request.signal.addEventListener("abort", onClientAbort, { once: true });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        upstream.abort();
      }, timeouts.firstTokenMs);
      const t0 = performance.now();
      try {
        const res = await sendToCandidate(c, req, upstream.signal, timeouts);
        if (res.status >= 300) throw await upstreamError(c, res);
        // Text streams arrive masked already; a binary framing (Bedrock) is masked once decoded.
        const binary = isBinaryBody(res);
        const parser = maskParser(planned, maskOf(c.credential), binary);
        const source = res.body[Symbol.asyncIterator]();
        // A text stream's events one at a time until the first chunk, so it goes out without waiting for the rest
        // of the read (./first-event.ts).
        const events = binary ? null : firstEventFirst(source);
        const iterator = events?.iterator ?? source;
        let first: ChatCompletionChunk[] = [];
        let ended = false;
        while (first.length === 0) {
          const next = await iterator.next();
          if (next.done) {
            first = parser.end();
            ended = true;
            break;
          }
          first = parser.push(next.value);
          if (parser.error()) break;
        }
        events?.whole();
        const streamError = parser.error();
        if (streamError && first.length === 0) throw new UpstreamFailure(streamError);
        if (first.length === 0) throw badUpstreamBody("the stream ended without any data");
        return { parser, first, body: iterator, ended, abort: () => upstream.abort() };
      } catch (error) {
        ctx.request.signal.removeEventListener("abort", onClientAbort);
        if (timedOut && !ctx.request.signal.aborted) {
          throw new UpstreamFailure({
            status: 504,
            type: "api_error",
            code: "first_token_timeout",
            message: `The provider sent nothing within ${timeouts.firstTokenMs} ms.`,
            retryable: true,
          });
        }
        if (error instanceof UpstreamFailure) throw error;
        throw networkFailure(error, ctx.request.signal);
      } finally {
        clearTimeout(timer);
        ctx.upstreamMs += performance.now() - t0;
      }
    },
    triedRecord(ctx),
  );
}
