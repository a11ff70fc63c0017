/**
 * A fake of OpenAI's Responses API (POST /v1/responses, JSON or SSE), built from the documented examples
 * (https://platform.openai.com/docs/api-reference/responses/create and .../responses-streaming): the response
 * object's fields, the event order of a text answer and of a function call, `sequence_number`, no `[DONE]`.
 * Like OpenAI with `store: false`, it refuses input items that carry an id it never stored and a
 * `previous_response_id` it does not know, so tests prove the hub sends the whole conversation itself.
 *
 * Rules: the reply is `options.reply`; input_tokens = ceil(characters of all input text / 4), output_tokens =
 * ceil(characters of the output / 4), at least 1; cached_tokens = options.cachedTokens (capped). Function tools and
 * "weather" in the last item, a user message, → a call of the first function tool with {"location":"Paris"}, its arguments
 * streamed in 6-character pieces. Models starting with "o4" or "gpt-5" first add a reasoning item (with
 * encrypted_content when `include` asks for it). Magic words in the last user text: "[[429]]" / "[[500]]" answer
 * those errors; "[[break]]" destroys the socket after 4 events; "[[fail]]" sends an `error` and `response.failed`
 * after the first text delta; "[[slow]]" spaces events 100 ms apart. `closedEarly()` counts streams whose client
 * went away before the last event.
 */
import type http from "node:http";
import { startFakeUpstream, writeSse, type FakeUpstream } from "./server";
import type { Json } from "../helpers/json";

export interface FakeResponsesOptions {
  apiKey?: string;
  reply?: string;
  cachedTokens?: number;
}

const TOOL_ARGUMENTS = '{"location":"Paris"}';
let seq = 0;
const id = (prefix: string) => `${prefix}_${(++seq).toString(16).padStart(8, "0")}${"fake".repeat(10)}`;

