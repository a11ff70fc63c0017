/**
 * A fake OpenAI API on 127.0.0.1 that answers the way the real one does
 * (https://platform.openai.com/docs/api-reference/chat), so the gateway's tests and the benchmark run with no
 * network. server/providers/openai-compatible/fake-openai.test.ts drives it with the real `openai` SDK to prove
 * it is faithful.
 *
 * Endpoints: POST /v1/chat/completions (JSON or SSE), POST /v1/embeddings (float | base64),
 * POST /v1/images/generations (b64_json | url), GET /v1/models, GET /files/image.png.
 *
 * Deterministic rules: the reply is `options.reply`; prompt_tokens = ceil(characters of all message text / 4),
 * completion_tokens = ceil(characters of the output / 4), at least 1. Tools + "weather" in the last (user)
 * message → a call of the first tool with {"location":"Paris"}, its arguments streamed in 6-character pieces.
 *
 * Magic words in the last user text (or embedding input / image prompt): "[[429]]", "[[500]]", "[[503]]" answer
 * those errors; "[[break]]" destroys the socket after 2 stream chunks; "[[slow]]" delays the first byte by
 * options.slowMs; "[[stall]]" sends one chunk, then nothing for 10 s.
 */
import type http from "node:http";
import { startFakeUpstream, writeSse, type FakeUpstream, type RecordedRequest } from "./server";
import type { Json } from "../helpers/json";

export interface FakeOpenAIOptions {
  /** The only key accepted in `Authorization: Bearer`, default "sk-test". */
  apiKey?: string;
  /** The assistant's reply text, default "Hello from the fake OpenAI upstream!". */
  reply?: string;
  /** Delay before the first byte of every answer. */
  latencyMs?: number;
  /** First-byte delay for "[[slow]]", default 300 ms. */
  slowMs?: number;
  /** Reported as usage.prompt_tokens_details.cached_tokens (capped at prompt_tokens), default 0. */
  cachedTokens?: number;
}

type Res = http.ServerResponse;

