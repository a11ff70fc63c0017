/**
 * A fake Anthropic API on 127.0.0.1 that answers like the real one, built from the documented examples:
 *   - https://docs.anthropic.com/en/api/messages            (Message JSON)
 *   - https://docs.anthropic.com/en/api/messages-streaming  (event sequence, ping, error event)
 *   - https://docs.anthropic.com/en/api/errors              (error bodies, 429 retry-after, 529 overloaded)
 *   - https://docs.anthropic.com/en/api/models-list         (GET /v1/models page)
 * The real @anthropic-ai/sdk client talks to it in server/providers/anthropic/anthropic.test.ts, which keeps
 * it honest.
 *
 * Behaviour, driven by the request (so end-to-end tests need no extra wiring):
 *   - tools present and the last user message mentions "weather" → text + `tool_use` (stop_reason tool_use)
 *   - `thinking: {type: "enabled"}` → a thinking block first
 *   - `cache_control` anywhere in the body → usage.cache_read_input_tokens = FAKE_CACHE_READ_TOKENS (and
 *     cache_creation_input_tokens = options.cacheWriteTokens)
 *   - otherwise the answer is `You said: <last user text>`, cut by stop_sequences and max_tokens (1 word = 1 token)
 * Scenarios, from `options.scenario` or a magic word in the last user message: [[429]] [[529]] [[break]]
 * [[slow]] [[error-event]].
 */
import type http from "node:http";
import { type FakeUpstream, type RecordedRequest, startFakeUpstream, writeSse } from "./server";

export const FAKE_ANTHROPIC_KEY = "sk-ant-fake-0000";
export const FAKE_CACHE_READ_TOKENS = 1024;
export const FAKE_ANTHROPIC_MODELS = ["claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001"];
/** From the thinking example in the streaming docs (an opaque value to clients). */
const FAKE_SIGNATURE = "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds";

export type FakeAnthropicScenario = "429" | "529" | "break" | "slow" | "error-event";

export interface FakeAnthropicOptions {
  /** The only key accepted (default FAKE_ANTHROPIC_KEY). */
  apiKey?: string;
  /** Force a scenario for every request instead of reading magic words. */
  scenario?: FakeAnthropicScenario;
  /** First-byte delay for the slow scenario (default 300 ms). */
  slowMs?: number;
  /** Reported as cache_creation_input_tokens when the body has cache_control (default 0). */
  cacheWriteTokens?: number;
}

type Block =
  | { type: "text"; text: string }
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

interface Answer {
  content: Block[];
  stop_reason: "end_turn" | "max_tokens" | "stop_sequence" | "tool_use";
  stop_sequence: string | null;
  usage: {
    input_tokens: number;
    output_tokens: number;
    cache_creation_input_tokens: number;
    cache_read_input_tokens: number;
  };
}

interface MessagesBody {
  model?: unknown;
  max_tokens?: unknown;
  messages?: Array<{ role?: string; content?: unknown }>;
  tools?: Array<{ name: string }>;
  tool_choice?: { type?: string };
  stop_sequences?: string[];
  thinking?: { type?: string };
  stream?: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", "request-id": "req_fake", ...headers });
  res.end(JSON.stringify(body));
}

function sendError(
  res: http.ServerResponse,
  status: number,
  type: string,
  message: string,
  headers?: Record<string, string>,
) {
  sendJson(res, status, { type: "error", error: { type, message }, request_id: "req_fake" }, headers);
}

/** Text of the last user turn, and the content of any tool_result blocks in it. */
function lastUserTurn(body: MessagesBody): { text: string; toolResults: string[] } {
  const turn = [...(body.messages ?? [])].reverse().find((m) => m.role === "user");
  if (!turn) return { text: "", toolResults: [] };
  if (typeof turn.content === "string") return { text: turn.content, toolResults: [] };
  const blocks = Array.isArray(turn.content) ? (turn.content as Array<Record<string, unknown>>) : [];
  const textOf = (c: unknown): string =>
    typeof c === "string" ? c : Array.isArray(c) ? c.map((b: { text?: string }) => b.text ?? "").join(" ") : "";
  return {
    text: blocks
      .filter((b) => b.type === "text")
      .map((b) => textOf([b]))
      .join(" "),
    toolResults: blocks.filter((b) => b.type === "tool_result").map((b) => textOf(b.content)),
  };
}

function validate(body: MessagesBody | null): string | null {
  if (!body || typeof body !== "object") return "request body must be a JSON object";
  if (typeof body.model !== "string") return "model: Field required";
  if (typeof body.max_tokens !== "number" || !Number.isInteger(body.max_tokens) || body.max_tokens < 1) {
    return "max_tokens: Field required";
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) return "messages: at least one message is required";
  // System messages inside `messages` are part of the 2026 API (SystemMessageParam in @anthropic-ai/sdk 1.12).
  const bad = body.messages.findIndex((m) => m.role !== "user" && m.role !== "assistant" && m.role !== "system");
  if (bad !== -1) return `messages.${bad}.role: Input should be 'user', 'assistant' or 'system'`;
  return null;
}

