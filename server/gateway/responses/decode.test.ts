import { describe, expect, it } from "vitest";
import { HubError } from "../../errors";
import { toChatRequest, toItems } from "./decode";
import type { ResponsesBody } from "./request-schema";

const body = (extra: Partial<ResponsesBody> = {}): ResponsesBody => ({ model: "m", ...extra });

describe("Responses request → chat request", () => {
  it("joins an assistant message and the function calls after it into one assistant turn", () => {
    const { chat } = toChatRequest(body(), [
      { role: "user", content: "weather in Paris and Rome?" },
      { type: "message", role: "assistant", content: [{ type: "output_text", text: "Checking both." }] },
      { type: "function_call", call_id: "c1", name: "get_weather", arguments: '{"location":"Paris"}' },
      { type: "function_call", call_id: "c2", name: "get_weather", arguments: '{"location":"Rome"}' },
      { type: "function_call_output", call_id: "c1", output: "Sunny" },
      { type: "function_call_output", call_id: "c2", output: [{ type: "input_text", text: "Rain" }] },
      { type: "reasoning", id: "rs_1", summary: [] },
    ]);
    expect(chat.messages).toEqual([
      { role: "user", content: "weather in Paris and Rome?" },
      {
        role: "assistant",
        content: "Checking both.",
        tool_calls: [
          { id: "c1", type: "function", function: { name: "get_weather", arguments: '{"location":"Paris"}' } },
          { id: "c2", type: "function", function: { name: "get_weather", arguments: '{"location":"Rome"}' } },
        ],
      },
      { role: "tool", tool_call_id: "c1", content: "Sunny" },
      { role: "tool", tool_call_id: "c2", content: "Rain" },
    ]);
  });

  it("keeps images as parts, and joins text-only user content into one string", () => {
    const { chat } = toChatRequest(body(), [
      {
        role: "user",
        content: [
          { type: "input_text", text: "a" },
          { type: "input_text", text: "b" },
        ],
      },
      {
        role: "user",
        content: [
          { type: "input_text", text: "look" },
          { type: "input_image", image_url: "https://x/y.png", detail: "low" },
        ],
      },
    ]);
    expect(chat.messages).toEqual([
      { role: "user", content: "a\nb" },
      {
        role: "user",
        content: [
          { type: "text", text: "look" },
          { type: "image_url", image_url: { url: "https://x/y.png", detail: "low" } },
        ],
      },
    ]);
  });

  it("maps options: text.format, reasoning.effort, max_output_tokens, tool_choice by name", () => {
    const { chat } = toChatRequest(
      body({
        text: { format: { type: "json_schema", name: "out", schema: { type: "object" }, strict: true } },
        reasoning: { effort: "low" },
        max_output_tokens: 99,
        tools: [{ type: "function", name: "f", parameters: { type: "object" } }],
        tool_choice: { type: "function", name: "f" },
        parallel_tool_calls: false,
        metadata: { a: "b" },
        prompt_cache_key: "k",
      }),
      toItems("hi"),
    );
    expect(chat).toMatchObject({
      response_format: { type: "json_schema", json_schema: { name: "out", schema: { type: "object" }, strict: true } },
      reasoning_effort: "low",
      max_completion_tokens: 99,
      tool_choice: { type: "function", function: { name: "f" } },
      parallel_tool_calls: false,
    });
    expect(chat).not.toHaveProperty("metadata");
    expect(chat).not.toHaveProperty("prompt_cache_key");
  });

  it("notes what it leaves out and flags a tool_choice only a native provider can honour", () => {
    const decoded = toChatRequest(
      body({
        tools: [{ type: "web_search" }, { type: "mcp", server_label: "x" }, { type: "local_shell" }],
        tool_choice: { type: "file_search" },
      }),
      [{ type: "item_reference", id: "msg_1" }, ...toItems("hi")],
    );
    expect(decoded.chat.tools).toBeUndefined();
    expect(decoded.notes).toEqual([
      "Left out tools the provider cannot run: web_search, mcp, local_shell",
      "Left out input items with no chat equivalent: item_reference",
    ]);
    expect(decoded.forcesNativeTool).toBe("file_search");
  });

  it("refuses an unknown role and an empty input with the parameter named", () => {
    const bad = (items: Parameters<typeof toChatRequest>[1]) => {
      try {
        toChatRequest(body(), items);
      } catch (error) {
        return error instanceof HubError ? error.param : error;
      }
      return null;
    };
    expect(bad([{ role: "wizard", content: "x" }])).toBe("input[0].role");
    expect(bad([])).toBe("input");
    expect(bad([{ type: "function_call", name: "f", arguments: "{}" }])).toBe("input[0].call_id");
  });
});
