/**
 * The mock provider's "server": answers an UpstreamRequest in-process with a Web Response in exactly the
 * OpenAI wire format (https://platform.openai.com/docs/api-reference/chat), so the gateway treats it like any
 * upstream: same adapter transforms, same stream parser, same error mapping. Text rules live in ./reply.ts.
 */
import type { UpstreamRequest } from "../types";
import {
  MOCK_EMBEDDING_DIMENSIONS,
  MOCK_PNG_BASE64,
  MOCK_TOOL_ARGUMENTS,
  countWords,
  contentText,
  embeddingToBase64,
  inputTokensFor,
  lastUserText,
  magicWord,
  mockEmbedding,
  mockReplyText,
  replyPieces,
  streamDelayMs,
  tokensFromChars,
  toolCallOutputTokens,
  toolToCall,
} from "./reply";

/** Carries the credential's `options.delayMs` from the adapter to this handler. */
export const MOCK_DELAY_HEADER = "x-mock-delay-ms";
/** What the mock answers under its own names; it answers any other name too (as chat, embeddings or images). */
export const MOCK_BUILTIN_MODELS = [
  { model: "mock-chat", type: "chat" },
  { model: "mock-embedding", type: "embedding" },
  { model: "mock-image", type: "image" },
] as const;

type Json = Record<string, unknown>;

export async function handleMockRequest(req: UpstreamRequest, signal?: AbortSignal): Promise<Response> {
  if (signal?.aborted) throw abortReason(signal); // as fetch() does
  const path = new URL(req.url).pathname.replace(/\/+$/, "");
  if (req.method === "GET" && path.endsWith("/models")) {
    const data = MOCK_BUILTIN_MODELS.map(({ model }) => ({
      id: model,
      object: "model",
      created: 0,
      owned_by: "ai-hub-mock",
    }));
    return json(200, { object: "list", data });
  }
  let body: Json;
  try {
    body = JSON.parse(req.body ?? "") as Json;
  } catch {
    return errorResponse(400, "We could not parse the JSON body of your request.", "invalid_request_error");
  }
  if (req.method === "POST" && path.endsWith("/chat/completions")) return chat(body, req.headers, signal);
  if (req.method === "POST" && path.endsWith("/embeddings")) return embeddings(body);
  if (req.method === "POST" && path.endsWith("/images/generations")) return images(body);
  return errorResponse(404, `Invalid URL (${req.method} ${path})`, "invalid_request_error");
}

function chat(body: Json, headers: Record<string, string>, signal?: AbortSignal): Response {
  if (!Array.isArray(body.messages)) {
    const message = "Missing required parameter: 'messages'.";
    return errorResponse(400, message, "invalid_request_error", "missing_required_parameter");
  }
  const messages = body.messages as Array<{ role?: unknown; content?: unknown }>;
  const userText = lastUserText(messages);
  const magic = magicResponse(userText);
  if (magic) return magic;

  const model = String(body.model ?? "mock-chat");
  const id = `chatcmpl-mock-${idHash(userText)}`;
  const created = Math.floor(Date.now() / 1000);
  const toolName = toolToCall(messages, body.tools);
  const reply = mockReplyText(userText);
  const toolCall = toolName
    ? {
        id: `call_mock_${idHash(toolName)}`,
        type: "function",
        function: { name: toolName, arguments: MOCK_TOOL_ARGUMENTS },
      }
    : null;
  const promptTokens = inputTokensFor(messages);
  const completionTokens = toolCall
    ? toolCallOutputTokens(toolCall.function.name, MOCK_TOOL_ARGUMENTS)
    : countWords(reply);
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0 },
  };
  const finishReason = toolCall ? "tool_calls" : "stop";

  if (body.stream !== true) {
    const message = toolCall
      ? { role: "assistant", content: null, tool_calls: [toolCall], refusal: null }
      : { role: "assistant", content: reply, refusal: null };
    return json(200, {
      id,
      object: "chat.completion",
      created,
      model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
      usage,
    });
  }

  // Stream: role chunk, one chunk per word (or the tool call's arguments), finish chunk, usage, [DONE].
  const includeUsage = (body.stream_options as Json | undefined)?.include_usage === true;
  const delayMs = streamDelayMs(userText, optionalNumber(headerValue(headers, MOCK_DELAY_HEADER)));
  const chunk = (delta: Json, finish: string | null): string =>
    JSON.stringify({
      id,
      object: "chat.completion.chunk",
      created,
      model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
    });
  const events: Array<{ data: string; delayMs: number }> = [];
  if (toolCall) {
    const head = { ...toolCall, function: { name: toolCall.function.name, arguments: "" } };
    const argsDelta = { tool_calls: [{ index: 0, function: { arguments: MOCK_TOOL_ARGUMENTS } }] };
    events.push({
      data: chunk({ role: "assistant", content: null, tool_calls: [{ index: 0, ...head }] }, null),
      delayMs: 0,
    });
    events.push({ data: chunk(argsDelta, null), delayMs });
  } else {
    events.push({ data: chunk({ role: "assistant", content: "", refusal: null }, null), delayMs: 0 });
    for (const piece of replyPieces(reply)) events.push({ data: chunk({ content: piece }, null), delayMs });
  }
  events.push({ data: chunk({}, finishReason), delayMs: 0 });
  if (includeUsage) {
    const usageChunk = { id, object: "chat.completion.chunk", created, model, choices: [], usage };
    events.push({ data: JSON.stringify(usageChunk), delayMs: 0 });
  }
  events.push({ data: "[DONE]", delayMs: 0 });
  return new Response(sseStream(events, signal), {
    status: 200,
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" },
  });
}

