/**
 * Native pass-through of Anthropic's Messages API (docs/messages-api.md): a client that speaks Messages reaches
 * Anthropic with its own body (only `model` becomes the credential's model id) and its own `anthropic-version`
 * and `anthropic-beta` headers, and gets Anthropic's answer, events and errors back as they were sent. The hub
 * still reads usage, time to first token and errors from them, through the same event parser as the chat path.
 */
import { SseDecoder, type SseEvent } from "../sse-decoder";
import type {
  ChatCompletionChunk,
  PassThrough,
  PassThroughStreamParser,
  TokenUsage,
  UpstreamRequest,
  UpstreamTarget,
} from "../types";
import { anthropicHeaders, anthropicUrl } from "./request";
import { toTokenUsage } from "./response";
import { createEventParser } from "./stream";

/** The client's protocol headers, on top of the credential's own (its key, and its version as the default). */
function headersFor(target: UpstreamTarget, clientHeaders: Headers): Record<string, string> {
  const headers = anthropicHeaders(target);
  const version = clientHeaders.get("anthropic-version");
  if (version) headers["anthropic-version"] = version;
  const beta = clientHeaders.get("anthropic-beta");
  if (beta) headers["anthropic-beta"] = beta;
  return headers;
}

function post(
  path: string,
  body: Record<string, unknown>,
  target: UpstreamTarget,
  clientHeaders: Headers,
): UpstreamRequest {
  return {
    url: anthropicUrl(target.baseUrl, path),
    method: "POST",
    headers: headersFor(target, clientHeaders),
    body: JSON.stringify({ ...body, model: target.model }),
  };
}

/** Usage of a native Message JSON (Anthropic's, or Bedrock's InvokeModel answer for its Anthropic models). */
export function nativeMessageUsage(json: unknown): TokenUsage | null {
  const m = json as { type?: unknown; content?: unknown; usage?: Parameters<typeof toTokenUsage>[0] } | null;
  if (!m || typeof m !== "object" || !Array.isArray(m.content))
    throw new Error("the answer is not a Message (no content array)");
  return m.usage ? toTokenUsage(m.usage, "provider") : null;
}

/** SSE framing for the client: `event:` on every frame, which @anthropic-ai/sdk requires (it drops frames without). */
function frame(e: SseEvent): string {
  let name = e.event;
  if (name === "message") {
    // A data-only frame: its JSON names the event.
    try {
      const type = (JSON.parse(e.data) as { type?: unknown }).type;
      if (typeof type === "string") name = type;
    } catch {
      // Not JSON: forwarded under its own name; the event parser reports it as unreadable.
    }
  }
  return `event: ${name}\ndata: ${e.data}\n\n`;
}

/**
 * Anthropic events (already split from their transport framing) → the chunks the hub accounts with, plus the
 * same events re-framed for the client. An `error` event ends the forwarding: the stream's end reports it.
 */
export function createNativeEventsParser(target: UpstreamTarget) {
  const parser = createEventParser(target);
  let native = "";
  let stopped = false;
  return {
    handle(events: SseEvent[]): ChatCompletionChunk[] {
      if (stopped) return [];
      for (const e of events) {
        if (e.event === "error") break;
        native += frame(e);
      }
      const chunks = parser.handle(events);
      if (parser.error()) stopped = true;
      return chunks;
    },
    takeNative(): string {
      const text = native;
      native = "";
      return text;
    },
    usage: parser.usage,
    error: parser.error,
  };
}

function createStreamParser(target: UpstreamTarget): PassThroughStreamParser {
  const decoder = new SseDecoder();
  const events = createNativeEventsParser(target);
  return {
    push: (bytes) => events.handle(decoder.push(bytes)),
    end: () => events.handle(decoder.end()),
    takeRaw: () => {
      const text = events.takeNative();
      return text ? [text] : [];
    },
    usage: events.usage,
    error: events.error,
  };
}

export const anthropicMessages: PassThrough = {
  supports: () => true,
  buildRequest: (body, target, clientHeaders) => post("/messages", body, target, clientHeaders),
  parseUsage: nativeMessageUsage,
  createStreamParser,
  countTokens: {
    // https://docs.anthropic.com/en/api/messages-count-tokens
    buildRequest: (body, target, clientHeaders) => post("/messages/count_tokens", body, target, clientHeaders),
    parseCount(json) {
      const n = (json as { input_tokens?: unknown } | null)?.input_tokens;
      if (typeof n !== "number" || !Number.isFinite(n)) throw new Error("the answer has no input_tokens");
      return n;
    },
  },
};
