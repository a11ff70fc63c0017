/**
 * The Responses API's SSE wire format (docs/responses-api.md, "Streaming"), as a ChatStreamEncoder of the one chat
 * stream pipeline. Every event is `event: <type>` plus `data: {type, sequence_number, ...}`; `response.created`
 * comes first, each output item and content part is announced before its deltas and closed with its `*.done`
 * events, and the stream ends with `response.completed` (or `response.incomplete` / `response.failed`) carrying
 * usage. There is no `[DONE]`. The openai SDK's ResponseStream throws on a delta for an item it was not told about,
 * and Codex retries any stream that does not end with response.completed.
 *
 * Translated providers: chat chunks become these events here. Native providers: their own events pass through
 * (`raw`), re-numbered, with the response's id and `store` replaced by the hub's (the hub keeps the conversation).
 */
import type { ChatCompletionChunk, TokenUsage, UpstreamError } from "../../providers/types";
import type { ChatStreamEncoder } from "../chat/stream-response.server";
import { customInput, finishedResponse, newId, type ResponseObject } from "./encode";
import type { Item } from "./request-schema";

interface OpenText {
  index: number;
  item: Item;
  text: string;
}

interface OpenCall {
  index: number;
  item: Item;
  args: string;
  custom: boolean;
}

export interface ResponsesStreamOptions {
  shell: ResponseObject;
  customTools: Set<string>;
  /** The provider's own Responses events pass through. */
  native: boolean;
  /** Called with the final response before the client sees its last event (to store it). */
  done: (response: ResponseObject) => Promise<void>;
}

const TERMINAL = new Set(["response.completed", "response.incomplete"]);

