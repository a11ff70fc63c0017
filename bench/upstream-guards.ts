/**
 * `npx tsx bench/upstream-guards.ts`: the CPU the shape checks of provider answers cost (server/providers/
 * upstream-guards.ts and each adapter's guards.ts), in nanoseconds per call, in-process. Each guard runs on an
 * already parsed chunk or answer; the JSON.parse of the same text is shown beside it for scale, since every chunk
 * is parsed anyway. Rounds interleave the cases and the median of CPU time per call is reported.
 */
import { assertStreamEvent } from "../server/providers/anthropic/guards";
import { assertEventPayload } from "../server/providers/bedrock/guards";
import { assertGenerateContentResponse } from "../server/providers/google/guards";
import { assertChatChunk, chatUsage } from "../server/providers/openai-compatible/adapter";
import { openaiAdapter } from "../server/providers/openai/index";
import { expectRecord } from "../server/providers/upstream-guards";

const openaiChunkText = JSON.stringify({
  id: "chatcmpl-bench",
  object: "chat.completion.chunk",
  created: 1_700_000_000,
  model: "gpt-4o-mini",
  choices: [{ index: 0, delta: { content: "word " }, finish_reason: null, logprobs: null }],
  usage: null,
});
const completionText = JSON.stringify({
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
  usage: { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21, prompt_tokens_details: { cached_tokens: 0 } },
});
const anthropicEventText = JSON.stringify({
  type: "content_block_delta",
  index: 0,
  delta: { type: "text_delta", text: "word " },
});
const geminiChunkText = JSON.stringify({
  candidates: [{ content: { role: "model", parts: [{ text: "word " }] }, index: 0 }],
  usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 3, totalTokenCount: 15 },
  modelVersion: "gemini-2.5-flash",
  responseId: "bench",
});
const bedrockPayloadText = JSON.stringify({ contentBlockIndex: 0, delta: { text: "word " }, p: "abcd" });

const openaiChunk = JSON.parse(openaiChunkText) as unknown;
const completion = JSON.parse(completionText) as unknown;
const anthropicEvent = JSON.parse(anthropicEventText) as unknown;
const geminiChunk = JSON.parse(geminiChunkText) as unknown;
const bedrockPayload = JSON.parse(bedrockPayloadText) as unknown;
const target = { baseUrl: "", secret: "sk-bench", model: "gpt-4o-mini" };

const cases: Record<string, () => unknown> = {
  "OpenAI chunk: guard + usage": () => {
    const chunk = expectRecord(openaiChunk, "chunk");
    assertChatChunk(chunk);
    return chatUsage(chunk.usage);
  },
  "OpenAI chunk: JSON.parse (scale)": () => JSON.parse(openaiChunkText),
  "OpenAI answer: parseChatResponse (guards + usage)": () => openaiAdapter.chat.parseChatResponse(completion, target),
  "OpenAI answer: JSON.parse (scale)": () => JSON.parse(completionText),
  "Anthropic event: guard": () => assertStreamEvent(anthropicEvent),
  "Gemini chunk: guard": () => assertGenerateContentResponse(geminiChunk),
  "Bedrock payload: guard": () => assertEventPayload("contentBlockDelta", bedrockPayload),
};

/** CPU nanoseconds per call over n calls; results are kept so the optimiser cannot drop the calls. */
const kept: unknown[] = [];
function nsPerCall(fn: () => unknown, n: number): number {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) kept[i & 15] = fn();
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1000) / n;
}

const N = 200_000;
const ROUNDS = 9;
const entries = Object.entries(cases).map(([name, fn]) => ({ name, fn, samples: [] as number[] }));
for (const e of entries) nsPerCall(e.fn, N); // warm-up
for (let r = 0; r < ROUNDS; r++) for (const e of entries) e.samples.push(nsPerCall(e.fn, N));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
console.table(entries.map((e) => ({ case: e.name, "ns per call (median CPU)": Math.round(median(e.samples)) })));