function compose(body: MessagesBody, raw: string, nextId: (prefix: string) => string, cacheWrite = 0): Answer {
  const { text, toolResults } = lastUserTurn(body);
  const content: Block[] = [];
  if (body.thinking?.type === "enabled") {
    content.push({
      type: "thinking",
      thinking: "The user wrote something; I will answer it.",
      signature: FAKE_SIGNATURE,
    });
  }
  let stop_reason: Answer["stop_reason"] = "end_turn";
  let stop_sequence: string | null = null;
  const tool = body.tools?.[0];
  if (tool && body.tool_choice?.type !== "none" && /weather/i.test(text)) {
    // The tool-use example from https://docs.anthropic.com/en/api/messages-streaming#streaming-request-with-tool-use
    content.push({ type: "text", text: "Okay, let's check the weather for San Francisco, CA:" });
    content.push({
      type: "tool_use",
      id: nextId("toolu_fake_"),
      name: tool.name,
      input: { location: "San Francisco, CA", unit: "fahrenheit" },
    });
    stop_reason = "tool_use";
  } else {
    let answer = toolResults.length > 0 ? `The tool said: ${toolResults.join(" ")}` : `You said: ${text}`;
    for (const seq of body.stop_sequences ?? []) {
      const at = answer.indexOf(seq);
      if (seq && at !== -1) [answer, stop_reason, stop_sequence] = [answer.slice(0, at), "stop_sequence", seq];
    }
    const words = answer.split(/(?<=\s)/);
    if (words.length > (body.max_tokens as number)) {
      [answer, stop_reason, stop_sequence] = [words.slice(0, body.max_tokens as number).join(""), "max_tokens", null];
    }
    content.push({ type: "text", text: answer });
  }
  const output = content.reduce(
    (n, b) =>
      n +
      (b.type === "tool_use"
        ? Math.ceil(JSON.stringify(b.input).length / 4)
        : (b.type === "text" ? b.text : b.thinking).split(/\s+/).length),
    0,
  );
  return {
    content,
    stop_reason,
    stop_sequence,
    usage: {
      input_tokens: Math.ceil(JSON.stringify(body.messages).length / 4),
      output_tokens: output,
      cache_creation_input_tokens: raw.includes('"cache_control"') ? cacheWrite : 0,
      cache_read_input_tokens: raw.includes('"cache_control"') ? FAKE_CACHE_READ_TOKENS : 0,
    },
  };
}

/** The documented event sequence, deltas cut small so clients see real incremental streaming. */
function streamEvents(id: string, model: string, a: Answer): Array<{ event: string; data: string }> {
  const ev = (event: string, data: object) => ({ event, data: JSON.stringify({ type: event, ...data }) });
  const events = [
    ev("message_start", {
      message: {
        id,
        type: "message",
        role: "assistant",
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...a.usage, output_tokens: 1 },
      },
    }),
  ];
  a.content.forEach((block, index) => {
    const delta = (d: object) => ev("content_block_delta", { index, delta: d });
    if (block.type === "text") {
      events.push(ev("content_block_start", { index, content_block: { type: "text", text: "" } }));
      if (index === 0) events.push(ev("ping", {}));
      for (const piece of block.text.split(/(?<=\s)/)) events.push(delta({ type: "text_delta", text: piece }));
    } else if (block.type === "thinking") {
      events.push(
        ev("content_block_start", { index, content_block: { type: "thinking", thinking: "", signature: "" } }),
      );
      if (index === 0) events.push(ev("ping", {}));
      for (const piece of block.thinking.split(/(?<=\s)/))
        events.push(delta({ type: "thinking_delta", thinking: piece }));
      events.push(delta({ type: "signature_delta", signature: block.signature }));
    } else {
      events.push(
        ev("content_block_start", {
          index,
          content_block: { type: "tool_use", id: block.id, name: block.name, input: {} },
        }),
      );
      const json = JSON.stringify(block.input);
      events.push(delta({ type: "input_json_delta", partial_json: "" }));
      for (let i = 0; i < json.length; i += 12)
        events.push(delta({ type: "input_json_delta", partial_json: json.slice(i, i + 12) }));
    }
    events.push(ev("content_block_stop", { index }));
  });
  events.push(
    ev("message_delta", {
      delta: { stop_reason: a.stop_reason, stop_sequence: a.stop_sequence },
      usage: { output_tokens: a.usage.output_tokens },
    }),
  );
  events.push(ev("message_stop", {}));
  return events;
}

