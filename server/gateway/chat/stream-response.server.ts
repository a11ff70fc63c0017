/**
 * Turns a committed upstream stream into the client's SSE response, in whichever wire format the encoder speaks
 * (OpenAI chunks or AIGNE deltas). It owns the end of the call: on completion, on an upstream failure after the
 * first byte (an in-band error event, never a silent close), and on client abort (the upstream is cancelled and
 * the call recorded with what was generated). The call is settled before the last event, so that event can carry
 * its cost.
 */
import type { ChatCompletionChunk, TokenUsage, UpstreamError } from "../../providers/types";
import type { CallCost } from "../../billing/call-billing.server";
import { networkFailure } from "../../providers/http.server";
import { finishCall, overheadMs, type CallContext } from "../call-context.server";
import type { Attempted } from "../failover.server";
import { finalUsage, promptChars } from "../usage";
import { bodyLoggingOn } from "../../usage/body-log.server";
import { createStreamAssembler } from "../../usage/stream-assembly";
import type { OpenedStream } from "./execute.server";
import { candidateRecord, withUsage } from "./record";

export interface ChatStreamEncoder {
  chunk(chunk: ChatCompletionChunk): string;
  /**
   * The closing events; `cost` is the settled call's price (costMicro null when the model has no price). May be
   * async, for an encoder that keeps the answer (the Responses store) before the client learns it is done.
   */
  end(usage: TokenUsage, cost: CallCost): string | Promise<string>;
  error(error: UpstreamError): string;
  /** Pass-through: the provider's own events (ChatStreamParser.takeRaw, as they arrive) in the client's wire format. */
  raw?(events: unknown[]): string;
}

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
  connection: "keep-alive",
};

const encoder = new TextEncoder();

function outputChars(chunk: ChatCompletionChunk): number {
  let n = 0;
  for (const choice of chunk.choices ?? []) {
    const d = choice.delta as {
      content?: string | null;
      reasoning_content?: string | null;
      tool_calls?: Array<{ function?: { arguments?: string } }>;
    };
    n += d?.content?.length ?? 0;
    n += d?.reasoning_content?.length ?? 0;
    for (const t of d?.tool_calls ?? []) n += t.function?.arguments?.length ?? 0;
  }
  return n;
}

/** How a stream ended, for its logged answer: nothing to add on success; the abort or the in-band error otherwise. */
function endOf(status: "success" | "failed" | "aborted", error?: UpstreamError): Record<string, unknown> {
  if (status === "aborted") return { hub_end: "aborted: the client closed the stream" };
  if (error)
    return {
      hub_end: "failed mid-stream",
      error: { message: error.message, type: error.type, code: error.code ?? null, param: null },
    };
  return {};
}

export function chatStreamResponse(
  ctx: CallContext,
  opened: Attempted<OpenedStream>,
  messages: unknown,
  wire: ChatStreamEncoder,
  headers: Record<string, string> = {},
): Response {
  const { parser, first, body, abort } = opened.result;
  let chars = 0;
  let ttftMs: number | null = null;
  let done = false;
  // With body logging on, the answer is put back together as it streams, so even an aborted stream keeps its part.
  const assembled = bodyLoggingOn() ? createStreamAssembler() : null;

  const finish = async (status: "success" | "failed" | "aborted", complete: boolean, error?: UpstreamError) => {
    if (done) return null;
    done = true;
    const usage = finalUsage(
      parser.usage(),
      { promptChars: () => promptChars(messages), outputChars: () => chars },
      complete,
    );
    const record = withUsage(candidateRecord(opened), usage);
    record.status = status;
    record.ttftMs = ttftMs;
    record.httpStatus = status === "aborted" ? 499 : 200;
    if (status === "aborted") {
      record.errorCode = "client_closed_request";
      record.errorMessage = "The client closed the stream.";
    } else if (error) {
      record.errorCode = error.code ?? error.type;
      record.errorMessage = error.message.slice(0, 1000);
    }
    const cost = await finishCall(ctx, record, assembled ? () => assembled.result(endOf(status, error)) : undefined);
    return { usage, cost };
  };

  const succeed = async (controller: ReadableStreamDefaultController<Uint8Array>) => {
    const ended = await finish("success", true);
    try {
      if (ended) controller.enqueue(encoder.encode(await wire.end(ended.usage, ended.cost)));
      controller.close();
    } catch {
      // The client went away while the call was being settled: nothing left to send.
    }
  };

  const encode = (chunks: ChatCompletionChunk[]): string => {
    let out = "";
    for (const chunk of chunks) {
      assembled?.push(chunk);
      const n = outputChars(chunk);
      if (n > 0 && ttftMs === null) ttftMs = Math.round(performance.now() - ctx.started);
      chars += n;
      out += wire.chunk(chunk);
    }
    if (wire.raw && parser.takeRaw) out += wire.raw(parser.takeRaw());
    return out;
  };

  const fail = async (controller: ReadableStreamDefaultController<Uint8Array>, error: UpstreamError) => {
    await finish("failed", false, error);
    controller.enqueue(encoder.encode(wire.error(error)));
    controller.close();
  };

  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const text = encode(first);
      if (text) controller.enqueue(encoder.encode(text));
      if (opened.result.ended) {
        const error = parser.error();
        if (error) return await fail(controller, error);
        await succeed(controller);
      }
    },
    async pull(controller) {
      try {
        // Read until something goes out: a pull that enqueues nothing is not called again (Streams spec), so
        // bytes that complete no chunk (half a Bedrock frame, a ping) would otherwise stall the stream for good.
        while (!done) {
          const next = await body.next();
          const chunks = next.done ? parser.end() : parser.push(next.value);
          const text = encode(chunks);
          if (text) controller.enqueue(encoder.encode(text));
          const error = parser.error();
          if (error) {
            abort();
            return await fail(controller, error);
          }
          if (next.done) return await succeed(controller);
          if (text) return;
        }
      } catch (error) {
        if (ctx.request.signal.aborted) {
          await finish("aborted", false);
          controller.close();
          return;
        }
        await fail(controller, networkFailure(error, undefined).error);
      }
    },
    async cancel() {
      // The client went away: stop the upstream and record (and charge) what was generated.
      abort();
      await finish("aborted", false);
    },
  });

  // A client that disconnects while we wait on the upstream: the pull above sees the abort.
  ctx.request.signal.addEventListener("abort", () => abort(), { once: true });
  return new Response(stream, {
    status: 200,
    headers: { ...SSE_HEADERS, ...headers, "x-hub-overhead-ms": overheadMs(ctx) },
  });
}
