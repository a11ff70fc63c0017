/**
 * The fake Bedrock's InvokeModel and InvokeModelWithResponseStream for Anthropic models, as Bedrock documents them
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages.html): the body
 * must carry `anthropic_version: "bedrock-2023-05-31"` and nothing Bedrock does not know ("extraneous key [...] is
 * not permitted", which is what `metadata`, `model` or `stream` get), and the streamed answer is Anthropic's events,
 * each base64-encoded inside an event-stream `chunk` frame. Answers "You said: <last user text>", or a tool_use of
 * the first tool when the text mentions the weather.
 */
import type http from "node:http";
import { encodeEventStreamMessage } from "../../server/providers/bedrock/event-stream";
import type { RecordedRequest } from "./server";
import type { Json } from "../helpers/json";

export const BEDROCK_ANTHROPIC_FIELDS = [
  "anthropic_version",
  "anthropic_beta",
  "max_tokens",
  "system",
  "messages",
  "temperature",
  "top_p",
  "top_k",
  "stop_sequences",
  "tools",
  "tool_choice",
  "thinking",
];

function lastUserText(body: Json): string {
  const turn = [...(body.messages as Json[])].reverse().find((m) => m.role === "user");
  if (!turn) return "";
  if (typeof turn.content === "string") return turn.content;
  return (turn.content as Json[])
    .map((b) => (b.type === "text" ? b.text : b.type === "tool_result" ? `tool: ${JSON.stringify(b.content)}` : ""))
    .join(" ");
}

function answer(body: Json, model: string): Json {
  const text = lastUserText(body);
  const tool = body.tools?.[0];
  const content: Json[] =
    tool && /weather/i.test(text)
      ? [{ type: "tool_use", id: "toolu_bdrk_01", name: tool.name, input: { location: "Seattle, WA" } }]
      : [{ type: "text", text: `You said: ${text}` }];
  const [first] = content;
  const output = first?.type === "text" ? first.text.split(" ").length : 12;
  return {
    id: "msg_bdrk_01",
    type: "message",
    role: "assistant",
    model,
    content,
    stop_reason: first?.type === "tool_use" ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage: {
      input_tokens: Math.ceil(JSON.stringify(body.messages).length / 4),
      output_tokens: output,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    },
  };
}

const chunk = (event: Json) =>
  encodeEventStreamMessage(
    { ":event-type": "chunk", ":content-type": "application/json", ":message-type": "event" },
    JSON.stringify({ bytes: Buffer.from(JSON.stringify(event)).toString("base64"), p: "abcd" }),
  );

function events(m: Json): Json[] {
  const out: Json[] = [
    {
      type: "message_start",
      message: { ...m, content: [], stop_reason: null, usage: { ...m.usage, output_tokens: 1 } },
    },
  ];
  (m.content as Json[]).forEach((block, index) => {
    if (block.type === "text") {
      out.push({ type: "content_block_start", index, content_block: { type: "text", text: "" } });
      for (const piece of (block.text as string).split(/(?<= )/))
        out.push({ type: "content_block_delta", index, delta: { type: "text_delta", text: piece } });
    } else {
      out.push({ type: "content_block_start", index, content_block: { ...block, input: {} } });
      const json = JSON.stringify(block.input);
      for (const piece of [json.slice(0, 7), json.slice(7)])
        out.push({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: piece } });
    }
    out.push({ type: "content_block_stop", index });
  });
  out.push({
    type: "message_delta",
    delta: { stop_reason: m.stop_reason, stop_sequence: null },
    usage: { output_tokens: m.usage.output_tokens },
  });
  out.push({
    type: "message_stop",
    "amazon-bedrock-invocationMetrics": {
      inputTokenCount: m.usage.input_tokens,
      outputTokenCount: m.usage.output_tokens,
      invocationLatency: 321,
      firstByteLatency: 123,
    },
  });
  return out;
}

/** Handles /model/{id}/invoke[-with-response-stream]; `fail` answers a Bedrock error. */
export async function invokeAnthropic(
  req: RecordedRequest,
  res: http.ServerResponse,
  model: string,
  stream: boolean,
  fail: (status: number, type: string, message: string) => void,
): Promise<void> {
  if (!/anthropic\./.test(model))
    return fail(400, "ValidationException", "Malformed input request, please reformat your input and try again.");
  let body: Json;
  try {
    body = JSON.parse(req.body) as Json;
  } catch {
    return fail(400, "SerializationException", "Malformed JSON body");
  }
  const extra = Object.keys(body).find((k) => !BEDROCK_ANTHROPIC_FIELDS.includes(k));
  if (extra)
    return fail(
      400,
      "ValidationException",
      `Malformed input request: #: extraneous key [${extra}] is not permitted, please reformat your input and try again.`,
    );
  if (body.anthropic_version !== "bedrock-2023-05-31")
    return fail(400, "ValidationException", "Malformed input request: #: required key [anthropic_version] not found");
  if (typeof body.max_tokens !== "number" || !Array.isArray(body.messages))
    return fail(400, "ValidationException", "Malformed input request: #: required key [max_tokens] not found");
  if (lastUserText(body).includes("[[429]]"))
    return fail(429, "ThrottlingException", "Too many requests, please wait before trying again.");
  const m = answer(body, model);
  if (!stream) {
    res.writeHead(200, { "content-type": "application/json", "x-amzn-requestid": "fake-request-id" });
    return void res.end(JSON.stringify(m));
  }
  res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream", "x-amzn-requestid": "fake-request-id" });
  const bytes = Buffer.concat(events(m).map(chunk));
  // Odd-sized pieces, so frames arrive split anywhere.
  for (let at = 0; at < bytes.length; at += 37) res.write(bytes.subarray(at, at + 37));
  res.end();
}
