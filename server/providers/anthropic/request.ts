/**
 * OpenAI Chat Completions request → Anthropic Messages request (https://docs.anthropic.com/en/api/messages).
 *
 * The differences that shape this file:
 * - Anthropic has no system/developer role in `messages`: they go to the top-level `system`.
 * - Turns must alternate user/assistant, so consecutive same-role messages are merged into one turn.
 * - Tool calls are content blocks: assistant `tool_use` blocks and user `tool_result` blocks
 *   (https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use).
 * - `max_tokens` is required; there is no JSON mode, so response_format becomes a system instruction.
 * Only types come from @anthropic-ai/sdk: adapters stay pure, no SDK runtime in the hot path.
 */
import type {
  CacheControlEphemeral,
  ContentBlockParam,
  DocumentBlockParam,
  ImageBlockParam,
  MessageCreateParamsBase,
  TextBlockParam,
  Tool,
  ToolChoice,
  ToolResultBlockParam,
  ToolUseBlockParam,
} from "@anthropic-ai/sdk/resources/messages";
import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionContentPart,
  ChatCompletionContentPartText,
  ChatCompletionToolMessageParam,
} from "openai/resources/chat/completions";
import type { ChatCompletionCreateParams, UpstreamRequest, UpstreamTarget } from "../types";
import { AdapterRequestError } from "../request-error";

export const ANTHROPIC_DEFAULT_BASE_URL = "https://api.anthropic.com";
export const ANTHROPIC_DEFAULT_VERSION = "2023-06-01";
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

/** A request the adapter cannot translate faithfully. The gateway should answer 400 with this message. */
export class AnthropicRequestError extends AdapterRequestError {
  override name = "AnthropicRequestError";
}

type Turn = { role: "user" | "assistant"; content: ContentBlockParam[] };
type ImageMediaType = "image/jpeg" | "image/png" | "image/gif" | "image/webp";
const IMAGE_TYPES: readonly string[] = ["image/jpeg", "image/png", "image/gif", "image/webp"];

/**
 * The wire body. `temperature` and `top_p` are documented for API version 2023-06-01 but absent from the
 * SDK 1.x types (which target a newer API version), hence the extension.
 */
export type AnthropicMessagesBody = Omit<MessageCreateParamsBase, "messages"> & {
  messages: Array<{ role: "user" | "assistant"; content: string | ContentBlockParam[] }>;
  temperature?: number;
  top_p?: number;
};

/** `${base}/v1${path}`, accepting a base URL configured with or without the trailing `/v1`. */
export function anthropicUrl(baseUrl: string, path: string): string {
  const base = (baseUrl || ANTHROPIC_DEFAULT_BASE_URL).replace(/\/+$/, "");
  return `${base.endsWith("/v1") ? base : `${base}/v1`}${path}`;
}

/** https://docs.anthropic.com/en/api/versioning and https://docs.anthropic.com/en/api/overview#authentication */
export function anthropicHeaders(target: UpstreamTarget): Record<string, string> {
  const version = target.options?.anthropicVersion;
  return {
    "x-api-key": target.secret,
    "anthropic-version": typeof version === "string" && version ? version : ANTHROPIC_DEFAULT_VERSION,
    "content-type": "application/json",
  };
}

export function buildChatRequest(body: ChatCompletionCreateParams, target: UpstreamTarget): UpstreamRequest {
  return {
    url: anthropicUrl(target.baseUrl, "/messages"),
    method: "POST",
    headers: anthropicHeaders(target),
    body: JSON.stringify(toAnthropicBody(body, target)),
  };
}

