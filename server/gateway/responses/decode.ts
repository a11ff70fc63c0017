/**
 * Responses request → the hub's internal chat request, for providers that do not serve the Responses API
 * themselves (docs/responses-api.md, "Translated providers"). Pure.
 *
 * Items become chat messages (consecutive function calls join the assistant message before them; call outputs become
 * tool messages); flat function tools become nested ones; a freeform `custom` tool becomes a function taking one
 * string `input`, and its calls go back as the custom tool's call items. Tools with no chat equivalent (web search,
 * file search, MCP, shells...) are left out and named in `notes` for the call record: agents send them on every call.
 */
import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionContentPart,
  ChatCompletionFunctionTool,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
  ChatCompletionToolChoiceOption,
} from "openai/resources/chat/completions";
import type { ChatCompletionCreateParams } from "../../providers/types";
import { HubError } from "../../errors";
import type { Item, ResponsesBody } from "./request-schema";

type Message = ChatCompletionMessageParam;
type ChatTool = ChatCompletionFunctionTool;
type ToolCall = ChatCompletionMessageFunctionToolCall;

export interface DecodedRequest {
  chat: ChatCompletionCreateParams;
  /** Freeform custom tools offered upstream as one-string functions: their calls come back as custom_tool_call. */
  customTools: Set<string>;
  /** What was left out of the upstream request, for the call record. */
  notes: string[];
  /** tool_choice forces a tool only a native Responses provider can run. */
  forcesNativeTool: string | null;
  /**
   * Content the chat path cannot carry (an image by file id, an unknown part type): the 400 a translated candidate
   * answers with. A native provider takes the request as the client sent it.
   */
  untranslatable: HubError | null;
}

interface DecodeState {
  skipped: Set<string>;
  untranslatable: HubError | null;
}

/** `input` as a list of items: a string is one user message. */
export function toItems(input: ResponsesBody["input"]): Item[] {
  if (input === undefined) return [];
  if (typeof input === "string")
    return [{ type: "message", role: "user", content: [{ type: "input_text", text: input }] }];
  return input;
}

/** The one place the upstream output limit comes from (the chat body's max_completion_tokens, the native body's max_output_tokens). */
export function upstreamMaxTokens(body: Pick<ResponsesBody, "max_output_tokens">): number | undefined {
  return body.max_output_tokens ?? undefined;
}

/** The argument a freeform custom tool's function takes. */
export const CUSTOM_TOOL_ARG = "input";

export function toChatRequest(body: ResponsesBody, items: Item[]): DecodedRequest {
  const notes: string[] = [];
  const { tools, customTools, dropped } = toChatTools(body.tools ?? []);
  if (dropped.length) notes.push(`Left out tools the provider cannot run: ${dropped.join(", ")}`);
  const messages: Message[] = [];
  if (body.instructions) messages.push({ role: "system", content: body.instructions });
  const state: DecodeState = { skipped: new Set(), untranslatable: null };
  items.forEach((item, i) => addItem(messages, item, i, state));
  if (state.skipped.size) notes.push(`Left out input items with no chat equivalent: ${[...state.skipped].join(", ")}`);
  if (messages.length === 0)
    throw new HubError(
      "invalid_input",
      "The request has no input: send 'input' as a string or a list of items.",
      "input",
    );

  const { choice, forcesNativeTool } = toChatToolChoice(body.tool_choice);
  const chat: ChatCompletionCreateParams = { model: body.model, messages };
  if (tools.length) {
    chat.tools = tools;
    if (choice !== undefined) chat.tool_choice = choice;
    if (typeof body.parallel_tool_calls === "boolean") chat.parallel_tool_calls = body.parallel_tool_calls;
  } else if (choice === "none") chat.tool_choice = "none";
  const max = upstreamMaxTokens(body);
  if (max !== undefined) chat.max_completion_tokens = max;
  if (typeof body.temperature === "number") chat.temperature = body.temperature;
  if (typeof body.top_p === "number") chat.top_p = body.top_p;
  if (body.user) chat.user = body.user;
  // Passed on as given, as the chat path does with a client's reasoning_effort: the provider judges the value.
  if (body.reasoning?.effort)
    chat.reasoning_effort = body.reasoning.effort as ChatCompletionCreateParams["reasoning_effort"];
  const format = body.text?.format;
  if (format?.type === "json_object") chat.response_format = { type: "json_object" };
  if (format?.type === "json_schema") {
    const { type: _t, name, ...schema } = format;
    chat.response_format = {
      type: "json_schema",
      json_schema: { ...schema, name: typeof name === "string" ? name : "response" },
    };
  }
  return { chat, customTools, notes, forcesNativeTool, untranslatable: state.untranslatable };
}

