/**
 * The Responses API's answer object (docs/responses-api.md, "Answer"): the shell that echoes the request, output
 * items from a chat completion, usage, and how status follows the finish reason. Pure.
 */
import { randomBytes } from "node:crypto";
import type { ChatCompletion, TokenUsage } from "../../providers/types";
import { CUSTOM_TOOL_ARG } from "./decode";
import type { Item, ResponsesBody } from "./request-schema";

export type ResponseObject = Record<string, unknown> & { id: string; output: Item[] };

/** OpenAI-style ids: a prefix and 48 hex characters ("resp_…", "msg_…", "fc_…"). */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(24).toString("hex")}`;
}

/** The response as it starts: everything the request said, no output yet. */
export function responseShell(body: ResponsesBody, id: string, stored: boolean): ResponseObject {
  return {
    id,
    object: "response",
    created_at: Math.floor(Date.now() / 1000),
    status: "in_progress",
    background: false,
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    metadata: body.metadata ?? {},
    model: body.model,
    output: [],
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    prompt_cache_key: body.prompt_cache_key ?? null,
    reasoning: {
      effort: body.reasoning?.effort ?? null,
      summary: (body.reasoning?.summary as string | undefined) ?? null,
    },
    store: stored,
    temperature: body.temperature ?? 1,
    text: body.text ?? { format: { type: "text" } },
    tool_choice: body.tool_choice ?? "auto",
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: "disabled",
    usage: null,
    user: body.user ?? null,
  };
}

/** The hub's usage in the Responses shape; cached tokens are part of input_tokens, as in OpenAI's. */
function toResponsesUsage(usage: TokenUsage) {
  const input = usage.inputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + output,
  };
}

/** status and incomplete_details from a chat finish reason. */
function statusOf(finishReason: string | null | undefined) {
  if (finishReason === "length") return { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } };
  if (finishReason === "content_filter")
    return { status: "incomplete", incomplete_details: { reason: "content_filter" } };
  return { status: "completed", incomplete_details: null };
}

function messageItem(text: string, id = newId("msg")): Item {
  return {
    type: "message",
    id,
    status: "completed",
    role: "assistant",
    content: [{ type: "output_text", text, annotations: [], logprobs: [] }],
  };
}

function reasoningItem(text: string, id = newId("rs")): Item {
  return { type: "reasoning", id, summary: [], content: [{ type: "reasoning_text", text }] };
}

/** A chat tool call as the Responses item the client offered: a function call, or a freeform custom tool's call. */
function toolCallItem(
  call: { id?: string; name: string; arguments: string },
  customTools: Set<string>,
  id?: string,
): Item {
  const callId = call.id || newId("call");
  if (customTools.has(call.name)) {
    return {
      type: "custom_tool_call",
      id: id ?? newId("ctc"),
      status: "completed",
      call_id: callId,
      name: call.name,
      input: customInput(call.arguments),
    };
  }
  return {
    type: "function_call",
    id: id ?? newId("fc"),
    status: "completed",
    call_id: callId,
    name: call.name,
    arguments: call.arguments,
  };
}

/** A custom tool's free text from the one-string function's arguments (the raw text when they are not that JSON). */
export function customInput(args: string): string {
  try {
    const parsed = JSON.parse(args) as Record<string, unknown>;
    if (parsed && typeof parsed[CUSTOM_TOOL_ARG] === "string") return parsed[CUSTOM_TOOL_ARG];
  } catch {
    // Not the JSON we asked for: the model wrote the input directly, which is what the custom tool wants anyway.
  }
  return args;
}

export function outputOf(
  completion: ChatCompletion,
  customTools: Set<string>,
): { output: Item[]; finishReason: string | null } {
  const choice = completion.choices?.[0];
  const message = (choice?.message ?? {}) as {
    content?: string | null;
    reasoning_content?: string | null;
    tool_calls?: Array<{ id?: string; function?: { name?: string; arguments?: string } }>;
  };
  const output: Item[] = [];
  if (message.reasoning_content) output.push(reasoningItem(message.reasoning_content));
  if (message.content) output.push(messageItem(message.content));
  for (const call of message.tool_calls ?? []) {
    output.push(
      toolCallItem(
        { id: call.id, name: call.function?.name ?? "", arguments: call.function?.arguments ?? "" },
        customTools,
      ),
    );
  }
  return { output, finishReason: choice?.finish_reason ?? null };
}

export function finishedResponse(
  shell: ResponseObject,
  output: Item[],
  finishReason: string | null,
  usage: TokenUsage,
): ResponseObject {
  return { ...shell, ...statusOf(finishReason), output, usage: toResponsesUsage(usage) };
}
