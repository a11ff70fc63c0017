import { describe, expect, it } from "vitest";
import type { ChatCompletionChunk, TokenUsage } from "../../providers/types";
import { messagesBodySchema } from "./request-schema";
import { withOutputCap } from "./output-cap";
import { messagesStreamEncoder } from "./stream-encoder";
import { toChatRequest } from "./to-chat";
import { toAnthropicUsage, toMessage } from "./to-message";

const decode = (body: object) => toChatRequest(messagesBodySchema.parse({ model: "m", max_tokens: 100, ...body }));

describe("Messages → chat", () => {
  it("folds system text and system messages into one leading system message, in order", () => {
    const out = decode({
      system: [
        { type: "text", text: "A", cache_control: { type: "ephemeral" } },
        { type: "text", text: "B" },
      ],
      messages: [
        { role: "user", content: "hi" },
        { role: "system", content: [{ type: "text", text: "C" }] },
        { role: "assistant", content: "yo" },
      ],
    });
    expect(out.messages).toEqual([
      { role: "system", content: "A\nB\n\nC" },
      { role: "user", content: "hi" },
      { role: "assistant", content: "yo" },
    ]);
  });

  it("puts tool results before the rest of the user turn, and tool_use blocks into tool_calls", () => {
    const out = decode({
      messages: [
        { role: "user", content: "weather?" },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "hm", signature: "s" },
            { type: "text", text: "Let me check." },
            { type: "tool_use", id: "t1", name: "w", input: { city: "Paris" } },
          ],
        },
        {
          role: "user",
          content: [
            { type: "text", text: "thanks" },
            { type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: "sunny" }] },
            { type: "tool_result", tool_use_id: "t2", content: "no", is_error: true },
          ],
        },
      ],
    });
    expect(out.messages.slice(1)).toEqual([
      {
        role: "assistant",
        content: "Let me check.",
        tool_calls: [{ id: "t1", type: "function", function: { name: "w", arguments: '{"city":"Paris"}' } }],
      },
      { role: "tool", tool_call_id: "t1", content: "sunny" },
      { role: "tool", tool_call_id: "t2", content: "Error: no" },
      { role: "user", content: "thanks" },
    ]);
  });

  it("maps images and documents to chat parts", () => {
    const out = decode({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "look" },
            { type: "image", source: { type: "base64", media_type: "image/png", data: "AAA" } },
            { type: "image", source: { type: "url", url: "https://x/y.png" } },
            {
              type: "document",
              source: { type: "base64", media_type: "application/pdf", data: "PDF" },
              title: "r.pdf",
            },
            { type: "document", source: { type: "text", media_type: "text/plain", data: "plain doc" } },
          ],
        },
      ],
    });
    expect(out.messages[0]).toEqual({
      role: "user",
      content: [
        { type: "text", text: "look" },
        { type: "image_url", image_url: { url: "data:image/png;base64,AAA" } },
        { type: "image_url", image_url: { url: "https://x/y.png" } },
        { type: "file", file: { file_data: "data:application/pdf;base64,PDF", filename: "r.pdf" } },
        { type: "text", text: "plain doc" },
      ],
    });
  });

  it("keeps client tools, leaves typed tools out, and maps tool_choice", () => {
    const tools = [
      {
        name: "a",
        description: "A",
        input_schema: { type: "object" },
        defer_loading: true,
        cache_control: { type: "ephemeral" },
      },
      { type: "web_search_20250305", name: "web_search" },
      { type: "custom", name: "b", input_schema: { type: "object" } },
    ];
    const out = decode({
      tools,
      tool_choice: { type: "any", disable_parallel_tool_use: true },
      messages: [{ role: "user", content: "x" }],
    });
    expect(out.tools).toEqual([
      { type: "function", function: { name: "a", description: "A", parameters: { type: "object" } } },
      { type: "function", function: { name: "b", parameters: { type: "object" } } },
    ]);
    expect(out.tool_choice).toBe("required");
    expect(out.parallel_tool_calls).toBe(false);
    expect(
      decode({ tools, tool_choice: { type: "tool", name: "b" }, messages: [{ role: "user", content: "x" }] })
        .tool_choice,
    ).toEqual({
      type: "function",
      function: { name: "b" },
    });
    // Only typed tools: nothing for the chat provider, and no tool_choice either.
    const none = decode({
      tools: [tools[1]],
      tool_choice: { type: "auto" },
      messages: [{ role: "user", content: "x" }],
    });
    expect(none).not.toHaveProperty("tools");
    expect(none).not.toHaveProperty("tool_choice");
  });
});