function toChatTools(tools: Array<Record<string, unknown>>) {
  const out: ChatTool[] = [];
  const customTools = new Set<string>();
  const dropped: string[] = [];
  for (const t of tools) {
    const name = typeof t.name === "string" ? t.name : null;
    if (t.type === "function" && name) {
      const parameters = isRecord(t.parameters) ? t.parameters : { type: "object", properties: {} };
      const fn: ChatTool["function"] = { name, parameters };
      if (typeof t.description === "string") fn.description = t.description;
      if (typeof t.strict === "boolean") fn.strict = t.strict;
      out.push({ type: "function", function: fn });
    } else if (t.type === "custom" && name) {
      customTools.add(name);
      const format = t.format as { type?: string; syntax?: string; definition?: string } | undefined;
      const grammar =
        format?.type === "grammar" && format.definition
          ? ` The input must follow this ${format.syntax ?? ""} grammar:\n${format.definition}`
          : "";
      out.push({
        type: "function",
        function: {
          name,
          description:
            `${typeof t.description === "string" ? t.description : ""}${grammar}`.trim() || `The ${name} tool.`,
          parameters: {
            type: "object",
            properties: { [CUSTOM_TOOL_ARG]: { type: "string", description: "The tool's whole input, as free text." } },
            required: [CUSTOM_TOOL_ARG],
            additionalProperties: false,
          },
        },
      });
    } else dropped.push(name ? `${name} (${t.type})` : (t.type as string));
  }
  return { tools: out, customTools, dropped };
}

function toChatToolChoice(choice: ResponsesBody["tool_choice"]): {
  choice: ChatCompletionToolChoiceOption | undefined;
  forcesNativeTool: string | null;
} {
  if (choice === undefined || typeof choice === "string") return { choice, forcesNativeTool: null };
  const name = typeof choice.name === "string" ? choice.name : null;
  if ((choice.type === "function" || choice.type === "custom") && name) {
    return { choice: { type: "function", function: { name } }, forcesNativeTool: null };
  }
  if (choice.type === "allowed_tools")
    return { choice: choice.mode === "required" ? "required" : "auto", forcesNativeTool: null };
  // A built-in tool (web_search, file_search, mcp, ...) forced by type: only a native Responses provider runs it.
  return { choice: undefined, forcesNativeTool: name ?? choice.type };
}

function addItem(messages: Message[], item: Item, i: number, state: DecodeState): void {
  const type = item.type ?? (item.role ? "message" : undefined);
  switch (type) {
    case "message":
      messages.push(toMessage(item, i, state));
      return;
    case "function_call": {
      const args = typeof item.arguments === "string" ? item.arguments : "{}";
      addToolCall(messages, {
        id: str(item.call_id, `input[${i}].call_id`),
        type: "function",
        function: { name: str(item.name, `input[${i}].name`), arguments: args },
      });
      return;
    }
    case "custom_tool_call":
      addToolCall(messages, {
        id: str(item.call_id, `input[${i}].call_id`),
        type: "function",
        function: {
          name: str(item.name, `input[${i}].name`),
          arguments: JSON.stringify({ [CUSTOM_TOOL_ARG]: typeof item.input === "string" ? item.input : "" }),
        },
      });
      return;
    case "function_call_output":
    case "custom_tool_call_output":
      messages.push({
        role: "tool",
        tool_call_id: str(item.call_id, `input[${i}].call_id`),
        content: textOf(item.output),
      });
      return;
    case "reasoning":
      // Reasoning is the provider's own (often encrypted); a chat upstream cannot take it back.
      return;
    default:
      state.skipped.add(String(type));
  }
}

