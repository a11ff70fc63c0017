/**
 * A fake Gemini API (generativelanguage.googleapis.com v1beta) on 127.0.0.1, shaped after Google's documented
 * examples: https://ai.google.dev/api/generate-content, https://ai.google.dev/api/embeddings,
 * https://ai.google.dev/gemini-api/docs/imagen, https://ai.google.dev/api/models.
 *
 * Scenarios are chosen by magic words in the last user text (or embedding input / image prompt):
 *   [[429]] RESOURCE_EXHAUSTED with RetryInfo 2s · [[500]] INTERNAL · [[blocked]] prompt blocked by safety
 *   [[break]] stream cut after 2 chunks · [[slow]] first byte delayed by options.slowMs (default 300)
 * With tools declared and "weather" in the last user text, the model answers with a functionCall.
 */
import type http from "node:http";
import { startFakeUpstream, type FakeUpstream, type RecordedRequest } from "./server";
import type { Json } from "../helpers/json";

export const FAKE_GEMINI_KEY = "fake-gemini-key";
/** A valid 1×1 PNG. */
export const TINY_PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

export interface FakeGeminiOptions {
  /** The only key accepted (default FAKE_GEMINI_KEY). */
  apiKey?: string;
  /** Report cachedContentTokenCount (half the prompt) as if an implicit cache hit. */
  cached?: boolean;
  slowMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tokens = (text: string) => Math.ceil(text.length / 4);

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=UTF-8" });
  res.end(JSON.stringify(body));
}

/** Google's error envelope: https://cloud.google.com/apis/design/errors#http_mapping */
function sendError(res: http.ServerResponse, code: number, status: string, message: string, details?: Json[]): void {
  sendJson(res, code, { error: { code, message, status, ...(details ? { details } : {}) } });
}
const invalid = (res: http.ServerResponse, message: string) => sendError(res, 400, "INVALID_ARGUMENT", message);

/** The real API's wording for its errors; the [[...]] keys are also the magic words that trigger them. */
type ErrorAnswer = [number, string, string, Json[]?];
const ERRORS = {
  noKey: [
    403,
    "PERMISSION_DENIED",
    "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
  ],
  badKey: [
    400,
    "INVALID_ARGUMENT",
    "API key not valid. Please pass a valid API key.",
    [
      {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        reason: "API_KEY_INVALID",
        domain: "googleapis.com",
        metadata: { service: "generativelanguage.googleapis.com" },
      },
    ],
  ],
  "[[429]]": [
    429,
    "RESOURCE_EXHAUSTED",
    "You exceeded your current quota, please check your plan and billing details.",
    [
      {
        "@type": "type.googleapis.com/google.rpc.QuotaFailure",
        violations: [{ quotaMetric: "generativelanguage.googleapis.com/generate_content_free_tier_requests" }],
      },
      { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "2s" },
    ],
  ],
  "[[500]]": [
    500,
    "INTERNAL",
    "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
  ],
} satisfies Record<string, ErrorAnswer>;

/** Answers a scenario error when `text` holds its magic word; returns true when it did. */
function scenarioError(res: http.ServerResponse, text: string): boolean {
  const scenario: [string, ErrorAnswer] | undefined = Object.entries(ERRORS).find(
    ([word]) => word.startsWith("[[") && text.includes(word),
  );
  if (scenario) sendError(res, ...scenario[1]);
  return scenario !== undefined;
}

function textOfParts(parts: Json[] | undefined): string {
  return (parts ?? []).map((p) => p.text ?? (p.functionResponse ? JSON.stringify(p.functionResponse) : "")).join("");
}

