/**
 * OpenAI Chat Completions request → Bedrock Converse / ConverseStream request, signed with SigV4.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
 * https://docs.aws.amazon.com/bedrock/latest/userguide/conversation-inference-call.html
 */
import type { ChatCompletionContentPart, ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { ChatCompletionCreateParams, UpstreamRequest, UpstreamTarget } from "../types";
import { signRequest } from "./signing";
import { AdapterRequestError } from "../request-error";

/** The request cannot be expressed for Bedrock (the gateway answers 400 with this message). */
export class BedrockRequestError extends AdapterRequestError {
  override name = "BedrockRequestError";
}

export const DEFAULT_REGION = "us-east-1";
export const DEFAULT_BASE_URL = "https://bedrock-runtime.{region}.amazonaws.com";
/** Bedrock's signing name is "bedrock" for the runtime and the control plane alike. */
export const SIGNING_SERVICE = "bedrock";

export interface BedrockCredential {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
}

/** Parse the JSON secret. Error messages never include the secret itself. */
export function parseCredential(target: UpstreamTarget): BedrockCredential {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(target.secret) as Record<string, unknown>;
  } catch {
    throw new BedrockRequestError(
      'Bedrock credential must be JSON: {"accessKeyId","secretAccessKey","sessionToken?","region?"}',
    );
  }
  if (typeof raw?.accessKeyId !== "string" || typeof raw.secretAccessKey !== "string") {
    throw new BedrockRequestError("Bedrock credential is missing accessKeyId or secretAccessKey");
  }
  const region = [raw.region, target.options?.region].find((r) => typeof r === "string" && r !== "");
  return {
    accessKeyId: raw.accessKeyId,
    secretAccessKey: raw.secretAccessKey,
    sessionToken: typeof raw.sessionToken === "string" && raw.sessionToken ? raw.sessionToken : undefined,
    region: (region as string | undefined) ?? DEFAULT_REGION,
  };
}

/** The credential's base URL override, or the regional default with "{region}" filled in. */
export function runtimeBaseUrl(target: UpstreamTarget, region: string): string {
  return (target.baseUrl || DEFAULT_BASE_URL).replace("{region}", region).replace(/\/+$/, "");
}

type Block = Record<string, unknown>;
interface ConverseMessage {
  role: "user" | "assistant";
  content: Block[];
}

const IMAGE_FORMATS: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpeg",
  "image/jpg": "jpeg",
  "image/gif": "gif",
  "image/webp": "webp",
};

function imageBlock(url: string): Block {
  const match = /^data:([^;,]+)(;[^,]*)?,(.*)$/s.exec(url);
  if (!match) {
    // Converse only takes inline bytes (or S3 locations), never a web URL it would have to fetch.
    throw new BedrockRequestError("Bedrock does not accept image URLs; send images as base64 data: URLs");
  }
  const [, type = "", params = "", payload = ""] = match;
  const format = IMAGE_FORMATS[type.toLowerCase()];
  if (!format) throw new BedrockRequestError(`Bedrock does not support image type ${type} (png, jpeg, gif, webp)`);
  const isBase64 = /;base64/i.test(params);
  const bytes = isBase64 ? payload : Buffer.from(decodeURIComponent(payload), "latin1").toString("base64");
  return { image: { format, source: { bytes } } };
}

/** Text blocks must be non-empty for Bedrock, so empty strings are dropped. */
function textBlocks(content: string | Array<{ type: string; text?: string; refusal?: string }> | null | undefined) {
  if (content == null) return [];
  const texts = typeof content === "string" ? [content] : content.map((p) => p.text ?? p.refusal ?? "");
  return texts.filter((t) => t !== "").map((text) => ({ text }));
}

function userBlocks(content: string | ChatCompletionContentPart[]): Block[] {
  if (typeof content === "string") return textBlocks(content);
  return content.flatMap((part): Block[] => {
    if (part.type === "text") return part.text ? [{ text: part.text }] : [];
    if (part.type === "image_url") return [imageBlock(part.image_url.url)];
    throw new BedrockRequestError(`Bedrock adapter does not support "${part.type}" content parts`);
  });
}

function parseArguments(args: string): unknown {
  if (args.trim() === "") return {};
  try {
    return JSON.parse(args);
  } catch {
    throw new BedrockRequestError("tool_calls[].function.arguments must be valid JSON for Bedrock");
  }
}