function embeddings(body: Json): Response {
  const texts = embeddingInputs(body.input);
  if (!texts) return errorResponse(400, "'input' must be a string or a non-empty array.", "invalid_request_error");
  const magic = magicResponse(texts.join("\n"));
  if (magic) return magic;
  const dims =
    typeof body.dimensions === "number" && body.dimensions > 0
      ? Math.floor(body.dimensions)
      : MOCK_EMBEDDING_DIMENSIONS;
  const base64 = body.encoding_format === "base64";
  const tokens = texts.reduce((sum, t) => sum + tokensFromChars(t.length), 0);
  return json(200, {
    object: "list",
    data: texts.map((text, index) => {
      const vector = mockEmbedding(text, dims);
      return { object: "embedding", index, embedding: base64 ? embeddingToBase64(vector) : vector };
    }),
    model: String(body.model ?? "mock-embedding"),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}

/** `input` as texts: a string, strings, or token arrays (number[] / number[][], hashed via their JSON). */
function embeddingInputs(input: unknown): string[] | null {
  if (typeof input === "string") return [input];
  if (!Array.isArray(input) || input.length === 0) return null;
  if (input.every((v) => typeof v === "string")) return input;
  if (input.every((v) => typeof v === "number")) return [JSON.stringify(input)];
  if (input.every((v) => Array.isArray(v))) return input.map((v) => JSON.stringify(v));
  return null;
}

function images(body: Json): Response {
  const prompt = contentText(body.prompt);
  const magic = magicResponse(prompt);
  if (magic) return magic;
  const n = typeof body.n === "number" && body.n >= 1 ? Math.floor(body.n) : 1;
  const asUrl = body.response_format === "url";
  const image = asUrl ? { url: `data:image/png;base64,${MOCK_PNG_BASE64}` } : { b64_json: MOCK_PNG_BASE64 };
  const input = tokensFromChars(prompt.length);
  return json(200, {
    created: Math.floor(Date.now() / 1000),
    data: Array.from({ length: n }, () => ({ ...image })),
    output_format: "png",
    usage: {
      input_tokens: input,
      input_tokens_details: { text_tokens: input, image_tokens: 0 },
      output_tokens: n,
      total_tokens: input + n,
    },
  });
}

function magicResponse(text: string): Response | null {
  const magic = magicWord(text);
  if (magic === "error") return errorResponse(500, "Mock upstream error (requested with [[error]]).", "api_error");
  if (magic === "429") {
    return errorResponse(429, "Mock rate limit (requested with [[429]]).", "rate_limit_error", "rate_limit_exceeded", {
      "retry-after": "1",
    });
  }
  return null;
}

/** A pull-driven SSE body: emits an event only when read, sleeping its delay first; abort errors it like fetch. */
function sseStream(events: Array<{ data: string; delayMs: number }>, signal?: AbortSignal): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let next = 0;
  let stopped = false;
  let onAbort: (() => void) | undefined;
  const detach = () => onAbort && signal?.removeEventListener("abort", onAbort);
  return new ReadableStream<Uint8Array>({
    start(controller) {
      onAbort = () => {
        stopped = true;
        controller.error(abortReason(signal!));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    },
    async pull(controller) {
      const event = events[next++];
      if (!event) {
        detach();
        controller.close();
        return;
      }
      if (event.delayMs > 0) await sleep(event.delayMs, signal);
      if (stopped) return;
      controller.enqueue(encoder.encode(`data: ${event.data}\n\n`));
    },
    cancel() {
      stopped = true;
      detach();
    },
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

function json(status: number, payload: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(payload), { status, headers: { "content-type": "application/json", ...headers } });
}

function errorResponse(
  status: number,
  message: string,
  type: string,
  code: string | null = null,
  headers: Record<string, string> = {},
): Response {
  return json(status, { error: { message, type, param: null, code } }, headers);
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  for (const key in headers) if (key.toLowerCase() === name) return headers[key];
  return undefined;
}

function optionalNumber(value: string | undefined): number | undefined {
  return value === undefined || value.trim() === "" ? undefined : Number(value);
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

/** Short stable id fragment (FNV-1a, hex) so identical requests get identical ids. */
function idHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}
