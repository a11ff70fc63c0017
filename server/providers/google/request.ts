/**
 * OpenAI Chat Completions request → Gemini `GenerateContentRequest`.
 * Wire reference: https://ai.google.dev/api/generate-content#request-body
 * Content/Part shapes: https://ai.google.dev/api/caching#Content
 */
import type { ChatCompletionCreateParams, UpstreamRequest, UpstreamTarget } from "../types";
import { AdapterRequestError } from "../request-error";

type Json = Record<string, unknown>;

/** A Gemini `Part` (only the members this adapter writes). */
export interface GeminiPart {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  inlineData?: { mimeType: string; data: string };
  fileData?: { mimeType: string; fileUri: string };
  functionCall?: { name: string; args: Json };
  functionResponse?: { name: string; response: Json };
}
export interface GeminiContent {
  role: "user" | "model";
  parts: GeminiPart[];
}

/** The OpenAI request cannot be expressed for Gemini; the gateway should answer 400 invalid_request_error. */
export class GoogleRequestError extends AdapterRequestError {
  override name = "GoogleRequestError";
}

/** Strip a trailing `/` and `/v1beta` so a credential may be configured either way. */
function apiRoot(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, "").replace(/\/v1beta$/, "")}/v1beta`;
}

/** `${base}/v1beta/models/${model}:${method}`; accepts model ids with or without the "models/" prefix. */
export function geminiUrl(baseUrl: string, model: string, method: string): string {
  return `${apiRoot(baseUrl)}/models/${model.replace(/^models\//, "")}:${method}`;
}

export function modelsListUrl(baseUrl: string): string {
  return `${apiRoot(baseUrl)}/models`;
}

/** The key travels in a header, never as `?key=`, so request URLs can be logged safely. */
export function googleHeaders(secret: string): Record<string, string> {
  return { "content-type": "application/json", "x-goog-api-key": secret };
}

/** Formats Gemini reads (https://ai.google.dev/gemini-api/docs/image-understanding#supported-formats, audio, PDF). */
const EXTENSION_MIME: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  webp: "image/webp",
  heic: "image/heic",
  heif: "image/heif",
  pdf: "application/pdf",
  mp3: "audio/mp3",
  wav: "audio/wav",
};

