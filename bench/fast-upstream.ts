/**
 * A fast fake OpenAI upstream for the benchmark: fixed answers, pre-serialised, so the numbers measure the hub
 * and not the fake. Prints its URL on stdout. POST /v1/chat/completions answers JSON, or SSE when
 * "stream": true appears in the body (20 chunks, then usage and [DONE]). POST /v1/responses answers OpenAI's
 * Responses JSON, or its SSE events (created, the message announced, 20 text deltas, the done events, completed).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

const completion = JSON.stringify({
  id: "chatcmpl-bench",
  object: "chat.completion",
  created: 1_700_000_000,
  model: "gpt-4o-mini",
  choices: [
    { index: 0, message: { role: "assistant", content: "Hello! This is a benchmark answer." }, finish_reason: "stop" },
  ],
  usage: { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 },
});
const chunk = (content: string) =>
  `data: ${JSON.stringify({ id: "chatcmpl-bench", object: "chat.completion.chunk", created: 1_700_000_000, model: "gpt-4o-mini", choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
const streamBody =
  Array.from({ length: 20 }, (_, i) => chunk(`w${i} `)).join("") +
  `data: ${JSON.stringify({ id: "chatcmpl-bench", object: "chat.completion.chunk", created: 1_700_000_000, model: "gpt-4o-mini", choices: [], usage: { prompt_tokens: 12, completion_tokens: 20, total_tokens: 32 } })}\n\n` +
  "data: [DONE]\n\n";

const outputText = { type: "output_text", text: "Hello! This is a benchmark answer.", annotations: [] };
const message = { id: "msg_bench", type: "message", status: "completed", role: "assistant", content: [outputText] };
const responseBase = {
  id: "resp_bench",
  object: "response",
  created_at: 1_700_000_000,
  model: "gpt-4o-mini",
  error: null,
};
const responseUsage = {
  input_tokens: 12,
  input_tokens_details: { cached_tokens: 0 },
  output_tokens: 20,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: 32,
};
const responseJson = JSON.stringify({ ...responseBase, status: "completed", output: [message], usage: responseUsage });
const responseEvents = (() => {
  let n = 0;
  const at = { item_id: "msg_bench", output_index: 0, content_index: 0 };
  const ev = (type: string, payload: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: n++, ...payload })}\n\n`;
  const open = { ...responseBase, status: "in_progress", output: [], usage: null };
  return (
    ev("response.created", { response: open }) +
    ev("response.in_progress", { response: open }) +
    ev("response.output_item.added", { output_index: 0, item: { ...message, status: "in_progress", content: [] } }) +
    ev("response.content_part.added", { ...at, part: { type: "output_text", text: "", annotations: [] } }) +
    Array.from({ length: 20 }, (_, i) => ev("response.output_text.delta", { ...at, delta: `w${i} ` })).join("") +
    ev("response.output_text.done", { ...at, text: outputText.text }) +
    ev("response.content_part.done", { ...at, part: outputText }) +
    ev("response.output_item.done", { output_index: 0, item: message }) +
    ev("response.completed", {
      response: { ...responseBase, status: "completed", output: [message], usage: responseUsage },
    })
  );
})();

const server = http.createServer((req, res) => {
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (c: string) => (body += c));
  req.on("end", () => {
    if (req.url === "/v1/responses") {
      const streamed = body.includes('"stream":true');
      const out = streamed ? responseEvents : responseJson;
      res.writeHead(200, {
        "content-type": streamed ? "text/event-stream" : "application/json",
        "content-length": Buffer.byteLength(out),
      });
      res.end(out);
      return;
    }
    if (body.includes('"stream":true')) {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(streamBody);
      return;
    }
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(completion) });
    res.end(completion);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