export async function startFakeOpenAIResponses(
  options: FakeResponsesOptions = {},
): Promise<FakeUpstream & { closedEarly: () => number }> {
  const reply = options.reply ?? "Hello from the fake Responses upstream!";
  let closedEarly = 0;
  const fake = await startFakeUpstream(async (req, res) => {
    const path = req.path.split("?")[0];
    if (req.headers.authorization !== `Bearer ${options.apiKey ?? "sk-test"}`) {
      return sendError(res, 401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
    }
    if (req.method !== "POST" || path !== "/v1/responses")
      return sendError(res, 404, `Invalid URL (${req.method} ${path})`, "invalid_request_error", null);
    let body: Json;
    try {
      body = JSON.parse(req.body);
    } catch {
      return sendError(res, 400, "We could not parse the JSON body of your request.", "invalid_request_error", null);
    }
    if (body.previous_response_id) {
      return sendError(
        res,
        400,
        `Previous response with id '${body.previous_response_id}' not found.`,
        "invalid_request_error",
        "previous_response_not_found",
        "previous_response_id",
      );
    }
    const items: Json[] =
      typeof body.input === "string"
        ? [{ role: "user", content: body.input }]
        : Array.isArray(body.input)
          ? body.input
          : [];
    const unknownId = items.find((i) => typeof i.id === "string" && !(i.type === "reasoning" && i.encrypted_content));
    if (body.store === false && unknownId) {
      return sendError(
        res,
        404,
        `Item with id '${unknownId.id}' not found. Items are not persisted when \`store\` is set to false.`,
        "invalid_request_error",
        null,
        "input",
      );
    }
    const userText = lastUserText(items);
    if (userText.includes("[[429]]"))
      return sendError(res, 429, "Rate limit reached for requests.", "requests", "rate_limit_exceeded", null, {
        "retry-after": "1",
      });
    if (userText.includes("[[500]]"))
      return sendError(res, 500, "The server had an error while processing your request.", "server_error", null);

    const lastIsUser = items.at(-1)?.role === "user";
    const tool =
      Array.isArray(body.tools) && lastIsUser && /weather/i.test(userText)
        ? body.tools.find((t: Json) => t.type === "function")
        : undefined;
    const reasoning = /^(o4|gpt-5)/.test(String(body.model));
    const encrypted = Array.isArray(body.include) && body.include.includes("reasoning.encrypted_content");
    const inputChars =
      (typeof body.instructions === "string" ? body.instructions.length : 0) +
      items.reduce((n, i) => n + itemText(i).length, 0);
    const outputText = tool ? `${tool.name}${TOOL_ARGUMENTS}` : reply;
    const input = tokens(inputChars);
    const output = tokens(outputText.length) + (reasoning ? 64 : 0);
    const usage = {
      input_tokens: input,
      input_tokens_details: { cached_tokens: Math.min(options.cachedTokens ?? 0, input) },
      output_tokens: output,
      output_tokens_details: { reasoning_tokens: reasoning ? 64 : 0 },
      total_tokens: input + output,
    };
    const rsItem = {
      id: id("rs"),
      type: "reasoning",
      summary: [],
      ...(encrypted ? { encrypted_content: "gAAAAABfakeEncryptedReasoning==" } : {}),
    };
    const msgId = id("msg");
    const message = {
      id: msgId,
      type: "message",
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", annotations: [], logprobs: [], text: reply }],
    };
    const call = tool
      ? {
          id: id("fc"),
          type: "function_call",
          status: "completed",
          arguments: TOOL_ARGUMENTS,
          call_id: id("call"),
          name: tool.name,
        }
      : null;
    const output_ = [...(reasoning ? [rsItem] : []), call ?? message];
    const base = {
      id: id("resp"),
      object: "response",
      created_at: Math.floor(Date.now() / 1000),
      error: null,
      incomplete_details: null,
      instructions: body.instructions ?? null,
      max_output_tokens: body.max_output_tokens ?? null,
      model: `${body.model}-2025-04-14`,
      parallel_tool_calls: body.parallel_tool_calls ?? true,
      previous_response_id: null,
      reasoning: { effort: body.reasoning?.effort ?? null, summary: body.reasoning?.summary ?? null },
      store: body.store ?? true,
      temperature: body.temperature ?? 1,
      text: body.text ?? { format: { type: "text" } },
      tool_choice: body.tool_choice ?? "auto",
      tools: body.tools ?? [],
      top_p: body.top_p ?? 1,
      truncation: "disabled",
      user: null,
      metadata: body.metadata ?? {},
    };
    const done = { ...base, status: "completed", output: output_, usage };
    if (body.stream !== true) return sendJson(res, 200, done);

    let n = 0;
    const events: Array<{ event: string; data: string }> = [];
    const push = (type: string, payload: Json) =>
      events.push({ event: type, data: JSON.stringify({ type, sequence_number: n++, ...payload }) });
    const inProgress = { ...base, status: "in_progress", output: [], usage: null };
    push("response.created", { response: inProgress });
    push("response.in_progress", { response: inProgress });
    let index = 0;
    if (reasoning) {
      push("response.output_item.added", { output_index: index, item: rsItem });
      push("response.output_item.done", { output_index: index, item: rsItem });
      index++;
    }
    if (call) {
      push("response.output_item.added", {
        output_index: index,
        item: { ...call, status: "in_progress", arguments: "" },
      });
      for (const piece of TOOL_ARGUMENTS.match(/.{1,6}/g) ?? [])
        push("response.function_call_arguments.delta", { item_id: call.id, output_index: index, delta: piece });
      push("response.function_call_arguments.done", {
        item_id: call.id,
        output_index: index,
        arguments: TOOL_ARGUMENTS,
      });
      push("response.output_item.done", { output_index: index, item: call });
    } else {
      const at = { item_id: msgId, output_index: index, content_index: 0 };
      push("response.output_item.added", {
        output_index: index,
        item: { id: msgId, type: "message", status: "in_progress", role: "assistant", content: [] },
      });
      push("response.content_part.added", {
        ...at,
        part: { type: "output_text", annotations: [], logprobs: [], text: "" },
      });
      const pieces = reply.match(/\s*\S+|\s+$/g) ?? [];
      pieces.forEach((piece, i) => {
        push("response.output_text.delta", { ...at, delta: piece, logprobs: [] });
        if (i === 0 && userText.includes("[[fail]]")) {
          push("error", { code: "server_error", message: "The model failed mid-answer.", param: null });
          push("response.failed", {
            response: {
              ...base,
              status: "failed",
              output: [],
              usage: null,
              error: { code: "server_error", message: "The model failed mid-answer." },
            },
          });
        }
      });
      if (userText.includes("[[fail]]"))
        return writeSse(res, events.slice(0, events.findIndex((e) => e.event === "response.failed") + 1));
      push("response.output_text.done", { ...at, text: reply, logprobs: [] });
      push("response.content_part.done", { ...at, part: message.content[0] });
      push("response.output_item.done", { output_index: index, item: message });
    }
    push("response.completed", { response: done });
    res.once("close", () => {
      if (!res.writableEnded) closedEarly++;
    });
    const pace = userText.includes("[[slow]]") ? { delayMs: 100 } : {};
    return writeSse(res, events, userText.includes("[[break]]") ? { breakAfter: 4, delayMs: 1 } : pace);
  });
  return { ...fake, closedEarly: () => closedEarly };
}

function itemText(item: Json): string {
  if (typeof item.content === "string") return item.content;
  if (Array.isArray(item.content))
    return item.content.map((p: Json) => (typeof p.text === "string" ? p.text : "")).join("");
  if (typeof item.output === "string") return item.output;
  if (typeof item.arguments === "string") return item.arguments;
  return "";
}

function lastUserText(items: Json[]): string {
  const item = items.findLast((i) => i.role === "user");
  return item ? itemText(item) : "";
}

const tokens = (chars: number) => Math.max(1, Math.ceil(chars / 4));

function sendJson(
  res: http.ServerResponse,
  status: number,
  payload: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", "x-request-id": "req_fake", ...headers });
  res.end(JSON.stringify(payload));
}

function sendError(
  res: http.ServerResponse,
  status: number,
  message: string,
  type: string,
  code: string | null,
  param: string | null = null,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error: { message, type, param, code } }, headers);
}
