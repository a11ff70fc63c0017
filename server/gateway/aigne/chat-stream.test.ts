import type { AgentResponseChunk, ChatModelOutput } from "@aigne/core";
import { AgentResponseStreamParser, EventStreamParser } from "@aigne/core/utils/event-stream.js";
import { mergeAgentResponseChunk } from "@aigne/core/utils/stream-utils.js";
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { describe, expect, it } from "vitest";
import { defined } from "@test/helpers/defined";
import { createAigneStreamEncoder } from "./chat-stream";

type Delta = ChatCompletionChunk.Choice.Delta & { reasoning_content?: string };

/** One chunk as OpenAI streams it. */
function chunk(delta: Delta, finish: ChatCompletionChunk.Choice["finish_reason"] = null): ChatCompletionChunk {
  return {
    id: "chatcmpl-1",
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model: "gpt-4o-mini-2024-07-18",
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  };
}

/** OpenAI's last chunk with stream_options.include_usage: no choices, only usage. */
const usageChunk: ChatCompletionChunk = {
  id: "chatcmpl-1",
  object: "chat.completion.chunk",
  created: 1_700_000_000,
  model: "gpt-4o-mini-2024-07-18",
  choices: [],
  usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 },
};

const info = { wantsJson: false, model: "gpt-4o-mini", modelWithProvider: "openai/gpt-4o-mini" };
const final = { usage: { inputTokens: 11, outputTokens: 7 } };

function encode(
  chunks: ChatCompletionChunk[],
  wantsJson = false,
  end?: (e: ReturnType<typeof createAigneStreamEncoder>) => string,
) {
  const encoder = createAigneStreamEncoder({ ...info, wantsJson });
  const pieces = chunks.map((c) => encoder.push(c));
  pieces.push(end ? end(encoder) : encoder.finish(final));
  return pieces;
}

/** SSE text → its events, checking the framing on the way. */
function events(sse: string): Array<{ event?: string; data: unknown }> {
  expect(sse.endsWith("\n\n")).toBe(true);
  return sse
    .split("\n\n")
    .filter(Boolean)
    .map((block) => {
      const lines = block.split("\n");
      const event = lines.find((l) => l.startsWith("event: "))?.slice(7);
      const data = lines.filter((l) => l.startsWith("data: ")).map((l) => l.slice(6));
      expect(data).toHaveLength(1);
      return { ...(event ? { event } : {}), data: JSON.parse(defined(data[0])) };
    });
}

/** What @aigne/aigne-hub's BaseClient makes of the SSE text, with its own parsers (@aigne/core utils/event-stream). */
async function clientView(sse: string): Promise<ChatModelOutput> {
  const stream = new ReadableStream<string>({
    start(controller) {
      controller.enqueue(sse);
      controller.close();
    },
  })
    .pipeThrough(new EventStreamParser<AgentResponseChunk<ChatModelOutput>>())
    .pipeThrough(new AgentResponseStreamParser<ChatModelOutput>());
  const output: ChatModelOutput = {};
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return output;
    mergeAgentResponseChunk(output, value);
  }
}

