import type { ChatCompletion } from "openai/resources/chat/completions";
import { describe, expect, it } from "vitest";
import { parseArguments, parseJsonObject, toAigneChatResponse } from "./chat-response";

function completion(message: Record<string, unknown>): ChatCompletion {
  return {
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1_700_000_000,
    model: "gpt-4o-mini-2024-07-18",
    choices: [
      {
        index: 0,
        finish_reason: "stop",
        logprobs: null,
        message: { role: "assistant", content: null, refusal: null, ...message },
      },
    ],
    usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 },
  };
}

const info = {
  wantsJson: false,
  model: "gpt-4o-mini",
  modelWithProvider: "openai/gpt-4o-mini",
  usage: { inputTokens: 11, outputTokens: 7 },
};

describe("toAigneChatResponse", () => {
  it("answers text with usage and both model names, and nothing empty", () => {
    expect(toAigneChatResponse(completion({ content: "Hello!" }), info)).toEqual({
      text: "Hello!",
      usage: { inputTokens: 11, outputTokens: 7 },
      model: "gpt-4o-mini",
      modelWithProvider: "openai/gpt-4o-mini",
    });
  });

  it("adds credits, the call id and cache counts when known, never a creditPrefix", () => {
    const out = toAigneChatResponse(completion({ content: "Hi" }), {
      ...info,
      usage: { inputTokens: 11, outputTokens: 7, cacheReadInputTokens: 4, cacheCreationInputTokens: 0 },
      credits: 0.0042,
      modelCallId: "call_abc",
    });
    expect(out.usage).toEqual({
      inputTokens: 11,
      outputTokens: 7,
      cacheReadInputTokens: 4,
      cacheCreationInputTokens: 0,
      aigneHubCredits: 0.0042,
      modelCallId: "call_abc",
    });
    expect(out.usage).not.toHaveProperty("creditPrefix");
  });

  it("turns tool calls' JSON-string arguments back into objects and drops the empty text beside them", () => {
    const out = toAigneChatResponse(
      completion({
        content: "",
        tool_calls: [
          { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris","days":2}' } },
          { id: "call_2", type: "function", function: { name: "get_time", arguments: "" } },
        ],
      }),
      info,
    );
    expect(out.toolCalls).toEqual([
      { id: "call_1", type: "function", function: { name: "get_weather", arguments: { city: "Paris", days: 2 } } },
      { id: "call_2", type: "function", function: { name: "get_time", arguments: {} } },
    ]);
    expect(out).not.toHaveProperty("text");
  });

  it("omits toolCalls when there are none and keeps an empty plain answer as text", () => {
    const out = toAigneChatResponse(completion({ content: "", tool_calls: [] }), info);
    expect(out).not.toHaveProperty("toolCalls");
    expect(out.text).toBe("");
  });

  it("answers json when a JSON format was asked, fenced or not, and keeps text that is not a JSON object", () => {
    const wants = { ...info, wantsJson: true };
    const plain = toAigneChatResponse(completion({ content: '{"city":"Paris","temp":18}' }), wants);
    expect(plain.json).toEqual({ city: "Paris", temp: 18 });
    expect(plain).not.toHaveProperty("text");
    expect(toAigneChatResponse(completion({ content: '```json\n{"ok":true}\n```' }), wants).json).toEqual({ ok: true });

    const broken = toAigneChatResponse(completion({ content: "Sorry, no JSON today" }), wants);
    expect(broken).not.toHaveProperty("json");
    expect(broken.text).toBe("Sorry, no JSON today");
    // The client's schema wants json to be an object; an array stays text.
    expect(toAigneChatResponse(completion({ content: "[1,2]" }), wants).text).toBe("[1,2]");
    // Without a JSON format, JSON-looking text is just text.
    expect(toAigneChatResponse(completion({ content: '{"a":1}' }), info).text).toBe('{"a":1}');
  });

  it("reports reasoning_content (or OpenRouter's reasoning) as thoughts", () => {
    expect(toAigneChatResponse(completion({ content: "4", reasoning_content: "2+2=4" }), info).thoughts).toBe("2+2=4");
    expect(toAigneChatResponse(completion({ content: "4", reasoning: "adding" }), info).thoughts).toBe("adding");
    expect(toAigneChatResponse(completion({ content: "4" }), info)).not.toHaveProperty("thoughts");
  });

  it("sends a refusal as the text rather than an empty answer", () => {
    expect(toAigneChatResponse(completion({ content: null, refusal: "I can't help with that." }), info).text).toBe(
      "I can't help with that.",
    );
  });
});

describe("argument and JSON helpers", () => {
  it("parse objects only, keeping malformed arguments visible", () => {
    expect(parseArguments(' {"a": [1]} ')).toEqual({ a: [1] });
    expect(parseArguments(undefined)).toEqual({});
    expect(parseArguments('{"a":')).toEqual({ _raw: '{"a":' });
    expect(parseJsonObject("null")).toBeUndefined();
    expect(parseJsonObject('"text"')).toBeUndefined();
    expect(parseJsonObject('```\n{"b":2}\n```')).toEqual({ b: 2 });
  });
});