export function responsesStreamEncoder(options: ResponsesStreamOptions): ChatStreamEncoder {
  const { shell, customTools } = options;
  let seq = 0;
  let started = false;
  const output: Item[] = [];
  let message: OpenText | null = null;
  let reasoning: OpenText | null = null;
  const calls = new Map<number, OpenCall>();
  let finishReason: string | null = null;
  let heldTerminal: { type: string; response: ResponseObject } | null = null;

  const event = (type: string, payload: Record<string, unknown>): string =>
    `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...payload })}\n\n`;

  const start = (): string => {
    if (started) return "";
    started = true;
    return event("response.created", { response: shell }) + event("response.in_progress", { response: shell });
  };

  const openText = (kind: "message" | "reasoning"): OpenText => {
    const index = output.length;
    const item: Item =
      kind === "message"
        ? { type: "message", id: newId("msg"), status: "in_progress", role: "assistant", content: [] }
        : { type: "reasoning", id: newId("rs"), summary: [], content: [] };
    output.push(item);
    return { index, item, text: "" };
  };

  const textEvents = (kind: "message" | "reasoning") =>
    kind === "message"
      ? { part: "output_text", delta: "response.output_text.delta", done: "response.output_text.done" }
      : { part: "reasoning_text", delta: "response.reasoning_text.delta", done: "response.reasoning_text.done" };

  const addText = (kind: "message" | "reasoning", delta: string): string => {
    let out = "";
    let open = kind === "message" ? message : reasoning;
    if (!open) {
      out += closeText(kind === "message" ? "reasoning" : "message");
      open = openText(kind);
      if (kind === "message") message = open;
      else reasoning = open;
      const part =
        kind === "message" ? { type: "output_text", text: "", annotations: [] } : { type: "reasoning_text", text: "" };
      out += event("response.output_item.added", { output_index: open.index, item: open.item });
      out += event("response.content_part.added", {
        item_id: open.item.id,
        output_index: open.index,
        content_index: 0,
        part,
      });
    }
    open.text += delta;
    const at = { item_id: open.item.id, output_index: open.index, content_index: 0 };
    return out + event(textEvents(kind).delta, { ...at, delta, ...(kind === "message" ? { logprobs: [] } : {}) });
  };

  const closeText = (kind: "message" | "reasoning"): string => {
    const open = kind === "message" ? message : reasoning;
    if (!open) return "";
    if (kind === "message") message = null;
    else reasoning = null;
    const names = textEvents(kind);
    const at = { item_id: open.item.id, output_index: open.index, content_index: 0 };
    const part =
      kind === "message"
        ? { type: "output_text", text: open.text, annotations: [], logprobs: [] }
        : { type: "reasoning_text", text: open.text };
    const item =
      kind === "message" ? { ...open.item, status: "completed", content: [part] } : { ...open.item, content: [part] };
    output[open.index] = item;
    return (
      event(names.done, { ...at, text: open.text, ...(kind === "message" ? { logprobs: [] } : {}) }) +
      event("response.content_part.done", { ...at, part }) +
      event("response.output_item.done", { output_index: open.index, item })
    );
  };

  const addCall = (delta: {
    index?: number;
    id?: string;
    function?: { name?: string; arguments?: string };
  }): string => {
    const key = delta.index ?? 0;
    let out = "";
    let call = calls.get(key);
    if (!call) {
      out += closeText("reasoning") + closeText("message");
      const name = delta.function?.name ?? "";
      const custom = customTools.has(name);
      const callId = delta.id || newId("call");
      const item: Item = custom
        ? { type: "custom_tool_call", id: newId("ctc"), status: "in_progress", call_id: callId, name, input: "" }
        : { type: "function_call", id: newId("fc"), status: "in_progress", call_id: callId, name, arguments: "" };
      call = { index: output.length, item, args: "", custom };
      output.push(item);
      calls.set(key, call);
      out += event("response.output_item.added", { output_index: call.index, item });
    }
    const piece = delta.function?.arguments ?? "";
    if (piece) {
      call.args += piece;
      // A custom tool's input is the string inside the JSON arguments: known whole only at the end.
      if (!call.custom)
        out += event("response.function_call_arguments.delta", {
          item_id: call.item.id,
          output_index: call.index,
          delta: piece,
        });
    }
    return out;
  };

  const closeCalls = (): string => {
    let out = "";
    for (const call of calls.values()) {
      const at = { item_id: call.item.id, output_index: call.index };
      if (call.custom) {
        const input = customInput(call.args);
        const item = { ...call.item, status: "completed", input };
        output[call.index] = item;
        out += event("response.custom_tool_call_input.delta", { ...at, delta: input });
        out += event("response.custom_tool_call_input.done", { ...at, input });
        out += event("response.output_item.done", { output_index: call.index, item });
      } else {
        const item = { ...call.item, status: "completed", arguments: call.args };
        output[call.index] = item;
        out += event("response.function_call_arguments.done", { ...at, name: call.item.name, arguments: call.args });
        out += event("response.output_item.done", { output_index: call.index, item });
      }
    }
    calls.clear();
    return out;
  };

  /** A native event as the client sees it: numbered in this stream, the response under the hub's id. */
  const forward = (raw: Record<string, unknown>): string => {
    const type = String(raw.type);
    const { type: _t, sequence_number: _s, ...payload } = raw;
    if (payload.response && typeof payload.response === "object")
      payload.response = asHubResponse(payload.response as Record<string, unknown>);
    return event(type, payload);
  };

  const asHubResponse = (response: Record<string, unknown>): ResponseObject => ({
    ...response,
    id: shell.id,
    model: shell.model,
    store: shell.store,
    previous_response_id: shell.previous_response_id,
    output: Array.isArray(response.output) ? (response.output as Item[]) : [],
  });

  return {
    chunk(chunk: ChatCompletionChunk) {
      if (options.native) return "";
      let out = start();
      for (const choice of chunk.choices ?? []) {
        if (choice.index !== 0 && choice.index !== undefined) continue;
        const d = (choice.delta ?? {}) as {
          content?: string | null;
          reasoning_content?: string | null;
          tool_calls?: Array<{ index?: number; id?: string; function?: { name?: string; arguments?: string } }>;
        };
        if (d.reasoning_content) out += addText("reasoning", d.reasoning_content);
        if (d.content) out += addText("message", d.content);
        for (const call of d.tool_calls ?? []) out += addCall(call);
        if (choice.finish_reason) finishReason = choice.finish_reason;
      }
      return out;
    },
    raw(events: unknown[]) {
      let out = "";
      for (const e of events) {
        const raw = e as Record<string, unknown>;
        const type = String(raw.type);
        if (type === "response.created") started = true;
        // Failures end the stream through error() (the parser reports them); the terminal event waits for end().
        if (type === "error" || type === "response.failed") continue;
        if (TERMINAL.has(type)) {
          heldTerminal = { type, response: asHubResponse((raw.response ?? {}) as Record<string, unknown>) };
          continue;
        }
        out += forward(raw);
      }
      return out;
    },
    async end(usage: TokenUsage) {
      let out = start();
      let type: string;
      let response: ResponseObject;
      if (options.native && heldTerminal) {
        ({ type, response } = heldTerminal);
      } else {
        out += closeText("reasoning") + closeText("message") + closeCalls();
        response = finishedResponse(shell, output, finishReason, usage);
        type = response.status === "incomplete" ? "response.incomplete" : "response.completed";
      }
      await options.done(response);
      return out + event(type, { response });
    },
    error(error: UpstreamError) {
      const code = error.code ?? (error.status >= 500 ? "server_error" : error.type);
      const failed = { ...shell, status: "failed", output, error: { code, message: error.message } };
      return (
        start() +
        event("error", { code, message: error.message, param: null }) +
        event("response.failed", { response: failed })
      );
    },
  };
}