export function toAnthropicBody(body: ChatCompletionCreateParams, target: UpstreamTarget): AnthropicMessagesBody {
  if (body.n != null && body.n > 1) throw new AnthropicRequestError("n > 1 is not supported by Anthropic");
  const system: TextBlockParam[] = [];
  const turns: Turn[] = [];
  body.messages.forEach((m, i) => {
    const at = `messages[${i}]`;
    if (m.role === "system" || m.role === "developer") system.push(...textBlocks(m.content, `${at}.content`));
    else if (m.role === "user") addTurn(turns, "user", userBlocks(m.content, `${at}.content`));
    else if (m.role === "assistant") addTurn(turns, "assistant", assistantBlocks(m, at));
    else if (m.role === "tool") addTurn(turns, "user", [toolResult(m, at)]);
    else throw new AnthropicRequestError(`${at}.role "${m.role}" is not supported; use tool_calls and tool messages`);
  });
  if (turns.length === 0)
    throw new AnthropicRequestError("messages must contain at least one user or assistant message");

  const instruction = jsonInstruction(body.response_format);
  if (instruction) system.push({ type: "text", text: instruction });

  const defaultMax = target.options?.defaultMaxTokens;
  const out: AnthropicMessagesBody = {
    model: target.model,
    max_tokens:
      body.max_completion_tokens ??
      body.max_tokens ??
      (typeof defaultMax === "number" && defaultMax > 0 ? defaultMax : ANTHROPIC_DEFAULT_MAX_TOKENS),
    messages: turns.map((t) => ({ role: t.role, content: compact(t.content) })),
  };
  if (system.length > 0) {
    // A plain string unless a block carries cache_control, which only the block form can express.
    out.system = system.some((b) => b.cache_control) ? system : system.map((b) => b.text).join("\n\n");
  }
  // Anthropic's range is 0..1 where OpenAI's is 0..2: clamp rather than let a valid OpenAI request fail.
  if (body.temperature != null) out.temperature = Math.min(Math.max(body.temperature, 0), 1);
  if (body.top_p != null) out.top_p = body.top_p;
  if (body.stop != null) out.stop_sequences = typeof body.stop === "string" ? [body.stop] : body.stop;
  if (body.stream != null) out.stream = body.stream;
  if (body.user) out.metadata = { user_id: body.user };
  const tools = toolList(body);
  if (tools) out.tools = tools;
  const choice = toolChoice(body, tools !== undefined);
  if (choice) out.tool_choice = choice;
  return out;
}

function addTurn(turns: Turn[], role: Turn["role"], blocks: ContentBlockParam[]): void {
  if (blocks.length === 0) return; // Anthropic rejects empty turns
  const last = turns[turns.length - 1];
  if (last?.role === role) last.content.push(...blocks);
  else turns.push({ role, content: blocks });
}

/** A lone plain text block is sent as a string, like the documented examples. */
function compact(blocks: ContentBlockParam[]): string | ContentBlockParam[] {
  const only = blocks[0];
  return blocks.length === 1 && only?.type === "text" && !only.cache_control ? only.text : blocks;
}

/**
 * Prompt caching (https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching): honour OpenAI's
 * `prompt_cache_breakpoint` and the Anthropic-style `cache_control` many clients already put on parts.
 */
function cacheControl(part: object): CacheControlEphemeral | undefined {
  const p = part as { cache_control?: CacheControlEphemeral; prompt_cache_breakpoint?: unknown };
  if (p.cache_control && typeof p.cache_control === "object") return p.cache_control;
  return p.prompt_cache_breakpoint ? { type: "ephemeral" } : undefined;
}

function textBlock(text: string, part?: object): TextBlockParam {
  const block: TextBlockParam = { type: "text", text };
  const cc = part && cacheControl(part);
  if (cc) block.cache_control = cc;
  return block;
}

/** Text-only content (system, developer, tool). Empty strings are dropped: Anthropic rejects empty text blocks. */
function textBlocks(content: string | ChatCompletionContentPartText[], at: string): TextBlockParam[] {
  if (typeof content === "string") return content ? [textBlock(content)] : [];
  return content
    .map((part, j) => {
      if (part.type !== "text") throw new AnthropicRequestError(`${at}[${j}].type "${part.type}" must be "text"`);
      return textBlock(part.text, part);
    })
    .filter((b) => b.text);
}

function userBlocks(content: string | ChatCompletionContentPart[], at: string): ContentBlockParam[] {
  if (typeof content === "string") return content ? [textBlock(content)] : [];
  const blocks: ContentBlockParam[] = [];
  content.forEach((part, j) => {
    if (part.type === "text") {
      if (part.text) blocks.push(textBlock(part.text, part));
    } else if (part.type === "image_url") {
      blocks.push(imageBlock(part.image_url.url, `${at}[${j}].image_url.url`, part));
    } else if (part.type === "file") {
      blocks.push(pdfBlock(part.file.file_data, `${at}[${j}].file.file_data`, part));
    } else {
      throw new AnthropicRequestError(`${at}[${j}].type "${part.type}" is not supported by Anthropic`);
    }
  });
  return blocks;
}

/** https://docs.anthropic.com/en/docs/build-with-claude/vision: base64 or URL image sources. */
function imageBlock(url: string, at: string, part: object): ImageBlockParam {
  const data = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  let block: ImageBlockParam;
  if (data) {
    const [, type = "", base64 = ""] = data;
    const mediaType = type.toLowerCase();
    if (!IMAGE_TYPES.includes(mediaType)) {
      throw new AnthropicRequestError(`${at}: image type "${mediaType}" is not supported (use jpeg, png, gif or webp)`);
    }
    block = { type: "image", source: { type: "base64", media_type: mediaType as ImageMediaType, data: base64 } };
  } else if (/^https?:\/\//i.test(url)) {
    block = { type: "image", source: { type: "url", url } };
  } else {
    throw new AnthropicRequestError(`${at} must be a base64 data: URL or an http(s) URL`);
  }
  const cc = cacheControl(part);
  if (cc) block.cache_control = cc;
  return block;
}