describe("createAigneStreamEncoder", () => {
  it("sends each text delta as it comes and usage and model last", async () => {
    const pieces = encode([
      chunk({ role: "assistant", content: "" }),
      chunk({ content: "Hel" }),
      chunk({ content: "lo!" }),
      chunk({}, "stop"),
      usageChunk,
    ]);
    // role-only, finish and usage chunks write nothing.
    expect(pieces.map((p) => (p ? events(p) : []))).toEqual([
      [],
      [{ data: { delta: { text: { text: "Hel" } } } }],
      [{ data: { delta: { text: { text: "lo!" } } } }],
      [],
      [],
      [
        {
          data: {
            delta: {
              json: {
                usage: { inputTokens: 11, outputTokens: 7 },
                model: "gpt-4o-mini",
                modelWithProvider: "openai/gpt-4o-mini",
              },
            },
          },
        },
      ],
    ]);
    expect(pieces.join("")).not.toContain("[DONE]");
    expect(await clientView(pieces.join(""))).toEqual({
      text: "Hello!",
      usage: { inputTokens: 11, outputTokens: 7 },
      model: "gpt-4o-mini",
      modelWithProvider: "openai/gpt-4o-mini",
    });
  });

  it("streams reasoning_content as thoughts", async () => {
    const sse = encode([
      chunk({ role: "assistant", reasoning_content: "Two plus " }),
      chunk({ reasoning_content: "two." }),
      chunk({ content: "4" }),
      usageChunk,
    ]);
    expect(events(defined(sse[0]))).toEqual([{ data: { delta: { text: { thoughts: "Two plus " } } } }]);
    const out = await clientView(sse.join(""));
    expect(out.thoughts).toBe("Two plus two.");
    expect(out.text).toBe("4");
  });

  it("accumulates tool calls sent in fragments per index and sends them once, with object arguments", async () => {
    const pieces = encode([
      chunk({
        role: "assistant",
        content: null,
        tool_calls: [{ index: 0, id: "call_a", type: "function", function: { name: "get_weather", arguments: "" } }],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: 'ty":"Berlin"}' } }] }),
      chunk({
        tool_calls: [{ index: 1, id: "call_b", type: "function", function: { name: "get_time", arguments: "" } }],
      }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: '{"tz":"CET"}' } }] }),
      chunk({}, "tool_calls"),
      usageChunk,
    ]);
    expect(pieces.slice(0, -1).join("")).toBe("");
    const toolCalls = [
      { id: "call_a", type: "function", function: { name: "get_weather", arguments: { city: "Berlin" } } },
      { id: "call_b", type: "function", function: { name: "get_time", arguments: { tz: "CET" } } },
    ];
    expect(events(pieces.at(-1)!)[0]).toEqual({ data: { delta: { json: { toolCalls } } } });
    const out = await clientView(pieces.join(""));
    expect(out.toolCalls).toEqual(toolCalls);
    expect(out.usage).toEqual({ inputTokens: 11, outputTokens: 7 });
  });

  it("holds JSON answers back and sends them parsed as json, before usage", async () => {
    const pieces = encode([chunk({ content: '{"city":' }), chunk({ content: '"Paris"}' }), usageChunk], true);
    expect(pieces.slice(0, -1).join("")).toBe("");
    const closing = events(pieces.at(-1)!);
    expect(closing[0]).toEqual({ data: { delta: { json: { json: { city: "Paris" } } } } });
    expect(closing[1]).toMatchObject({ data: { delta: { json: { usage: { inputTokens: 11, outputTokens: 7 } } } } });
    const out = await clientView(pieces.join(""));
    expect(out.json).toEqual({ city: "Paris" });
    expect(out).not.toHaveProperty("text");
  });

  it("falls back to text when the JSON answer does not parse", async () => {
    const out = await clientView(encode([chunk({ content: "not json" }), usageChunk], true).join(""));
    expect(out.text).toBe("not json");
    expect(out).not.toHaveProperty("json");
  });

  it("adds credits and the call id to the final usage", async () => {
    const encoder = createAigneStreamEncoder(info);
    const sse =
      encoder.push(chunk({ content: "ok" })) + encoder.finish({ ...final, credits: 0.5, modelCallId: "mc_1" });
    expect((await clientView(sse)).usage).toEqual({
      inputTokens: 11,
      outputTokens: 7,
      aigneHubCredits: 0.5,
      modelCallId: "mc_1",
    });
    expect(encoder.finish(final)).toBe(""); // once only
    expect(encoder.push(chunk({ content: "late" }))).toBe("");
  });

  it("reports a mid-stream failure as an error event the client raises", async () => {
    const pieces = encode([chunk({ content: "Hel" })], false, (e) => e.error('upstream "reset" the connection'));
    expect(events(pieces.at(-1)!)).toEqual([{ event: "error", data: { message: 'upstream "reset" the connection' } }]);
    await expect(clientView(pieces.join(""))).rejects.toThrow('upstream "reset" the connection');
  });
});