describe("chat → Messages", () => {
  const usage: TokenUsage = {
    inputTokens: 100,
    outputTokens: 7,
    cachedInputTokens: 30,
    cacheWriteTokens: 20,
    source: "provider",
  };

  it("counts input without cache reads and writes, as Anthropic does", () => {
    expect(toAnthropicUsage(usage)).toEqual({
      input_tokens: 50,
      output_tokens: 7,
      cache_read_input_tokens: 30,
      cache_creation_input_tokens: 20,
    });
  });

  it("encodes text, reasoning and tool calls, with the stop reason", () => {
    const message = toMessage(
      {
        id: "chatcmpl-9",
        object: "chat.completion",
        created: 1,
        model: "gpt",
        choices: [
          {
            index: 0,
            finish_reason: "tool_calls",
            logprobs: null,
            message: {
              role: "assistant",
              content: "ok",
              refusal: null,
              reasoning_content: "think",
              tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "not json" } }],
            } as never,
          },
        ],
      },
      usage,
      "claude-x",
    );
    expect(message).toMatchObject({ id: "msg_9", model: "claude-x", stop_reason: "tool_use" });
    expect(message.content).toEqual([
      { type: "thinking", thinking: "think", signature: "" },
      { type: "text", text: "ok" },
      { type: "tool_use", id: "c1", name: "f", input: {} },
    ]);
  });
});

describe("the Messages stream encoder", () => {
  const chunk = (delta: object, finish: string | null = null): ChatCompletionChunk =>
    ({
      id: "chatcmpl-1",
      object: "chat.completion.chunk",
      created: 1,
      model: "m",
      choices: [{ index: 0, delta, finish_reason: finish }],
    }) as ChatCompletionChunk;
  const events = (text: string) =>
    text
      .split("\n\n")
      .filter(Boolean)
      .map((f) => {
        const [event, data] = f.split("\n");
        return { event: event!.slice(7), data: JSON.parse(data!.slice(6)) };
      });

  it("opens and closes blocks by index as the kind changes, tool arguments as input_json_delta", () => {
    const wire = messagesStreamEncoder("claude-x", "req-1");
    let out = "";
    out += wire.chunk(chunk({ role: "assistant", content: "" }));
    out += wire.chunk(chunk({ reasoning_content: "hm" }));
    out += wire.chunk(chunk({ content: "Hi" }));
    out += wire.chunk(
      chunk({ tool_calls: [{ index: 0, id: "c1", type: "function", function: { name: "f", arguments: '{"a"' } }] }),
    );
    out += wire.chunk(chunk({ tool_calls: [{ index: 0, function: { arguments: ":1}" } }] }));
    out += wire.chunk(
      chunk(
        { tool_calls: [{ index: 1, id: "c2", type: "function", function: { name: "g", arguments: "{}" } }] },
        "tool_calls",
      ),
    );
    out += wire.end(
      { inputTokens: 10, outputTokens: 5, cachedInputTokens: 4, cacheWriteTokens: null, source: "provider" },
      { costMicro: 1, rateId: null },
    );
    const e = events(out);
    expect(e.map((x) => `${x.event}${x.data.index ?? ""}`)).toEqual([
      "message_start",
      "content_block_start0",
      "content_block_delta0",
      "content_block_stop0",
      "content_block_start1",
      "content_block_delta1",
      "content_block_stop1",
      "content_block_start2",
      "content_block_delta2",
      "content_block_delta2",
      "content_block_stop2",
      "content_block_start3",
      "content_block_delta3",
      "content_block_stop3",
      "message_delta",
      "message_stop",
    ]);
    expect(e.every((x) => x.data.type === x.event)).toBe(true);
    expect(e[0]!.data.message).toMatchObject({
      id: "msg_1",
      model: "claude-x",
      content: [],
      usage: { input_tokens: 0 },
    });
    expect(e[7]!.data.content_block).toEqual({ type: "tool_use", id: "c1", name: "f", input: {} });
    expect(e.at(-2)!.data).toEqual({
      type: "message_delta",
      delta: { stop_reason: "tool_use", stop_sequence: null },
      usage: { input_tokens: 6, output_tokens: 5, cache_read_input_tokens: 4, cache_creation_input_tokens: null },
    });
  });

  it("reports a failure as Anthropic's error event, after message_start", () => {
    const e = events(
      messagesStreamEncoder("m", "req-2").error({
        status: 504,
        type: "api_error",
        code: "upstream_timeout",
        message: "slow",
        retryable: true,
      }),
    );
    expect(e.map((x) => x.event)).toEqual(["message_start", "error"]);
    expect(e[1]!.data).toEqual({
      type: "error",
      error: { type: "timeout_error", message: "slow" },
      request_id: "req-2",
    });
  });
});

describe("a lowered output budget", () => {
  it("lowers max_tokens, and the thinking budget below it, or drops thinking that cannot fit", () => {
    expect(withOutputCap({ max_tokens: 32_000 }, null)).toEqual({ max_tokens: 32_000 });
    expect(withOutputCap({ max_tokens: 32_000, thinking: { type: "enabled", budget_tokens: 16_000 } }, 4_000)).toEqual({
      max_tokens: 4_000,
      thinking: { type: "enabled", budget_tokens: 3_999 },
    });
    expect(withOutputCap({ max_tokens: 32_000, thinking: { type: "enabled", budget_tokens: 2_000 } }, 1_024)).toEqual({
      max_tokens: 1_024,
    });
    expect(withOutputCap({ max_tokens: 32_000, thinking: { type: "adaptive" } }, 2_000)).toEqual({
      max_tokens: 2_000,
      thinking: { type: "adaptive" },
    });
  });
});
