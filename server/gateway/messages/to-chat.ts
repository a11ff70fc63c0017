/**
 * The Messages API decoder (docs/messages-api.md): an Anthropic Messages body → the hub's internal chat request
 * (OpenAI Chat Completions), for providers that do not speak Messages natively. Pure.
 *
 * - `system` (string or text blocks) and system messages inside `messages` fold into one leading system message:
 *   every chat provider accepts that, while a system message mid-conversation breaks some.
 * - user `tool_result` blocks become `tool` messages, placed before the rest of that user turn; assistant
 *   `tool_use` blocks become `tool_calls` with the same ids.
 * - images → `image_url` (data URL or URL); PDF documents → `file` parts; plain-text documents → text.
 * - client tools → function tools; typed tools (web search, bash, tool search, ...) have no chat equivalent and
 *   are left out, as are thinking blocks, `thinking`, `cache_control`, `metadata`, `context_management`,
 *   `output_config` and `top_k`: leaving them out is lossy but never a refusal.
 */
import type {
  ChatCompletionContentPart,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
  ChatCompletionFunctionTool,
  ChatCompletionToolChoiceOption,
} from "openai/resources/chat/completions";
import type { ChatCompletionCreateParams } from "../../providers/types";
import type { Block, MessageParam, MessagesBody } from "./request-schema";

type Json = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === "string" ? v : "");

/** The text of string-or-blocks content (text blocks and plain-text documents only). */
export function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((b: Json) => (b?.type === "text" ? str(b.text) : b?.type === "document" ? documentText(b) : ""))
    .filter(Boolean)
    .join("\n");
}

function documentText(b: Json): string {
  const source = (b.source ?? {}) as Json;
  return source.type === "text" ? str(source.data) : "";
}

function imagePart(b: Json): ChatCompletionContentPart | null {
  const source = (b.source ?? {}) as Json;
  if (source.type === "base64") {
    return { type: "image_url", image_url: { url: `data:${str(source.media_type)};base64,${str(source.data)}` } };
  }
  if (source.type === "url") return { type: "image_url", image_url: { url: str(source.url) } };
  return null; // a Files API id means nothing to another provider
}

function documentPart(b: Json): ChatCompletionContentPart | null {
  const source = (b.source ?? {}) as Json;
  if (source.type === "base64" && source.media_type === "application/pdf") {
    return {
      type: "file",
      file: { file_data: `data:application/pdf;base64,${str(source.data)}`, filename: str(b.title) || "document.pdf" },
    };
  }
  const text = documentText(b);
  return text ? { type: "text", text } : null;
}

function partOf(b: Json): ChatCompletionContentPart | null {
  if (b.type === "text") return str(b.text) ? { type: "text", text: str(b.text) } : null;
  if (b.type === "image") return imagePart(b);
  if (b.type === "document") return documentPart(b);
  return null;
}

function userParts(blocks: Block[]): ChatCompletionContentPart[] {
  const parts: ChatCompletionContentPart[] = [];
  for (const b of blocks as Json[]) {
    const part = partOf(b);
    if (part) parts.push(part);
  }
  return parts;
}

/** A user turn: its tool results first (each a `tool` message), then whatever else it says. */
function userMessages(m: MessageParam): ChatCompletionMessageParam[] {
  if (typeof m.content === "string") return [{ role: "user", content: m.content }];
  const out: ChatCompletionMessageParam[] = [];
  for (const b of m.content as Json[]) {
    if (b.type !== "tool_result") continue;
    const text = textOf(b.content);
    out.push({
      role: "tool",
      tool_call_id: str(b.tool_use_id),
      content: b.is_error === true && text ? `Error: ${text}` : text,
    });
  }
  const parts = userParts(m.content);
  if (parts.length > 0) {
    const onlyText = parts.every((p) => p.type === "text");
    out.push({ role: "user", content: onlyText ? parts.map((p) => (p as { text: string }).text).join("\n") : parts });
  }
  return out;
}

function assistantMessage(m: MessageParam): ChatCompletionMessageParam | null {
  if (typeof m.content === "string") return m.content ? { role: "assistant", content: m.content } : null;
  const text: string[] = [];
  const calls: ChatCompletionMessageFunctionToolCall[] = [];
  for (const b of m.content as Json[]) {
    if (b.type === "text" && str(b.text)) text.push(str(b.text));
    else if (b.type === "tool_use") {
      calls.push({
        id: str(b.id),
        type: "function",
        function: { name: str(b.name), arguments: JSON.stringify(b.input ?? {}) },
      });
    }
    // thinking, redacted_thinking and server-tool blocks: nothing a chat provider could take.
  }
  if (text.length === 0 && calls.length === 0) return null;
  return {
    role: "assistant",
    content: text.length ? text.join("") : null,
    ...(calls.length ? { tool_calls: calls } : {}),
  };
}

/** Client tools (no `type`, or "custom") only; typed server and versioned tools have no chat equivalent. */
function clientTools(tools: MessagesBody["tools"]): ChatCompletionFunctionTool[] {
  const out: ChatCompletionFunctionTool[] = [];
  for (const t of (tools ?? []) as Json[]) {
    if (t.type !== undefined && t.type !== "custom") continue;
    const fn: ChatCompletionFunctionTool["function"] = {
      name: str(t.name),
      parameters: (t.input_schema ?? { type: "object", properties: {} }) as Json,
    };
    if (str(t.description)) fn.description = str(t.description);
    out.push({ type: "function", function: fn });
  }
  return out;
}

function toolChoice(
  choice: MessagesBody["tool_choice"],
  names: Set<string>,
): ChatCompletionToolChoiceOption | undefined {
  if (!choice) return undefined;
  if (choice.type === "any") return "required";
  if (choice.type === "none") return "none";
  if (choice.type === "tool")
    return choice.name && names.has(choice.name) ? { type: "function", function: { name: choice.name } } : "required";
  return "auto";
}

export function toChatRequest(body: MessagesBody): ChatCompletionCreateParams {
  const system: string[] = [];
  if (body.system !== undefined) system.push(textOf(body.system));
  const messages: ChatCompletionMessageParam[] = [];
  for (const m of body.messages) {
    if (m.role === "system") system.push(textOf(m.content));
    else if (m.role === "user") messages.push(...userMessages(m));
    else {
      const a = assistantMessage(m);
      if (a) messages.push(a);
    }
  }
  const instructions = system.filter(Boolean).join("\n\n");
  const out: ChatCompletionCreateParams = {
    model: body.model,
    messages: instructions ? [{ role: "system", content: instructions }, ...messages] : messages,
    max_tokens: body.max_tokens,
    stream: body.stream === true,
  };
  if (body.temperature !== undefined) out.temperature = body.temperature;
  if (body.top_p !== undefined) out.top_p = body.top_p;
  if (body.stop_sequences?.length) out.stop = body.stop_sequences;
  const tools = clientTools(body.tools);
  if (tools.length > 0) {
    out.tools = tools;
    const choice = toolChoice(body.tool_choice, new Set(tools.map((t) => t.function.name)));
    if (choice) out.tool_choice = choice;
    if (body.tool_choice?.disable_parallel_tool_use === true) out.parallel_tool_calls = false;
  }
  return out;
}
