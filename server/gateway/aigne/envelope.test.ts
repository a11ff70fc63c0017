import { describe, expect, it } from "vitest";
import { HubError } from "../../errors";
import { parseAigneChatEnvelope } from "./envelope";

// The body @aigne/aigne-hub 0.10.16 posted in a real run (docs/aigne-protocol.md, "POST /api/v2/chat").
const capturedBody = {
  input: {
    messages: [{ role: "user", content: "Say hello" }],
    modelOptions: { cacheConfig: { autoBreakpoints: { lastMessage: true } }, model: "openai/gpt-4o-mini" },
    outputFileType: "url",
  },
  agent: "$CHAT_MODEL",
  options: { streaming: true, userContext: {}, memories: [] },
};

const envelope = (input: Record<string, unknown>, rest: Record<string, unknown> = {}) => ({
  input: { messages: [{ role: "user", content: "hi" }], ...input },
  agent: "$CHAT_MODEL",
  options: { userContext: {}, memories: [] },
  ...rest,
});

// 1x1 transparent PNG.
const PNG_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

function invalid(body: unknown): HubError {
  try {
    parseAigneChatEnvelope(body);
  } catch (error) {
    expect(error).toBeInstanceOf(HubError);
    expect((error as HubError).kind).toBe("invalid_input");
    return error as HubError;
  }
  throw new Error("expected the body to be refused");
}

describe("parseAigneChatEnvelope: the captured client body", () => {
  it("becomes a streaming OpenAI request, cacheConfig, outputFileType, agent and options ignored", () => {
    expect(parseAigneChatEnvelope(capturedBody)).toEqual({
      request: {
        model: "openai/gpt-4o-mini",
        messages: [{ role: "user", content: "Say hello" }],
        stream: true,
        stream_options: { include_usage: true },
      },
      streaming: true,
      wantsJson: false,
    });
  });

  it("is non-streaming when options.streaming is absent (a plain invoke) or false", () => {
    const { options: _ignored, ...withoutOptions } = capturedBody;
    for (const body of [withoutOptions, { ...capturedBody, options: { streaming: false } }]) {
      const parsed = parseAigneChatEnvelope(body);
      expect(parsed.streaming).toBe(false);
      expect(parsed.request).not.toHaveProperty("stream");
      expect(parsed.request).not.toHaveProperty("stream_options");
    }
  });

  it("takes the model from modelOptions, then body.model, else leaves it to the gateway", () => {
    expect(parseAigneChatEnvelope(envelope({ modelOptions: { model: "a/b" } }, { model: "c/d" })).request.model).toBe(
      "a/b",
    );
    expect(parseAigneChatEnvelope(envelope({ modelOptions: {} }, { model: "c/d" })).request.model).toBe("c/d");
    expect(parseAigneChatEnvelope(envelope({})).request.model).toBeUndefined();
  });
});

describe("parseAigneChatEnvelope: messages", () => {
  it("maps roles, parts, tool calls (object arguments) and tool results", () => {
    const { request } = parseAigneChatEnvelope(
      envelope({
        messages: [
          { role: "system", content: "Be brief.", name: "rules" },
          {
            role: "user",
            content: [
              { type: "text", text: "What is in these?" },
              { type: "url", url: "https://img.example/cat.jpg", mimeType: "image/jpeg" },
              { type: "file", data: PNG_BASE64, mimeType: "image/png", filename: "dot.png" },
              { type: "file", data: PNG_BASE64 }, // no mimeType: recognised by its bytes
            ],
          },
          {
            role: "agent",
            toolCalls: [
              {
                id: "call_1",
                type: "function",
                function: { name: "get_weather", arguments: { city: "Paris", days: 2 } },
              },
            ],
          },
          { role: "tool", toolCallId: "call_1", content: '{"temp":18}' },
          { role: "agent", content: [{ type: "text", text: "18 degrees." }] },
        ],
      }),
    );
    expect(request.messages).toEqual([
      { role: "system", content: "Be brief.", name: "rules" },
      {
        role: "user",
        content: [
          { type: "text", text: "What is in these?" },
          { type: "image_url", image_url: { url: "https://img.example/cat.jpg" } },
          { type: "image_url", image_url: { url: `data:image/png;base64,${PNG_BASE64}` } },
          { type: "image_url", image_url: { url: `data:image/png;base64,${PNG_BASE64}` } },
        ],
      },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris","days":2}' } },
        ],
      },
      { role: "tool", tool_call_id: "call_1", content: '{"temp":18}' },
      { role: "assistant", content: [{ type: "text", text: "18 degrees." }] },
    ]);
  });

  it("refuses non-image files, images outside user messages, local paths and tool results without an id", () => {
    const pdf = invalid(
      envelope({
        messages: [{ role: "user", content: [{ type: "file", data: "JVBERi0x", mimeType: "application/pdf" }] }],
      }),
    );
    expect(pdf.param).toBe("input.messages[0].content[0].mimeType");
    expect(pdf.message).toContain("application/pdf");

    const pdfUrl = invalid(
      envelope({ messages: [{ role: "user", content: [{ type: "url", url: "https://x.example/a.pdf" }] }] }),
    );
    expect(pdfUrl.param).toBe("input.messages[0].content[0].mimeType");

    const unknownFile = invalid(
      envelope({ messages: [{ role: "user", content: [{ type: "file", data: "AAAAAAAA" }] }] }),
    );
    expect(unknownFile.param).toBe("input.messages[0].content[0].mimeType");

    const systemImage = invalid(
      envelope({
        messages: [
          { role: "system", content: [{ type: "url", url: "https://i.example/a.png", mimeType: "image/png" }] },
        ],
      }),
    );
    expect(systemImage.param).toBe("input.messages[0].content[0]");

    const local = invalid(envelope({ messages: [{ role: "user", content: [{ type: "local", path: "/tmp/a.png" }] }] }));
    expect(local.param).toBe("input.messages[0].content[0]");

    const tool = invalid(
      envelope({
        messages: [
          { role: "user", content: "q" },
          { role: "tool", content: "42" },
        ],
      }),
    );
    expect(tool.param).toBe("input.messages[1].toolCallId");
  });

  it("names the field that failed validation", () => {
    const role = invalid(
      envelope({
        messages: [
          { role: "user", content: "a" },
          { role: "agent", content: "b" },
          { role: "assistant", content: "c" },
        ],
      }),
    );
    expect(role.param).toBe("input.messages[2].role");
    expect(role.message).toContain("input.messages[2].role");

    expect(invalid(envelope({ messages: [] })).param).toBe("input.messages");
    expect(invalid({ agent: "$CHAT_MODEL" }).param).toBe("input");
    expect(invalid(envelope({ messages: [{ role: "user", content: [{ type: "text" }] }] })).param).toBe(
      "input.messages[0].content[0].text",
    );
    expect(invalid(envelope({ messages: [{ role: "user", content: [{ type: "audio", data: "x" }] }] })).param).toBe(
      "input.messages[0].content[0].type",
    );
    const content = invalid(envelope({ messages: [{ role: "user", content: 42 }] }));
    expect(content.param).toBe("input.messages[0].content");
    expect(content.message).toContain("expected string or array");
    expect(invalid(envelope({ modelOptions: { temperature: "hot" } })).param).toBe("input.modelOptions.temperature");
    expect(invalid(envelope({ toolChoice: "always" })).param).toBe("input.toolChoice");
    expect(invalid(null).param).toBeNull();
  });
});