const PNG_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const PNG = Buffer.from(PNG_BASE64, "base64");
const TOOL_ARGUMENTS = '{"location":"Paris"}';
const MODELS = ["gpt-4o-mini", "gpt-4o", "text-embedding-3-small", "gpt-image-1", "dall-e-3"];
const MODELS_JSON = JSON.stringify({
  object: "list",
  data: MODELS.map((id) => ({ id, object: "model", created: 1_700_000_000, owned_by: "system" })),
});
const POST_PATHS = new Set(["/v1/chat/completions", "/v1/embeddings", "/v1/images/generations"]);
const SSE_HEADERS = { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" };

/** OpenAI's own wording for the errors the fake produces. */
const MESSAGES = {
  noKey:
    "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth.",
  badJson: "We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.",
  rateLimit:
    "Rate limit reached for gpt-4o-mini in organization org-fake on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 1s.",
  server: "The server had an error while processing your request. Sorry about that!",
  overloaded: "The server is overloaded or not ready yet.",
};

export function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeUpstream> {
  const expectedAuth = `Bearer ${options.apiKey ?? "sk-test"}`;
  const reply = options.reply ?? "Hello from the fake OpenAI upstream!";
  const slowMs = options.slowMs ?? 300;
  let counter = 0;

  return startFakeUpstream(async (req, res) => {
    const path = req.path.split("?")[0] ?? "";
    if (req.method === "GET" && path === "/files/image.png") {
      res.writeHead(200, { "content-type": "image/png", "content-length": PNG.length });
      return void res.end(PNG);
    }
    const auth = req.headers.authorization;
    if (auth !== expectedAuth) {
      if (!auth) return sendError(res, 401, MESSAGES.noKey, "invalid_request_error", null);
      const key = maskKey(auth.replace(/^Bearer\s+/i, ""));
      const message = `Incorrect API key provided: ${key}. You can find your API key at https://platform.openai.com/account/api-keys.`;
      return sendError(res, 401, message, "invalid_request_error", "invalid_api_key");
    }
    if (options.latencyMs && !(await sleep(options.latencyMs, res))) return;

    if (req.method === "GET" && path === "/v1/models") return sendJson(res, 200, MODELS_JSON);
    if (req.method !== "POST" || !POST_PATHS.has(path)) {
      return sendError(res, 404, `Invalid URL (${req.method} ${path})`, "invalid_request_error", null);
    }
    let body: Json;
    try {
      body = JSON.parse(req.body);
    } catch {
      return sendError(res, 400, MESSAGES.badJson, "invalid_request_error", null);
    }
    if (typeof body.model !== "string") {
      return sendError(res, 400, "you must provide a model parameter", "invalid_request_error", null);
    }
    if (path === "/v1/chat/completions") return chat(res, body, ++counter);
    if (path === "/v1/embeddings") return embeddings(res, body);
    return images(req, res, body);
  });

  async function chat(res: Res, body: Json, n: number): Promise<void> {
    if (!Array.isArray(body.messages)) {
      const message = "Missing required parameter: 'messages'.";
      return sendError(res, 400, message, "invalid_request_error", "missing_required_parameter", "messages");
    }
    const messages = body.messages as Json[];
    const userText = lastUserText(messages);
    if (magicError(res, userText)) return;
    if (userText.includes("[[slow]]") && !(await sleep(slowMs, res))) return;

    const last = messages[messages.length - 1];
    const wantsTool =
      Array.isArray(body.tools) && body.tools.length > 0 && last?.role === "user" && /weather/i.test(userText);
    const tool: string | undefined = wantsTool ? body.tools[0]?.function?.name : undefined;
    const toolCall = tool
      ? { id: `call_fake${n}`, type: "function", function: { name: tool, arguments: TOOL_ARGUMENTS } }
      : null;
    const content = toolCall ? null : formatContent(body.response_format, reply);
    const promptTokens = tokens(messages.reduce((sum, m) => sum + text(m.content).length, 0));
    const completionTokens = tokens((content ?? `${tool}${TOOL_ARGUMENTS}`).length);
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: Math.min(options.cachedTokens ?? 0, promptTokens), audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    };
    const created = Math.floor(Date.now() / 1000);
    const head = {
      id: `chatcmpl-fake${n}`,
      created,
      model: body.model,
      service_tier: "default",
      system_fingerprint: "fp_fake",
    };
    const finish = toolCall ? "tool_calls" : "stop";

    if (body.stream !== true) {
      if (userText.includes("[[break]]")) return void res.socket?.destroy();
      if (userText.includes("[[stall]]") && !(await sleep(10_000, res))) return;
      const message = {
        role: "assistant",
        content,
        refusal: null,
        annotations: [],
        ...(toolCall ? { tool_calls: [toolCall] } : {}),
      };
      const choices = [{ index: 0, message, logprobs: null, finish_reason: finish }];
      return sendJson(res, 200, JSON.stringify({ ...head, object: "chat.completion", choices, usage }));
    }

    // https://platform.openai.com/docs/api-reference/chat-streaming: with include_usage every chunk carries
    // `usage: null` and one extra last chunk has `choices: []` and the usage.
    const includeUsage = body.stream_options?.include_usage === true;
    const chunk = (delta: Json, finishReason: string | null) => ({
      data: JSON.stringify({
        ...head,
        object: "chat.completion.chunk",
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
        ...(includeUsage ? { usage: null } : {}),
      }),
    });
    const events: Array<{ data: string }> = [];
    if (toolCall) {
      const first = { index: 0, ...toolCall, function: { name: tool, arguments: "" } };
      events.push(chunk({ role: "assistant", content: null, tool_calls: [first], refusal: null }, null));
      for (const piece of TOOL_ARGUMENTS.match(/.{1,6}/g)!) {
        events.push(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }, null));
      }
    } else {
      events.push(chunk({ role: "assistant", content: "", refusal: null }, null));
      for (const piece of content!.match(/\s*\S+|\s+$/g) ?? []) events.push(chunk({ content: piece }, null));
    }
    events.push(chunk({}, finish));
    if (includeUsage)
      events.push({ data: JSON.stringify({ ...head, object: "chat.completion.chunk", choices: [], usage }) });
    events.push({ data: "[DONE]" });

    if (userText.includes("[[stall]]")) {
      res.writeHead(200, SSE_HEADERS);
      const [first, ...rest] = events;
      if (first) res.write(`data: ${first.data}\n\n`);
      if (!(await sleep(10_000, res))) return;
      for (const e of rest) res.write(`data: ${e.data}\n\n`);
      return void res.end();
    }
    // Node corks a response's first writes until the next tick: without a pause the 2 chunks die with the socket.
    return writeSse(res, events, userText.includes("[[break]]") ? { breakAfter: 2, delayMs: 1 } : {});
  }

  function embeddings(res: Res, body: Json): void {
    const texts = embeddingInputs(body.input);
    if (texts.length === 0) return sendError(res, 400, "'$.input' is invalid.", "invalid_request_error", null, "input");
    if (magicError(res, texts.join("\n"))) return;
    const dims = typeof body.dimensions === "number" && body.dimensions > 0 ? body.dimensions : 16;
    const base64 = body.encoding_format === "base64";
    const data = texts.map((t, index) => {
      const vector = embed(t, dims);
      return {
        object: "embedding",
        index,
        embedding: base64 ? Buffer.from(vector.buffer).toString("base64") : Array.from(vector),
      };
    });
    const used = texts.reduce((sum, t) => sum + tokens(t.length), 0);
    const usage = { prompt_tokens: used, total_tokens: used };
    sendJson(res, 200, JSON.stringify({ object: "list", data, model: body.model, usage }));
  }

  function images(req: RecordedRequest, res: Res, body: Json): void {
    const prompt = typeof body.prompt === "string" ? body.prompt : "";
    if (prompt === "") {
      const message = "Missing required parameter: 'prompt'.";
      return sendError(res, 400, message, "invalid_request_error", "missing_required_parameter", "prompt");
    }
    if (magicError(res, prompt)) return;
    const n = typeof body.n === "number" && body.n > 0 ? body.n : 1;
    // gpt-image-* always answer b64_json and report token usage; DALL·E defaults to URLs
    // (https://platform.openai.com/docs/api-reference/images/create).
    const gptImage = String(body.model).startsWith("gpt-image");
    const image =
      !gptImage && body.response_format !== "b64_json"
        ? { url: `http://${req.headers.host}/files/image.png` }
        : { b64_json: PNG_BASE64 };
    const data = Array.from({ length: n }, () => ({
      ...image,
      ...(body.model === "dall-e-3" ? { revised_prompt: prompt } : {}),
    }));
    const input = tokens(prompt.length);
    const output = 272 * n; // what gpt-image-1 bills for a low-quality 1024×1024 image
    const usage = {
      input_tokens: input,
      input_tokens_details: { text_tokens: input, image_tokens: 0 },
      output_tokens: output,
      total_tokens: input + output,
    };
    const extra = gptImage
      ? { background: "opaque", output_format: "png", quality: "low", size: "1024x1024", usage }
      : {};
    sendJson(res, 200, JSON.stringify({ created: Math.floor(Date.now() / 1000), data, ...extra }));
  }
}