function toConverseMessage(m: ChatCompletionMessageParam): ConverseMessage | null {
  switch (m.role) {
    case "system":
    case "developer":
      return null; // collected into `system`
    case "user":
      return { role: "user", content: userBlocks(m.content) };
    case "assistant": {
      const content: Block[] = textBlocks(m.content);
      for (const call of m.tool_calls ?? []) {
        if (call.type !== "function") throw new BedrockRequestError("Bedrock supports only function tool calls");
        const input = parseArguments(call.function.arguments);
        content.push({ toolUse: { toolUseId: call.id, name: call.function.name, input } });
      }
      return { role: "assistant", content };
    }
    case "tool":
      // A tool result is a user turn in Converse; consecutive results are merged into one message below.
      return {
        role: "user",
        content: [{ toolResult: { toolUseId: m.tool_call_id, content: textBlocks(m.content) } }],
      };
    default:
      throw new BedrockRequestError(`Bedrock adapter does not support "${m.role}" messages`);
  }
}

/** Converse requires alternating roles, so consecutive same-role turns become one message. */
function mergeRoles(messages: ConverseMessage[]): ConverseMessage[] {
  const merged: ConverseMessage[] = [];
  for (const m of messages) {
    if (m.content.length === 0) continue;
    const last = merged[merged.length - 1];
    if (last && last.role === m.role) last.content.push(...m.content);
    else merged.push({ role: m.role, content: [...m.content] });
  }
  return merged;
}

function toolConfig(body: ChatCompletionCreateParams): Block | undefined {
  const choice = body.tool_choice;
  // Converse has no "none": the only way to stop tool use is to not offer tools.
  if (!body.tools?.length || choice === "none") return undefined;
  const tools = body.tools.map((t) => {
    if (t.type !== "function") throw new BedrockRequestError("Bedrock supports only function tools");
    const spec: Block = {
      name: t.function.name,
      inputSchema: { json: t.function.parameters ?? { type: "object", properties: {} } },
    };
    if (t.function.description) spec.description = t.function.description;
    return { toolSpec: spec };
  });
  const config: Block = { tools };
  if (choice === "auto") config.toolChoice = { auto: {} };
  else if (choice === "required") config.toolChoice = { any: {} };
  else if (choice && typeof choice === "object" && choice.type === "function") {
    config.toolChoice = { tool: { name: choice.function.name } };
  }
  return config;
}

/** The Converse JSON body (exported for tests). */
export function buildConverseBody(body: ChatCompletionCreateParams): Record<string, unknown> {
  const system = body.messages
    .filter((m) => m.role === "system" || m.role === "developer")
    .flatMap((m) => textBlocks(m.content));
  const messages = mergeRoles(body.messages.map(toConverseMessage).filter((m): m is ConverseMessage => m !== null));
  const out: Record<string, unknown> = { messages };
  if (system.length) out.system = system;

  const inference: Record<string, unknown> = {};
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens != null) inference.maxTokens = maxTokens;
  if (body.temperature != null) inference.temperature = body.temperature;
  if (body.top_p != null) inference.topP = body.top_p;
  if (body.stop != null) inference.stopSequences = typeof body.stop === "string" ? [body.stop] : body.stop;
  if (Object.keys(inference).length) out.inferenceConfig = inference;

  const tools = toolConfig(body);
  if (tools) out.toolConfig = tools;
  // OpenAI-only extras (n, logprobs, response_format, ...) have no Converse equivalent and are left out.
  return out;
}

/**
 * A signed JSON POST to the runtime's `/model/{id}/{action}`: Converse for chat, InvokeModel for Anthropic's
 * Messages pass-through (./pass-through.ts). A stream asks for the AWS event stream.
 */
export function modelPost(target: UpstreamTarget, action: string, payload: unknown, stream: boolean): UpstreamRequest {
  const credential = parseCredential(target);
  const url = `${runtimeBaseUrl(target, credential.region)}/model/${encodeURIComponent(target.model)}/${action}`;
  const json = JSON.stringify(payload);
  const headers = {
    "content-type": "application/json",
    accept: stream ? "application/vnd.amazon.eventstream" : "application/json",
  };
  return {
    url,
    method: "POST",
    headers,
    body: json,
    sign: () => signFor(credential, target, "POST", url, headers, json),
  };
}

export function buildChatRequest(body: ChatCompletionCreateParams, target: UpstreamTarget): UpstreamRequest {
  const stream = body.stream === true;
  return modelPost(target, stream ? "converse-stream" : "converse", buildConverseBody(body), stream);
}

/** The SigV4 step of a request (./signing.ts), run by the gateway just before it sends the request. */
export function signFor(
  credential: BedrockCredential,
  target: UpstreamTarget,
  method: "GET" | "POST",
  url: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Record<string, string>> {
  return signRequest({
    method,
    url,
    headers,
    body,
    region: credential.region,
    service: SIGNING_SERVICE,
    accessKeyId: credential.accessKeyId,
    secretAccessKey: credential.secretAccessKey,
    sessionToken: credential.sessionToken,
    now: target.now ?? new Date(),
  });
}
