/**
 * A fast fake OpenAI upstream for the benchmark: fixed answers, pre-serialised, so the numbers measure the hub
 * and not the fake. Prints its URL on stdout. POST /v1/chat/completions answers JSON, or SSE when
 * "stream": true appears in the body (20 chunks, then usage and [DONE]).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

const completion = JSON.stringify({
  id: "chatcmpl-bench",
  object: "chat.completion",
  created: 1_700_000_000,
  model: "gpt-4o-mini",
  choices: [{ index: 0, message: { role: "assistant", content: "Hello! This is a benchmark answer." }, finish_reason: "stop" }],
  usage: { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 },
});
const chunk = (content: string) =>
  `data: ${JSON.stringify({ id: "chatcmpl-bench", object: "chat.completion.chunk", created: 1_700_000_000, model: "gpt-4o-mini", choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
const streamBody =
  Array.from({ length: 20 }, (_, i) => chunk(`w${i} `)).join("") +
  `data: ${JSON.stringify({ id: "chatcmpl-bench", object: "chat.completion.chunk", created: 1_700_000_000, model: "gpt-4o-mini", choices: [], usage: { prompt_tokens: 12, completion_tokens: 20, total_tokens: 32 } })}\n\n` +
  "data: [DONE]\n\n";

const server = http.createServer((req, res) => {
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (c: string) => (body += c));
  req.on("end", () => {
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