function addToolCall(messages: Message[], call: ToolCall): void {
  const last = messages.at(-1);
  if (last?.role === "assistant") {
    last.tool_calls = [...(last.tool_calls ?? []), call];
    return;
  }
  const message: ChatCompletionAssistantMessageParam = { role: "assistant", content: null, tool_calls: [call] };
  messages.push(message);
}

function toMessage(item: Item, i: number, state: DecodeState): Message {
  switch (item.role) {
    case "system":
    case "developer":
      return { role: "system", content: textOf(item.content) };
    case "assistant":
      return { role: "assistant", content: textOf(item.content) };
    case "user":
      break;
    default:
      throw new HubError(
        "invalid_input",
        `Invalid value for 'input[${i}].role': expected user, assistant, system or developer.`,
        `input[${i}].role`,
      );
  }
  const role = "user";
  if (typeof item.content === "string") return { role, content: item.content };
  if (!Array.isArray(item.content))
    throw new HubError("invalid_input", `Missing required parameter: 'input[${i}].content'.`, `input[${i}].content`);
  const parts: ChatCompletionContentPart[] = [];
  item.content.forEach((p: Record<string, unknown>, j: number) => {
    try {
      parts.push(toUserPart(p, `input[${i}].content[${j}]`));
    } catch (error) {
      if (!(error instanceof HubError)) throw error;
      state.untranslatable ??= error;
    }
  });
  // Text only: one string, which every chat upstream takes (some OpenAI-compatible vendors refuse content arrays).
  const texts = parts.flatMap((p) => (p.type === "text" ? [p.text] : []));
  if (texts.length === parts.length) return { role, content: texts.join("\n") };
  return { role, content: parts };
}

const DETAILS = ["auto", "low", "high"] as const;

function toUserPart(part: Record<string, unknown>, at: string): ChatCompletionContentPart {
  switch (part.type) {
    case "input_text":
    case "output_text":
    case "text":
      return { type: "text", text: typeof part.text === "string" ? part.text : "" };
    case "input_image": {
      const url = typeof part.image_url === "string" ? part.image_url : null;
      if (!url)
        throw new HubError(
          "invalid_input",
          `'${at}.image_url' is required: the hub does not hold uploaded files.`,
          `${at}.image_url`,
        );
      const detail = DETAILS.find((d) => d === part.detail);
      return { type: "image_url", image_url: detail ? { url, detail } : { url } };
    }
    case "input_file": {
      const pick = (k: string) => (typeof part[k] === "string" ? { [k]: part[k] } : {});
      return { type: "file", file: { ...pick("file_data"), ...pick("file_id"), ...pick("filename") } };
    }
    default:
      throw new HubError(
        "invalid_input",
        `Invalid value for '${at}.type': '${String(part.type)}' is not a supported content part.`,
        `${at}.type`,
      );
  }
}

/** Text of a content list or a tool output (string or parts). */
export function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((p: Record<string, unknown>) =>
      typeof p?.text === "string" ? p.text : typeof p?.refusal === "string" ? p.refusal : "",
    )
    .join("");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: unknown, param: string): string {
  if (typeof value === "string" && value !== "") return value;
  throw new HubError("invalid_input", `Missing required parameter: '${param}'.`, param, {
    code: "missing_required_parameter",
  });
}
