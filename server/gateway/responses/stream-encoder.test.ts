/**
 * The translated stream, checked by the installed openai SDK's own accumulator (ResponseStream): it throws on a
 * delta for an item or part it was not told about, and its final response must equal what the events built.
 */
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { ResponseStream } from "openai/lib/responses/ResponseStream";
import { describe, expect, it } from "vitest";
import { responseShell } from "./encode";
import { responsesStreamEncoder } from "./stream-encoder";

type Delta = ChatCompletionChunk.Choice.Delta & { reasoning_content?: string };

function chunk(delta: Delta, finish: ChatCompletionChunk.Choice["finish_reason"] = null): ChatCompletionChunk {
  return {
    id: "c",
    object: "chat.completion.chunk",
    created: 1,
    model: "m",
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  };
}

const usage = {
  inputTokens: 10,
  outputTokens: 20,
  cachedInputTokens: 3,
  cacheWriteTokens: null,
  source: "provider" as const,
};

/** Runs chunks through the encoder, then its SSE data lines through the SDK (fed as newline-delimited JSON). */
async function encodeAndAccumulate(chunks: ChatCompletionChunk[], customTools = new Set<string>()) {
  const stored: unknown[] = [];
  const shell = responseShell({ model: "m" }, "resp_x", true);
  const wire = responsesStreamEncoder({ shell, customTools, native: false, done: async (r) => void stored.push(r) });
  const sse = chunks.map((c) => wire.chunk(c)).join("") + (await wire.end(usage, { costMicro: null, rateId: null }));
  const events = sse
    .split("\n\n")
    .filter(Boolean)
    .map((block) => JSON.parse(block.split("\n")[1]!.slice("data: ".length)) as { type: string; response?: unknown });
  const ndjson = new TextEncoder().encode(events.map((e) => JSON.stringify(e)).join("\n") + "\n");
  const stream = ResponseStream.fromReadableStream(new Blob([ndjson]).stream());
  return { final: await stream.finalResponse(), events, stored };
}

describe("Responses stream encoder (translated)", () => {
  it("announces reasoning, text and parallel tool calls before their deltas, and ends incomplete on length", async () => {
    const { final, events, stored } = await encodeAndAccumulate([
      chunk({ role: "assistant", content: "" }),
      chunk({ reasoning_content: "Think" }),
      chunk({ reasoning_content: "ing." }),
      chunk({ content: "Two " }),
      chunk({ content: "calls." }),
      chunk({
        tool_calls: [{ index: 0, id: "call_a", type: "function", function: { name: "f", arguments: '{"x":' } }],
      }),
      chunk({ tool_calls: [{ index: 1, id: "call_b", type: "function", function: { name: "g", arguments: "" } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: "1}" } }] }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: "{}" } }] }),
      chunk({}, "length"),
    ]);
    expect(final.status).toBe("incomplete");
    expect(final.incomplete_details).toEqual({ reason: "max_output_tokens" });
    expect(final.output.map((o) => o.type)).toEqual(["reasoning", "message", "function_call", "function_call"]);
    expect(final.output_text).toBe("Two calls.");
    expect(final.output[2]).toMatchObject({ call_id: "call_a", name: "f", arguments: '{"x":1}', status: "completed" });
    expect(final.output[3]).toMatchObject({ call_id: "call_b", name: "g", arguments: "{}" });
    expect(final.usage).toEqual({
      input_tokens: 10,
      input_tokens_details: { cached_tokens: 3 },
      output_tokens: 20,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 30,
    });
    expect(events.at(-1)!.type).toBe("response.incomplete");
    expect(stored).toEqual([events.at(-1)?.response]);
  });

  it("turns a custom tool's one-string function call back into custom_tool_call with the raw input", async () => {
    const { final, events } = await encodeAndAccumulate(
      [
        chunk({
          tool_calls: [
            {
              index: 0,
              id: "call_p",
              type: "function",
              function: { name: "apply_patch", arguments: '{"input":"*** Begin' },
            },
          ],
        }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: ' Patch"}' } }] }),
        chunk({}, "tool_calls"),
      ],
      new Set(["apply_patch"]),
    );
    expect(final.status).toBe("completed");
    expect(final.output).toEqual([
      expect.objectContaining({
        type: "custom_tool_call",
        call_id: "call_p",
        name: "apply_patch",
        input: "*** Begin Patch",
      }),
    ]);
    expect(events.map((e) => e.type)).toContain("response.custom_tool_call_input.done");
  });
});