/** https://docs.anthropic.com/en/docs/build-with-claude/pdf-support: OpenAI `file` parts carrying a PDF. */
function pdfBlock(fileData: string | undefined, at: string, part: object): DocumentBlockParam {
  if (!fileData) throw new AnthropicRequestError(`${at} is required (file ids cannot be sent to Anthropic)`);
  const [, type, base64] = /^data:([^;,]+);base64,(.*)$/s.exec(fileData) ?? [];
  if (type !== undefined && type.toLowerCase() !== "application/pdf") {
    throw new AnthropicRequestError(`${at}: only application/pdf files are supported`);
  }
  const block: DocumentBlockParam = {
    type: "document",
    source: { type: "base64", media_type: "application/pdf", data: base64 ?? fileData },
  };
  const cc = cacheControl(part);
  if (cc) block.cache_control = cc;
  return block;
}

function assistantBlocks(m: ChatCompletionAssistantMessageParam, at: string): ContentBlockParam[] {
  const blocks: ContentBlockParam[] = [];
  if (typeof m.content === "string") {
    if (m.content) blocks.push(textBlock(m.content));
  } else if (m.content) {
    for (const part of m.content) {
      const text = part.type === "text" ? part.text : part.refusal;
      if (text) blocks.push(textBlock(text, part));
    }
  }
  m.tool_calls?.forEach((call, j) => {
    const where = `${at}.tool_calls[${j}]`;
    if (call.type !== "function") throw new AnthropicRequestError(`${where}.type "${call.type}" is not supported`);
    const block: ToolUseBlockParam = {
      type: "tool_use",
      id: call.id,
      name: call.function.name,
      input: parseArguments(call.function.arguments, `${where}.function.arguments`),
    };
    blocks.push(block);
  });
  return blocks;
}

/** tool_use.input must be a JSON object; "" (some clients send it for argument-less tools) means {}. */
function parseArguments(args: string, at: string): Record<string, unknown> {
  if (args.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(args);
  } catch {
    throw new AnthropicRequestError(`${at} is not valid JSON`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new AnthropicRequestError(`${at} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

function toolResult(m: ChatCompletionToolMessageParam, at: string): ToolResultBlockParam {
  const content = typeof m.content === "string" ? m.content : textBlocks(m.content, `${at}.content`);
  return { type: "tool_result", tool_use_id: m.tool_call_id, content };
}

function toolList(body: ChatCompletionCreateParams): Tool[] | undefined {
  if (!body.tools?.length) return undefined;
  return body.tools.map((t, i) => {
    if (t.type !== "function") throw new AnthropicRequestError(`tools[${i}].type "${t.type}" is not supported`);
    const f = t.function;
    const tool: Tool = {
      name: f.name,
      input_schema: (f.parameters ?? { type: "object", properties: {} }) as Tool.InputSchema,
    };
    if (f.description) tool.description = f.description;
    const cc = cacheControl(t);
    if (cc) tool.cache_control = cc;
    return tool;
  });
}

/** https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use#forcing-tool-use */
function toolChoice(body: ChatCompletionCreateParams, hasTools: boolean): ToolChoice | undefined {
  if (!hasTools) return undefined; // Anthropic rejects tool_choice without tools
  const c = body.tool_choice;
  if (c === "none") return { type: "none" };
  let choice: Exclude<ToolChoice, { type: "none" }>;
  if (c === undefined || c === "auto") choice = { type: "auto" };
  else if (c === "required") choice = { type: "any" };
  else if (c.type === "function") choice = { type: "tool", name: c.function.name };
  else throw new AnthropicRequestError(`tool_choice.type "${c.type}" is not supported`);
  if (body.parallel_tool_calls === false) choice.disable_parallel_tool_use = true;
  else if (c === undefined) return undefined; // keep Anthropic's default
  return choice;
}

/** Anthropic has no JSON mode, so ask for it in the system prompt (the schema is included verbatim). */
function jsonInstruction(format: ChatCompletionCreateParams["response_format"]): string | null {
  if (!format || format.type === "text") return null;
  const base = "Respond with valid JSON only: no prose before or after it and no Markdown code fences.";
  if (format.type === "json_object") return `${base} The answer must be a single JSON object.`;
  const { name, schema } = format.json_schema;
  return `${base} The JSON must conform to this JSON Schema (named "${name}"):\n${JSON.stringify(schema ?? {})}`;
}
