/**
 * `npx tsx bench/messages-codec.ts`: the CPU the Messages API's translation adds per call, in-process, so a busy
 * machine's network noise does not hide it (docs/messages-api.md): validating and decoding a request to chat and
 * encoding the answer, and encoding a 20-chunk stream to Anthropic's events. The whole-server comparison with chat
 * is in bench/run.ts.
 */
import type { ChatCompletion, ChatCompletionChunk, TokenUsage } from "../server/providers/types";
import { messagesBodySchema } from "../server/gateway/messages/request-schema";
import { messagesStreamEncoder } from "../server/gateway/messages/stream-encoder";
import { toChatRequest } from "../server/gateway/messages/to-chat";
import { toMessage } from "../server/gateway/messages/to-message";

const raw = {
  model: "openai/gpt-4o-mini",
  max_tokens: 256,
  messages: [{ role: "user", content: "Hello, benchmark!" }],
};
const completion: ChatCompletion = {
  id: "chatcmpl-bench",
  object: "chat.completion",
  created: 1_700_000_000,
  model: "gpt-4o-mini",
  choices: [
    {
      index: 0,
      message: { role: "assistant", content: "Hello! How can I help you today?", refusal: null },
      finish_reason: "stop",
      logprobs: null,
    },
  ],
};
const usage: TokenUsage = {
  inputTokens: 12,
  outputTokens: 9,
  cachedInputTokens: null,
  cacheWriteTokens: null,
  source: "provider",
};
const chunks: ChatCompletionChunk[] = Array.from({ length: 20 }, (_, i) => ({
  id: "chatcmpl-bench",
  object: "chat.completion.chunk",
  created: 1_700_000_000,
  model: "gpt-4o-mini",
  choices: [{ index: 0, delta: { content: "word " }, finish_reason: i === 19 ? "stop" : null }],
}));

function microseconds(n: number, fn: () => void): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  return Number((((performance.now() - t0) / n) * 1000).toFixed(2));
}

const json = () =>
  JSON.stringify(toMessage(completion, usage, raw.model)) +
  JSON.stringify(toChatRequest(messagesBodySchema.parse(raw)));
const stream = () => {
  const wire = messagesStreamEncoder(raw.model, "req-bench");
  let out = "";
  for (const chunk of chunks) out += wire.chunk(chunk);
  return out + wire.end(usage, { costMicro: 1, rateId: null });
};
microseconds(20_000, json);
microseconds(2_000, stream);
console.log(
  `messages codec: request + answer ${microseconds(50_000, json)} µs, 20-chunk stream ${microseconds(5_000, stream)} µs`,
);