/** Answers "[[429]]" / "[[500]]" / "[[503]]" the way OpenAI does; true when it did. */
function magicError(res: Res, userText: string): boolean {
  if (userText.includes("[[429]]")) {
    const headers = { "retry-after": "1", "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "1s" };
    sendError(res, 429, MESSAGES.rateLimit, "requests", "rate_limit_exceeded", null, headers);
  } else if (userText.includes("[[500]]")) sendError(res, 500, MESSAGES.server, "server_error", null);
  else if (userText.includes("[[503]]")) sendError(res, 503, MESSAGES.overloaded, "server_error", null);
  else return false;
  return true;
}

/** `response_format` json_object → a JSON object; json_schema → a value shaped like the schema. */
function formatContent(format: Json | undefined, reply: string): string {
  if (format?.type === "json_object") return JSON.stringify({ reply });
  if (format?.type === "json_schema") return JSON.stringify(sample(format.json_schema?.schema ?? {}, reply, 0));
  return reply;
}

function sample(schema: Json, reply: string, depth: number): unknown {
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (depth > 8) return null;
  if (type === "object" || schema.properties) {
    const properties = Object.entries((schema.properties ?? {}) as Record<string, Json>);
    return Object.fromEntries(properties.map(([key, sub]) => [key, sample(sub, reply, depth + 1)]));
  }
  if (type === "array") return [sample(schema.items ?? {}, reply, depth + 1)];
  if (type === "integer" || type === "number") return 1;
  if (type === "boolean") return true;
  if (type === "null") return null;
  return reply;
}

/** A string, strings, or token arrays (number[] / number[][], hashed via their JSON). */
function embeddingInputs(input: unknown): string[] {
  if (typeof input === "string") return [input];
  if (!Array.isArray(input) || input.length === 0) return [];
  if (input.every((v) => typeof v === "string")) return input;
  if (input.every((v) => typeof v === "number")) return [JSON.stringify(input)];
  return input.every((v) => Array.isArray(v)) ? input.map((v) => JSON.stringify(v)) : [];
}

function lastUserText(messages: Json[]): string {
  const message = messages.findLast((m) => m.role === "user");
  return message ? text(message.content) : "";
}

function text(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((p) => (typeof p?.text === "string" ? p.text : "")).join("");
}

const tokens = (chars: number): number => Math.max(1, Math.ceil(chars / 4));

/** Deterministic unit vector from a string hash (FNV-1a). */
function embed(input: string, dims: number): Float32Array {
  let h = 0x811c9dc5;
  for (let i = 0; i < input.length; i++) h = Math.imul(h ^ input.charCodeAt(i), 0x01000193) >>> 0;
  const raw = Array.from({ length: dims }, (_, i) => Math.sin(h + i * 12.9898));
  const norm = Math.hypot(...raw) || 1;
  return Float32Array.from(raw, (x) => x / norm);
}

/** OpenAI echoes a wrong key masked: first 3 and last 4 characters. */
function maskKey(key: string): string {
  return key.length <= 8 ? key : `${key.slice(0, 3)}${"*".repeat(key.length - 7)}${key.slice(-4)}`;
}

function sendJson(res: Res, status: number, payload: string, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json", "x-request-id": "req_fake", ...headers });
  res.end(payload);
}

function sendError(
  res: Res,
  status: number,
  message: string,
  type: string,
  code: string | null,
  param: string | null = null,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, JSON.stringify({ error: { message, type, param, code } }), headers);
}

/** Wait, but give up as soon as the client goes away; resolves true if the response is still open. */
function sleep(ms: number, res: Res): Promise<boolean> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve(false);
    const onClose = () => (clearTimeout(timer), resolve(false));
    const timer = setTimeout(() => {
      res.off("close", onClose);
      resolve(!res.destroyed);
    }, ms);
    res.once("close", onClose);
  });
}