describe("parseAigneChatEnvelope: tools, formats and model options", () => {
  const weather = {
    type: "function",
    function: {
      name: "get_weather",
      description: "Weather by city",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    },
  };

  it("maps tools, every tool choice form and model options", () => {
    const parsed = parseAigneChatEnvelope(
      envelope({
        tools: [{ ...weather, metadata: { internal: true } }],
        toolChoice: "required",
        modelOptions: {
          model: "openai/gpt-4o",
          temperature: 0.2,
          topP: 0.9,
          frequencyPenalty: 0.1,
          presencePenalty: -0.1,
          parallelToolCalls: false,
          reasoningEffort: "low",
          cacheConfig: { enabled: true },
        },
      }),
    );
    expect(parsed.request).toEqual({
      model: "openai/gpt-4o",
      messages: [{ role: "user", content: "hi" }],
      tools: [{ type: "function", function: weather.function }],
      tool_choice: "required",
      temperature: 0.2,
      top_p: 0.9,
      frequency_penalty: 0.1,
      presence_penalty: -0.1,
      parallel_tool_calls: false,
      reasoning_effort: "low",
    });

    for (const choice of ["auto", "none"] as const) {
      expect(parseAigneChatEnvelope(envelope({ tools: [weather], toolChoice: choice })).request.tool_choice).toBe(
        choice,
      );
    }
    // @aigne/core passes the chosen tool itself as toolChoice; only its name goes upstream.
    expect(parseAigneChatEnvelope(envelope({ tools: [weather], toolChoice: weather })).request.tool_choice).toEqual({
      type: "function",
      function: { name: "get_weather" },
    });
  });

  it("drops parallel_tool_calls without tools (OpenAI refuses it) and maps token budgets to effort names", () => {
    const { request } = parseAigneChatEnvelope(
      envelope({ modelOptions: { parallelToolCalls: true, reasoningEffort: 2000 } }),
    );
    expect(request).not.toHaveProperty("parallel_tool_calls");
    expect(request.reasoning_effort).toBe("medium");
    expect(parseAigneChatEnvelope(envelope({ modelOptions: { reasoningEffort: 8000 } })).request.reasoning_effort).toBe(
      "high",
    );
    expect(parseAigneChatEnvelope(envelope({ modelOptions: { reasoningEffort: 0 } })).request).not.toHaveProperty(
      "reasoning_effort",
    );
  });

  it("turns a json_schema response format into OpenAI's and says the answer must be json", () => {
    const schema = {
      type: "object",
      properties: { city: { type: "string" } },
      required: ["city"],
      additionalProperties: false,
    };
    const parsed = parseAigneChatEnvelope(
      envelope({ responseFormat: { type: "json_schema", jsonSchema: { name: "city", schema, strict: true } } }),
    );
    expect(parsed.wantsJson).toBe(true);
    expect(parsed.request.response_format).toEqual({
      type: "json_schema",
      json_schema: { name: "city", schema, strict: true },
    });

    const text = parseAigneChatEnvelope(envelope({ responseFormat: { type: "text" } }));
    expect(text.wantsJson).toBe(false);
    expect(text.request).not.toHaveProperty("response_format");

    expect(invalid(envelope({ responseFormat: { type: "json_schema", jsonSchema: { name: "x" } } })).param).toBe(
      "input.responseFormat.jsonSchema.schema",
    );
  });
});