/** Gemini needs a MIME type for `fileData`; guess it from the URL's extension (images are the common case). */
export function guessMimeType(url: string): string {
  const path = url.split(/[?#]/)[0] ?? url;
  const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  return EXTENSION_MIME[ext] ?? "image/jpeg";
}

/** `data:<mime>[;base64],<payload>` → inlineData (base64 is what Gemini expects). */
function dataUrlPart(url: string): GeminiPart {
  const match = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s.exec(url);
  if (!match) throw new GoogleRequestError("Invalid data: URL in message content");
  const [, type, params = "", payload = ""] = match;
  const mimeType = type || "application/octet-stream";
  const isBase64 = params.split(";").includes("base64");
  const data = isBase64 ? payload : Buffer.from(decodeURIComponent(payload), "utf8").toString("base64");
  return { inlineData: { mimeType, data } };
}

function urlPart(url: string): GeminiPart {
  if (url.startsWith("data:")) return dataUrlPart(url);
  if (/^https?:\/\//i.test(url)) return { fileData: { mimeType: guessMimeType(url), fileUri: url } };
  throw new GoogleRequestError(`Unsupported image URL scheme: ${url.slice(0, 16)}`);
}

/** One OpenAI content part → one Gemini part. */
function contentPart(part: Json): GeminiPart | null {
  switch (part.type) {
    case "text":
      return part.text ? { text: String(part.text) } : null;
    case "refusal":
      return part.refusal ? { text: String(part.refusal) } : null;
    case "image_url":
      return urlPart(String((part.image_url as Json)?.url ?? ""));
    case "input_audio": {
      const audio = part.input_audio as { data: string; format: string };
      return { inlineData: { mimeType: `audio/${audio.format}`, data: audio.data } };
    }
    case "file": {
      const file = part.file as { file_data?: string; filename?: string };
      if (!file.file_data) throw new GoogleRequestError("Gemini needs inline file_data; file_id is not supported");
      if (file.file_data.startsWith("data:")) return dataUrlPart(file.file_data);
      const mimeType = guessMimeType(file.filename ?? "file.pdf");
      return { inlineData: { mimeType, data: file.file_data } };
    }
    default:
      throw new GoogleRequestError(`Unsupported content part type for Gemini: ${String(part.type)}`);
  }
}

function contentParts(content: unknown): GeminiPart[] {
  if (content == null) return [];
  if (typeof content === "string") return content === "" ? [] : [{ text: content }];
  if (!Array.isArray(content)) throw new GoogleRequestError("Message content must be a string or an array of parts");
  return content.map((p) => contentPart(p as Json)).filter((p): p is GeminiPart => p !== null);
}

/** JSON.parse, or undefined when `text` is not JSON. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseArguments(name: string, args: string): Json {
  if (!args || args.trim() === "") return {};
  const parsed = parseJson(args);
  if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Json;
  throw new GoogleRequestError(`Tool call "${name}" has arguments that are not a JSON object`);
}

/** Gemini's functionResponse.response must be an object: the result goes in `content`, plain text as {result}. */
function toolResult(text: string): Json {
  const parsed = parseJson(text);
  return { content: parsed === undefined ? { result: text } : parsed };
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p) => String((p as Json).text ?? "")).join("");
  return "";
}

/**
 * Gemini 3 requires the thought signature it sent with a function call back in the next turn
 * (https://ai.google.dev/gemini-api/docs/thought-signatures). response.ts exposes it the way Google's own
 * OpenAI-compatible endpoint does: `extra_content.google.thought_signature` on the tool call.
 */
function thoughtSignatureOf(call: object): string | undefined {
  const signature = (call as { extra_content?: { google?: { thought_signature?: unknown } } }).extra_content?.google
    ?.thought_signature;
  return typeof signature === "string" ? signature : undefined;
}

/** Messages → systemInstruction + contents, merging consecutive same-role turns (Gemini wants alternation). */
export function toGeminiContents(messages: ChatCompletionCreateParams["messages"]): {
  systemInstruction?: { parts: Array<{ text: string }> };
  contents: GeminiContent[];
} {
  const system: Array<{ text: string }> = [];
  const contents: GeminiContent[] = [];
  const toolNames = new Map<string, string>();
  const push = (role: GeminiContent["role"], parts: GeminiPart[]) => {
    if (parts.length === 0) return; // Gemini rejects a Content with no parts
    const last = contents[contents.length - 1];
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };

  for (const message of messages) {
    switch (message.role) {
      case "system":
      case "developer": {
        // Gemini has a single system instruction; system messages anywhere in the chat are gathered into it.
        const text = textOf(message.content);
        if (text) system.push({ text });
        break;
      }
      case "user":
        push("user", contentParts(message.content));
        break;
      case "assistant": {
        const parts = contentParts(message.content);
        for (const call of message.tool_calls ?? []) {
          if (call.type !== "function") throw new GoogleRequestError("Gemini supports only function tool calls");
          toolNames.set(call.id, call.function.name);
          const part: GeminiPart = {
            functionCall: {
              name: call.function.name,
              args: parseArguments(call.function.name, call.function.arguments),
            },
          };
          const signature = thoughtSignatureOf(call);
          if (signature) part.thoughtSignature = signature;
          parts.push(part);
        }
        push("model", parts);
        break;
      }
      case "tool": {
        const name = toolNames.get(message.tool_call_id);
        if (!name)
          throw new GoogleRequestError(`Tool message refers to unknown tool_call_id "${message.tool_call_id}"`);
        push("user", [{ functionResponse: { name, response: toolResult(textOf(message.content)) } }]);
        break;
      }
      case "function":
        push("user", [{ functionResponse: { name: message.name, response: toolResult(textOf(message.content)) } }]);
        break;
      default:
        throw new GoogleRequestError(`Unsupported message role: ${String((message as { role: unknown }).role)}`);
    }
  }
  return system.length > 0 ? { systemInstruction: { parts: system }, contents } : { contents };
}

/** tools / tool_choice → tools[].functionDeclarations and toolConfig.functionCallingConfig. */
function toolFields(body: ChatCompletionCreateParams): Json {
  const out: Json = {};
  if (body.tools && body.tools.length > 0) {
    const functionDeclarations = body.tools.map((tool) => {
      if (tool.type !== "function") throw new GoogleRequestError("Gemini supports only function tools");
      const f = tool.function;
      // OpenAI sends full JSON Schema (additionalProperties, $defs, ...), which the OpenAPI-subset `parameters`
      // field rejects; `parametersJsonSchema` takes it as given.
      // https://ai.google.dev/api/caching#FunctionDeclaration
      return {
        name: f.name,
        ...(f.description ? { description: f.description } : {}),
        ...(f.parameters ? { parametersJsonSchema: f.parameters } : {}),
      };
    });
    out.tools = [{ functionDeclarations }];
  }
  const choice = body.tool_choice;
  if (choice === undefined) return out;
  // https://ai.google.dev/api/caching#FunctionCallingConfig
  let config: Json;
  if (choice === "auto") config = { mode: "AUTO" };
  else if (choice === "none") config = { mode: "NONE" };
  else if (choice === "required") config = { mode: "ANY" };
  else if (choice.type === "function") config = { mode: "ANY", allowedFunctionNames: [choice.function.name] };
  else if (choice.type === "allowed_tools") {
    const names = choice.allowed_tools.tools.map((t) => String((t.function as Json | undefined)?.name ?? ""));
    config = { mode: choice.allowed_tools.mode === "required" ? "ANY" : "AUTO", allowedFunctionNames: names };
  } else throw new GoogleRequestError("Gemini supports only function tool choices");
  out.toolConfig = { functionCallingConfig: config };
  return out;
}

/** Sampling options → generationConfig (https://ai.google.dev/api/generate-content#generationconfig). */
function generationConfig(body: ChatCompletionCreateParams): Json | undefined {
  const config: Json = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined && value !== null) config[key] = value;
  };
  set("temperature", body.temperature);
  set("topP", body.top_p);
  set("maxOutputTokens", body.max_completion_tokens ?? body.max_tokens);
  if (body.stop != null) set("stopSequences", typeof body.stop === "string" ? [body.stop] : body.stop);
  set("candidateCount", body.n);
  set("seed", body.seed);
  set("presencePenalty", body.presence_penalty);
  set("frequencyPenalty", body.frequency_penalty);
  const format = body.response_format;
  if (format?.type === "json_object") config.responseMimeType = "application/json";
  if (format?.type === "json_schema") {
    config.responseMimeType = "application/json";
    if (format.json_schema.schema) config.responseJsonSchema = format.json_schema.schema;
  }
  return Object.keys(config).length > 0 ? config : undefined;
}

export function toGenerateContentRequest(body: ChatCompletionCreateParams): Json {
  const { systemInstruction, contents } = toGeminiContents(body.messages);
  const config = generationConfig(body);
  return {
    contents,
    ...(systemInstruction ? { systemInstruction } : {}),
    ...toolFields(body),
    ...(config ? { generationConfig: config } : {}),
  };
}

export function buildChatRequest(body: ChatCompletionCreateParams, target: UpstreamTarget): UpstreamRequest {
  // Streaming uses SSE framing (`alt=sse`); without it Gemini streams one big JSON array.
  const url = body.stream
    ? `${geminiUrl(target.baseUrl, target.model, "streamGenerateContent")}?alt=sse`
    : geminiUrl(target.baseUrl, target.model, "generateContent");
  return {
    url,
    method: "POST",
    headers: googleHeaders(target.secret),
    body: JSON.stringify(toGenerateContentRequest(body)),
  };
}