/** Deterministic pseudo-embedding: FNV-1a of text+position, mapped to [-1, 1). */
export function fakeVector(text: string, dims: number): number[] {
  return Array.from({ length: dims }, (_, i) => {
    let h = 0x811c9dc5;
    for (const ch of `${i}:${text}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    return Math.round(((h % 20000) / 10000 - 1) * 1e6) / 1e6;
  });
}

/** Output tokens of non-thought parts, at the fake's rate of one token per 4 characters. */
const outputTokens = (parts: Json[]) =>
  parts.filter((p) => !p.thought).reduce((n, p) => n + tokens(p.text ?? JSON.stringify(p.functionCall)), 0);

/** Builds the candidate parts, finishReason and usage a real model would give for this request. */
function answer(model: string, body: Json, cached: boolean) {
  const contents: Json[] = body.contents;
  const last: Json = contents.at(-1) ?? { parts: [] };
  const lastText = textOfParts(last.parts);
  const declared: Json[] = body.tools?.flatMap((t: Json) => t.functionDeclarations ?? []) ?? [];
  const config: Json = body.generationConfig ?? {};
  const parts: Json[] = [];
  if (config.thinkingConfig?.includeThoughts) parts.push({ text: "Thinking about the question.", thought: true });
  const response = last.parts.find((p: Json) => p.functionResponse)?.functionResponse;
  let finishReason = "STOP";
  if (response) {
    parts.push({ text: `Function ${response.name} returned ${JSON.stringify(response.response)}.` });
  } else if (
    declared.length > 0 &&
    /weather/i.test(lastText) &&
    body.toolConfig?.functionCallingConfig?.mode !== "NONE"
  ) {
    const fn = declared.find((d) => /weather/i.test(d.name)) ?? declared[0];
    // Gemini 3 attaches a thought signature to function calls; clients must send it back.
    parts.push({
      functionCall: { name: fn?.name, args: { location: "Boston, MA" } },
      thoughtSignature: "c2lnbmF0dXJlLTE=",
    });
  } else {
    let text = `This is ${model} answering. You said: ${lastText.replace(/\[\[\w+\]\]/g, "").trim()}. That is all.`;
    if (config.responseMimeType === "application/json") text = JSON.stringify({ answer: text });
    if (config.maxOutputTokens && tokens(text) > config.maxOutputTokens) {
      text = text.slice(0, config.maxOutputTokens * 4);
      finishReason = "MAX_TOKENS";
    }
    parts.push({ text });
  }
  const promptText = textOfParts(body.systemInstruction?.parts) + contents.map((c) => textOfParts(c.parts)).join("");
  const prompt = tokens(promptText);
  const thoughts = parts.filter((p) => p.thought).reduce((n, p) => n + tokens(p.text), 0);
  const output = outputTokens(parts);
  const n = config.candidateCount ?? 1;
  const cachedTokens = Math.floor(prompt / 2);
  const usageMetadata: Json = {
    promptTokenCount: prompt,
    candidatesTokenCount: output * n,
    totalTokenCount: prompt + output * n + thoughts,
    promptTokensDetails: [{ modality: "TEXT", tokenCount: prompt }],
    thoughtsTokenCount: thoughts || undefined,
    cachedContentTokenCount: cached ? cachedTokens : undefined,
    cacheTokensDetails: cached ? [{ modality: "TEXT", tokenCount: cachedTokens }] : undefined,
  };
  return { parts, finishReason, usageMetadata, n, lastText };
}

/** Split an answer into stream chunks: thought and function-call parts whole, text in four slices. */
function streamSlices(parts: Json[]): Json[][] {
  const slices: Json[][] = [];
  for (const part of parts) {
    if (part.thought || !part.text) slices.push([part]);
    else {
      const size = Math.ceil(part.text.length / 4);
      for (let i = 0; i < part.text.length; i += size) slices.push([{ text: part.text.slice(i, i + size) }]);
    }
  }
  return slices;
}

let responseCounter = 0;

/** The real API's complaint about malformed contents, or null. */
function contentsProblem(contents: unknown): string | null {
  if (!Array.isArray(contents) || contents.length === 0)
    return "* GenerateContentRequest.contents: contents is not specified\n";
  if (contents.some((c) => c.role !== "user" && c.role !== "model")) return "Please use a valid role: user, model.";
  if (contents.some((c) => !Array.isArray(c.parts) || c.parts.length === 0)) {
    return "* GenerateContentRequest.contents.parts: contents.parts must not be empty.\n";
  }
  return null;
}

async function generate(
  req: RecordedRequest,
  res: http.ServerResponse,
  model: string,
  url: URL,
  options: FakeGeminiOptions,
) {
  const stream = url.pathname.endsWith(":streamGenerateContent");
  const body = JSON.parse(req.body) as Json;
  const problem = contentsProblem(body.contents);
  if (problem) return invalid(res, problem);
  const { parts, finishReason, usageMetadata, n, lastText } = answer(model, body, options.cached ?? false);
  if (scenarioError(res, lastText)) return;
  if (lastText.includes("[[slow]]")) await sleep(options.slowMs ?? 300);
  const responseId = `fake-gemini-${++responseCounter}`;
  const envelope = (fields: Json) => ({ ...fields, modelVersion: model, responseId });
  const prompt = usageMetadata.promptTokenCount;
  const candidates = (p: Json[], finish?: string) =>
    Array.from({ length: n }, (_, index) => ({ content: { parts: p, role: "model" }, finishReason: finish, index }));
  let chunks: Json[];
  if (lastText.includes("[[blocked]]")) {
    const blocked = {
      promptFeedback: { blockReason: "SAFETY" },
      usageMetadata: { promptTokenCount: prompt, totalTokenCount: prompt },
    };
    chunks = [envelope(blocked)];
  } else if (!stream) {
    chunks = [envelope({ candidates: candidates(parts, finishReason), usageMetadata })];
  } else {
    // Intermediate chunks carry running counts; the last one carries the totals and the finishReason.
    let soFar = 0;
    chunks = streamSlices(parts).map((slice, i, all) => {
      soFar += outputTokens(slice) * n;
      if (i === all.length - 1) return envelope({ candidates: candidates(slice, finishReason), usageMetadata });
      const running = { promptTokenCount: prompt, candidatesTokenCount: soFar, totalTokenCount: prompt + soFar };
      return envelope({ candidates: candidates(slice), usageMetadata: running });
    });
  }
  if (!stream) return sendJson(res, 200, chunks[0]);
  if (url.searchParams.get("alt") !== "sse") return sendJson(res, 200, chunks); // without alt=sse: one JSON array
  res.writeHead(200, { "content-type": "text/event-stream", "x-content-type-options": "nosniff" });
  for (const [i, chunk] of chunks.entries()) {
    if (i === 2 && lastText.includes("[[break]]")) return void res.socket?.destroy();
    // The real API frames events with CRLF.
    await new Promise<void>((resolve) => res.write(`data: ${JSON.stringify(chunk)}\r\n\r\n`, () => resolve()));
  }
  res.end();
}

function embed(req: RecordedRequest, res: http.ServerResponse, model: string) {
  const body = JSON.parse(req.body) as Json;
  const requests: Json[] = body.requests ?? [];
  if (requests.length === 0) return invalid(res, "* BatchEmbedContentsRequest.requests: requests is not specified\n");
  const stray = requests.find((r) => r.model !== `models/${model}`);
  if (stray) return invalid(res, `Model names should be "models/${model}" in every request, got "${stray.model}".`);
  if (scenarioError(res, textOfParts(requests.at(-1)?.content?.parts))) return;
  sendJson(res, 200, {
    embeddings: requests.map((r) => ({
      values: fakeVector(textOfParts(r.content?.parts), r.outputDimensionality ?? 8),
    })),
  });
}

const ASPECT_RATIOS = ["1:1", "3:4", "4:3", "9:16", "16:9"];

function predict(req: RecordedRequest, res: http.ServerResponse) {
  const body = JSON.parse(req.body) as Json;
  const prompt: string | undefined = body.instances?.[0]?.prompt;
  if (!prompt) return invalid(res, "Prompt is required.");
  if (scenarioError(res, prompt)) return;
  const { sampleCount = 4, aspectRatio = "1:1" } = body.parameters ?? {}; // 4 images is Imagen's documented default
  if (!ASPECT_RATIOS.includes(aspectRatio)) return invalid(res, `Unsupported aspect ratio: ${aspectRatio}`);
  const image = { mimeType: "image/png", bytesBase64Encoded: TINY_PNG_BASE64 };
  sendJson(res, 200, { predictions: Array.from({ length: sampleCount }, () => image) });
}

/** models.list entries (https://ai.google.dev/api/models#Model), trimmed to the fields the gateway reads. */
const MODELS = (
  [
    ["gemini-2.5-flash", "Gemini 2.5 Flash", 1048576, 65536, ["generateContent", "countTokens", "createCachedContent"]],
    ["gemini-embedding-001", "Gemini Embedding 001", 2048, 1, ["embedContent", "countTextTokens", "countTokens"]],
    ["imagen-4.0-generate-001", "Imagen 4", 480, 8192, ["predict"]],
  ] as const
).map(([id, displayName, inputTokenLimit, outputTokenLimit, methods]) => ({
  name: `models/${id}`,
  displayName,
  inputTokenLimit,
  outputTokenLimit,
  supportedGenerationMethods: [...methods],
}));

export async function startFakeGemini(options: FakeGeminiOptions = {}): Promise<FakeUpstream> {
  const apiKey = options.apiKey ?? FAKE_GEMINI_KEY;
  return startFakeUpstream(async (req, res) => {
    const url = new URL(req.path, "http://fake");
    const key = req.headers["x-goog-api-key"] ?? url.searchParams.get("key");
    if (!key) return sendError(res, ...ERRORS.noKey);
    if (key !== apiKey) return sendError(res, ...ERRORS.badKey);
    if (req.method === "GET" && url.pathname === "/v1beta/models") return sendJson(res, 200, { models: MODELS });
    const match = /^\/v1beta\/models\/([\w.-]+):(\w+)$/.exec(url.pathname);
    if (req.method !== "POST" || !match)
      return sendError(res, 404, "NOT_FOUND", `Method not found: ${req.method} ${url.pathname}`);
    const [, model = "", method] = match;
    try {
      JSON.parse(req.body);
    } catch {
      return invalid(res, "Invalid JSON payload received. Unexpected token.");
    }
    if (method === "generateContent" || method === "streamGenerateContent")
      return generate(req, res, model, url, options);
    if (method === "batchEmbedContents") return embed(req, res, model);
    if (method === "predict") return predict(req, res);
    const unsupported = `models/${model} is not found for API version v1beta, or is not supported for ${method}.`;
    return sendError(res, 404, "NOT_FOUND", unsupported);
  });
}