/** The fake's token counter: a quarter of the JSON length of what counts (distinct from the hub's own estimate). */
export function fakeTokenCount(body: { system?: unknown; messages?: unknown; tools?: unknown }): number {
  return Math.ceil(JSON.stringify([body.system ?? null, body.messages, body.tools ?? null]).length / 4);
}

/** https://docs.anthropic.com/en/api/messages-count-tokens: generation-only fields are refused as extra inputs. */
function countTokens(req: RecordedRequest, res: http.ServerResponse): void {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(req.body) as Record<string, unknown>;
  } catch {
    return sendError(res, 400, "invalid_request_error", "request body is not valid JSON");
  }
  if (typeof body.model !== "string") return sendError(res, 400, "invalid_request_error", "model: Field required");
  if (!Array.isArray(body.messages)) return sendError(res, 400, "invalid_request_error", "messages: Field required");
  for (const extra of ["max_tokens", "stream", "metadata"]) {
    if (extra in body) return sendError(res, 400, "invalid_request_error", `${extra}: Extra inputs are not permitted`);
  }
  sendJson(res, 200, { input_tokens: fakeTokenCount(body) });
}

export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeUpstream> {
  const apiKey = options.apiKey ?? FAKE_ANTHROPIC_KEY;
  let counter = 0;
  const nextId = (prefix: string) => `${prefix}${String(++counter).padStart(4, "0")}`;

  async function messages(req: RecordedRequest, res: http.ServerResponse): Promise<void> {
    let body: MessagesBody;
    try {
      body = JSON.parse(req.body) as MessagesBody;
    } catch {
      return sendError(res, 400, "invalid_request_error", "request body is not valid JSON");
    }
    const invalid = validate(body);
    if (invalid) return sendError(res, 400, "invalid_request_error", invalid);
    const magic = /\[\[(429|529|break|slow|error-event)\]\]/.exec(lastUserTurn(body).text)?.[1];
    const scenario = options.scenario ?? (magic as FakeAnthropicScenario | undefined);
    if (scenario === "429") {
      const message =
        "Number of request tokens has exceeded your per-minute rate limit (https://docs.anthropic.com/en/api/rate-limits)";
      return sendError(res, 429, "rate_limit_error", message, { "retry-after": "1" });
    }
    if (scenario === "529") return sendError(res, 529, "overloaded_error", "Overloaded");
    if (scenario === "slow") await sleep(options.slowMs ?? 300);

    const answer = compose(body, req.body, nextId, options.cacheWriteTokens);
    const id = nextId("msg_fake_");
    const model = body.model as string;
    if (!body.stream) {
      return sendJson(res, 200, { id, type: "message", role: "assistant", model, ...answer });
    }
    const events = streamEvents(id, model, answer);
    // The pause lets each write reach the socket before it is destroyed (Node flushes on a later tick).
    if (scenario === "break") return writeSse(res, events, { breakAfter: 5, delayMs: 5 });
    if (scenario === "error-event") {
      const error = { type: "error", error: { type: "overloaded_error", message: "Overloaded" } };
      return writeSse(res, [...events.slice(0, 5), { event: "error", data: JSON.stringify(error) }]);
    }
    return writeSse(res, events);
  }

  return startFakeUpstream(async (req, res) => {
    const path = req.path.split("?")[0];
    // API version 2023-06-01 authenticates with x-api-key; the SDK 1.x (API 2026-10-21) sends a Bearer token.
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
    const key = req.headers["x-api-key"] ?? bearer;
    if (!key) return sendError(res, 401, "authentication_error", "x-api-key header is required");
    if (key !== apiKey) return sendError(res, 401, "authentication_error", "invalid x-api-key");
    if (!req.headers["anthropic-version"]) {
      return sendError(res, 400, "invalid_request_error", "anthropic-version: header is required");
    }
    if (req.method === "POST" && path === "/v1/messages") return messages(req, res);
    if (req.method === "POST" && path === "/v1/messages/count_tokens") return countTokens(req, res);
    if (req.method === "GET" && path === "/v1/models") {
      const data = FAKE_ANTHROPIC_MODELS.map((id) => ({
        type: "model",
        id,
        display_name: id.startsWith("claude-sonnet") ? "Claude Sonnet 4.5" : "Claude Haiku 4.5",
        created_at: id.includes("2025092") ? "2025-09-29T00:00:00Z" : "2025-10-01T00:00:00Z",
      }));
      return sendJson(res, 200, { data, has_more: false, first_id: data.at(0)?.id, last_id: data.at(-1)?.id });
    }
    return sendError(res, 404, "not_found_error", "Not found");
  });
}
