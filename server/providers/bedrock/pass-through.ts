/**
 * Native pass-through of Anthropic's Messages API to Bedrock's Anthropic models (docs/messages-api.md), through
 * InvokeModel and InvokeModelWithResponseStream with Anthropic's own body:
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages.html
 *
 * Bedrock's variant of the body: no `model` (it is in the URL) and no `stream` (the operation says it), a fixed
 * `anthropic_version: "bedrock-2023-05-31"`, and only the fields Bedrock documents: it refuses others ("extraneous
 * key"), and it refuses betas it does not know, so the client's `anthropic-beta` list (Claude Code's is long) is
 * not forwarded, nor are typed tools, which need those betas. The streamed answer wraps each Anthropic event in an
 * event-stream `chunk` frame (`{"bytes": base64 of the event's JSON}`); they are unwrapped and forwarded as SSE.
 */
import type { SseEvent } from "../sse-decoder";
import { createNativeEventsParser, nativeMessageUsage } from "../anthropic/pass-through";
import type { PassThrough, PassThroughStreamParser, UpstreamError, UpstreamRequest, UpstreamTarget } from "../types";
import { bedrockError } from "./error";
import { EventStreamDecoder, type EventStreamMessage } from "./event-stream";
import { modelPost } from "./request";

export const BEDROCK_ANTHROPIC_VERSION = "bedrock-2023-05-31";

const FIELDS = [
  "system",
  "messages",
  "max_tokens",
  "temperature",
  "top_p",
  "top_k",
  "stop_sequences",
  "tool_choice",
  "thinking",
];
const TOOL_FIELDS = ["name", "description", "input_schema", "cache_control"];

const pick = (from: Record<string, unknown>, keys: string[]) =>
  Object.fromEntries(keys.filter((k) => from[k] !== undefined).map((k) => [k, from[k]]));

/** The InvokeModel body for an Anthropic model (exported for tests). */
export function bedrockAnthropicBody(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { anthropic_version: BEDROCK_ANTHROPIC_VERSION, ...pick(body, FIELDS) };
  if (Array.isArray(body.tools)) {
    const tools = (body.tools as Array<Record<string, unknown>>)
      .filter((t) => t.type === undefined || t.type === "custom")
      .map((t) => pick(t, TOOL_FIELDS));
    if (tools.length > 0) out.tools = tools;
    else delete out.tool_choice;
  }
  return out;
}

function buildRequest(body: Record<string, unknown>, target: UpstreamTarget): UpstreamRequest {
  const stream = body.stream === true;
  return modelPost(target, stream ? "invoke-with-response-stream" : "invoke", bedrockAnthropicBody(body), stream);
}

const utf8 = new TextDecoder();

function createStreamParser(target: UpstreamTarget): PassThroughStreamParser {
  const decoder = new EventStreamDecoder();
  const events = createNativeEventsParser(target);
  let failed: UpstreamError | null = null;

  /** A `chunk` frame → the Anthropic event inside it; an exception frame → the failure. */
  function unwrap(message: EventStreamMessage): SseEvent | null {
    const kind = message.headers[":message-type"];
    const payload = utf8.decode(message.payload);
    if (kind === "exception" || kind === "error") {
      let text = String(message.headers[":error-message"] ?? "");
      try {
        text = (JSON.parse(payload) as { message?: string }).message ?? text;
      } catch {
        // An empty or non-JSON payload: the header's message stands.
      }
      failed = bedrockError(
        String(message.headers[":exception-type"] ?? message.headers[":error-code"] ?? "") || null,
        text,
      );
      return null;
    }
    if (message.headers[":event-type"] !== "chunk") return null;
    const data = Buffer.from((JSON.parse(payload) as { bytes?: string }).bytes ?? "", "base64").toString("utf8");
    const type = (JSON.parse(data) as { type?: unknown }).type;
    return { event: typeof type === "string" ? type : "message", data };
  }

  return {
    push(bytes) {
      if (failed) return [];
      const found: SseEvent[] = [];
      try {
        for (const message of decoder.push(bytes)) {
          const event = unwrap(message);
          if (failed) break;
          if (event) found.push(event);
        }
      } catch (error) {
        failed = {
          status: 502,
          type: "api_error",
          code: "event_stream_corrupt",
          message: error instanceof Error ? error.message : String(error),
          retryable: true,
        };
      }
      return events.handle(found);
    },
    end: () => [],
    takeRaw: () => {
      const text = events.takeNative();
      return text ? [text] : [];
    },
    usage: events.usage,
    error: () => failed ?? events.error(),
  };
}

export const bedrockMessages: PassThrough = {
  // Anthropic's models on Bedrock: "anthropic.claude-…", cross-region profiles "us.anthropic.claude-…", or their ARNs.
  supports: (target) => /(^|[.:/])anthropic\./.test(target.model),
  buildRequest: (body, target) => buildRequest(body, target),
  parseUsage: nativeMessageUsage,
  createStreamParser,
};
