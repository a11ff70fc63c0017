/**
 * End-to-end proof against AIGNE's real client, @aigne/aigne-hub 0.10.16: a node:http server on 127.0.0.1 plays
 * the gateway with this folder's translations (parse → canned OpenAI answer → encode) and AIGNEHubChatModel calls
 * it as AIGNE apps do (images and models(): real-client-image.test.ts). The canned answers echo parts of the parsed
 * request, so a passing assertion proves the request was understood, not only that the answer was encoded.
 */
import type { ServerResponse } from "node:http";
import { AIGNEHubChatModel } from "@aigne/aigne-hub";
import type { AgentResponseStream, ChatModelOutput } from "@aigne/core";
import { mergeAgentResponseChunk } from "@aigne/core/utils/stream-utils.js";
import type { ChatCompletion, ChatCompletionChunk } from "openai/resources/chat/completions";
import { describe, expect, it } from "vitest";
import { defined } from "@test/helpers/defined";
import { HubError } from "../../errors";
import { toAigneChatResponse } from "./chat-response";
import { createAigneStreamEncoder } from "./chat-stream";
import { parseAigneChatEnvelope, type AigneChatEnvelope } from "./envelope";
import { send, useAigneTestServer } from "@test/helpers/aigne-test-server";

const API_KEY = "aih_test_0123456789";
const APP_DID = "zNKtestAppDid";
// The client reads these (utils/constants.js, aigne-hub-model.js); pin them so the machine's environment cannot redirect it.
const CLIENT_ENV = [
  "BLOCKLET_AIGNE_API_PROVIDER",
  "BLOCKLET_AIGNE_API_MODEL",
  "BLOCKLET_AIGNE_API_CREDENTIAL",
  "AIGNE_HUB_API_KEY",
  "BLOCKLET_AIGNE_API_URL",
  "BLOCKLET_APP_PID",
];

/** What the gateway hands over: a full completion, chunks (optionally cut by an error), or an error before any byte. */
type ChatAnswer =
  { completion: ChatCompletion } | { chunks: ChatCompletionChunk[]; failAfter?: string } | { refuse: HubError };

let answerChat: (parsed: AigneChatEnvelope) => ChatAnswer;

const base = { id: "chatcmpl-e2e", created: 1_700_000_000, model: "gpt-4o-mini-2024-07-18" };

function completion(message: Partial<ChatCompletion.Choice["message"]>): ChatCompletion {
  const choice = {
    index: 0,
    finish_reason: "stop" as const,
    logprobs: null,
    message: { role: "assistant" as const, content: null, refusal: null, ...message },
  };
  return {
    ...base,
    object: "chat.completion",
    choices: [choice],
    usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 },
  };
}

function chunk(delta: ChatCompletionChunk.Choice.Delta & { reasoning_content?: string }): ChatCompletionChunk {
  return {
    ...base,
    object: "chat.completion.chunk",
    choices: [{ index: 0, delta, finish_reason: null, logprobs: null }],
  };
}

/** OpenAI's closing chunk with include_usage: `choices: []`. */
const usageChunk = (input: number, output: number): ChatCompletionChunk => ({
  ...base,
  object: "chat.completion.chunk",
  choices: [],
  usage: { prompt_tokens: input, completion_tokens: output, total_tokens: input + output },
});

/** The gateway's part: model names for the answer ("openai/gpt-4o-mini" → "gpt-4o-mini"). */
function modelInfo(parsed: AigneChatEnvelope) {
  const modelWithProvider = parsed.request.model ?? "openai/gpt-5-mini";
  return { wantsJson: parsed.wantsJson, model: modelWithProvider.split("/").pop()!, modelWithProvider };
}

function lastUserText(parsed: AigneChatEnvelope): string {
  const user = parsed.request.messages.filter((m) => m.role === "user").at(-1);
  return typeof user?.content === "string" ? user.content : "";
}

function handleChat(body: unknown, res: ServerResponse) {
  const parsed = parseAigneChatEnvelope(body);
  const answer = answerChat(parsed);
  if ("refuse" in answer) throw answer.refuse;
  const info = modelInfo(parsed);
  if ("completion" in answer) {
    const usage = {
      inputTokens: answer.completion.usage!.prompt_tokens,
      outputTokens: answer.completion.usage!.completion_tokens,
    };
    return send(
      res,
      200,
      toAigneChatResponse(answer.completion, { ...info, usage, credits: 0.0042, modelCallId: "mc_e2e" }),
    );
  }
  expect(parsed.streaming).toBe(true);
  const encoder = createAigneStreamEncoder(info);
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  let usage = { inputTokens: 0, outputTokens: 0 };
  for (const c of answer.chunks) {
    if (c.usage) usage = { inputTokens: c.usage.prompt_tokens, outputTokens: c.usage.completion_tokens };
    const text = encoder.push(c);
    if (text) res.write(text);
  }
  res.end(answer.failAfter ? encoder.error(answer.failAfter) : encoder.finish({ usage, credits: 0.001 }));
}

const hub = useAigneTestServer({
  clientEnv: CLIENT_ENV,
  setEnv: { BLOCKLET_APP_PID: APP_DID }, // becomes x-aigne-hub-client-did
  route: ({ method, url, body }, res) => {
    if (method === "POST" && url.pathname === "/api/v2/chat") handleChat(body, res);
  },
});

/** `aignehub/` picks the hub protocol; the rest is the model the hub receives (docs/aigne-protocol.md, "Which protocol the client uses"). */
const chatModel = () =>
  new AIGNEHubChatModel({ baseURL: hub.origin, apiKey: API_KEY, model: "aignehub/openai/gpt-4o-mini" });

async function collect(stream: AgentResponseStream<ChatModelOutput>) {
  const output: ChatModelOutput = {};
  const textDeltas: string[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { output, textDeltas };
    if ("delta" in value && value.delta.text?.text) textDeltas.push(value.delta.text.text);
    mergeAgentResponseChunk(output, value);
  }
}

const weatherTool = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "Weather for a city",
    parameters: {
      type: "object",
      properties: { city: { type: "string" }, note: { type: "string" } },
      required: ["city"],
    },
  },
};

describe("AIGNEHubChatModel against our translations", () => {
  it("discovers the hub, sends its key and app, and gets a plain answer", async () => {
    answerChat = (parsed) => {
      expect(parsed.streaming).toBe(false);
      return { completion: completion({ content: `echo: ${lastUserText(parsed)} via ${parsed.request.model}` }) };
    };
    const out = await chatModel().invoke({ messages: [{ role: "user", content: "Say hello" }] });
    expect(out.text).toBe("echo: Say hello via openai/gpt-4o-mini");
    expect(out.usage).toEqual({ inputTokens: 11, outputTokens: 7, aigneHubCredits: 0.0042 });
    expect(out.model).toBe("gpt-4o-mini");

    expect(hub.seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      "GET /__blocklet__.js?type=json",
      "POST /api/v2/chat",
    ]);
    const post = defined(hub.seen[1], "the POST");
    expect(post.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(post.headers["x-aigne-hub-client-did"]).toBe(APP_DID);
    expect(post.body).toMatchObject({
      agent: "$CHAT_MODEL",
      input: { outputFileType: "url", modelOptions: { model: "openai/gpt-4o-mini" } },
    });
    expect((post.body as { options: object }).options).not.toHaveProperty("streaming"); // absent, not false (§3)
  });

  it("round-trips tool calls: history in with object arguments, new calls out as objects", async () => {
    answerChat = (parsed) => {
      const assistant = parsed.request.messages.find((m) => m.role === "assistant");
      const tool = parsed.request.messages.find((m) => m.role === "tool");
      const previous =
        assistant?.role === "assistant" && assistant.tool_calls?.[0]?.type === "function"
          ? assistant.tool_calls[0]
          : undefined;
      expect(typeof previous?.function.arguments).toBe("string"); // OpenAI wants a JSON string upstream
      const prevCity = JSON.parse(previous!.function.arguments).city;
      const note = `after ${prevCity} (${tool?.role === "tool" ? `${tool.tool_call_id}: ${tool.content}` : "?"})`;
      expect(parsed.request.tools?.[0]).toEqual(weatherTool);
      return {
        completion: completion({
          tool_calls: [
            {
              id: "call_2",
              type: "function",
              function: { name: "get_weather", arguments: JSON.stringify({ city: "Berlin", note }) },
            },
          ],
        }),
      };
    };
    const out = await chatModel().invoke({
      messages: [
        { role: "user", content: "Weather in Paris?" },
        {
          role: "agent",
          toolCalls: [
            { id: "call_1", type: "function", function: { name: "get_weather", arguments: { city: "Paris" } } },
          ],
        },
        { role: "tool", toolCallId: "call_1", content: "18C" },
        { role: "user", content: "And in Berlin?" },
      ],
      tools: [weatherTool],
      toolChoice: "auto",
    });
    expect(out.toolCalls).toEqual([
      {
        id: "call_2",
        type: "function",
        function: { name: "get_weather", arguments: { city: "Berlin", note: "after Paris (call_1: 18C)" } },
      },
    ]);
    expect(out).not.toHaveProperty("text");
  });

  it("answers a json_schema request with json", async () => {
    answerChat = (parsed) => {
      const format = parsed.request.response_format;
      const name = format?.type === "json_schema" ? format.json_schema.name : "none";
      return { completion: completion({ content: JSON.stringify({ city: lastUserText(parsed), schema: name }) }) };
    };
    const out = await chatModel().invoke({
      messages: [{ role: "user", content: "Oslo" }],
      responseFormat: {
        type: "json_schema",
        jsonSchema: {
          name: "place",
          schema: {
            type: "object",
            properties: { city: { type: "string" }, schema: { type: "string" } },
            required: ["city"],
          },
        },
      },
    });
    expect(out.json).toEqual({ city: "Oslo", schema: "place" });
  });

  it("streams text and thoughts as they come, then usage", async () => {
    answerChat = (parsed) => ({
      chunks: [
        chunk({ role: "assistant", reasoning_content: "The user says " }),
        chunk({ reasoning_content: "hi." }),
        chunk({ content: "Hel" }),
        chunk({ content: "lo, " }),
        chunk({ content: lastUserText(parsed) }),
        usageChunk(9, 3),
      ],
    });
    const stream = await chatModel().invoke({ messages: [{ role: "user", content: "Ada" }] }, { streaming: true });
    const { output, textDeltas } = await collect(stream);
    expect(textDeltas).toEqual(["Hel", "lo, ", "Ada"]);
    expect(output.text).toBe("Hello, Ada");
    expect(output.thoughts).toBe("The user says hi.");
    expect(output.usage).toEqual({ inputTokens: 9, outputTokens: 3, aigneHubCredits: 0.001 });
    expect(output.model).toBe("gpt-4o-mini");
    expect(hub.seen.at(-1)?.body).toMatchObject({ options: { streaming: true } });
  });

  it("streams tool calls sent in fragments and json answers", async () => {
    answerChat = () => ({
      chunks: [
        chunk({
          role: "assistant",
          tool_calls: [{ index: 0, id: "call_s", type: "function", function: { name: "get_weather", arguments: "" } }],
        }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: 'ty":"Rome"}' } }] }),
        usageChunk(20, 5),
      ],
    });
    const tools = await collect(
      await chatModel().invoke(
        { messages: [{ role: "user", content: "Rome?" }], tools: [weatherTool] },
        { streaming: true },
      ),
    );
    expect(tools.output.toolCalls).toEqual([
      { id: "call_s", type: "function", function: { name: "get_weather", arguments: { city: "Rome" } } },
    ]);

    answerChat = (parsed) => ({
      chunks: [
        chunk({ content: '{"city":' }),
        chunk({ content: JSON.stringify(lastUserText(parsed)) + "}" }),
        usageChunk(5, 5),
      ],
    });
    const json = await collect(
      await chatModel().invoke(
        {
          messages: [{ role: "user", content: "Lima" }],
          responseFormat: {
            type: "json_schema",
            jsonSchema: { name: "c", schema: { type: "object", properties: { city: { type: "string" } } } },
          },
        },
        { streaming: true },
      ),
    );
    expect(json.output.json).toEqual({ city: "Lima" });
  });

  it("raises an error event sent mid-stream with its message", async () => {
    answerChat = () => ({ chunks: [chunk({ content: "partial" })], failAfter: "Upstream provider closed the stream" });
    const stream = await chatModel().invoke({ messages: [{ role: "user", content: "x" }] }, { streaming: true });
    await expect(collect(stream)).rejects.toThrow("Upstream provider closed the stream");
    expect(hub.seen.filter((s) => s.method === "POST")).toHaveLength(1); // not retried
  });

  it("raises a 402 before the answer with its message and type, streaming or not", async () => {
    const link = "https://hub.example/credits";
    answerChat = () => ({
      refuse: new HubError("insufficient_credits", `Not enough credits, top up at ${link}`, null, {
        type: "NOT_ENOUGH",
        extra: { link },
      }),
    });
    await expect(chatModel().invoke({ messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({
      message: `Not enough credits, top up at ${link}`,
      type: "NOT_ENOUGH",
    });
    // Streaming, invoke() hands back the stream at once; the error surfaces on the first read.
    const stream = await chatModel().invoke({ messages: [{ role: "user", content: "x" }] }, { streaming: true });
    await expect(collect(stream)).rejects.toThrow(`Not enough credits, top up at ${link}`);
    // A 4xx is not retried by the client: one discovery and one POST per call.
    expect(hub.seen.filter((s) => s.method === "POST")).toHaveLength(2);
  });

  it("raises our validation error, naming the field", async () => {
    answerChat = () => {
      throw new Error("must not be reached");
    };
    // The client's schema lets a tool message go without toolCallId; ours refuses it.
    await expect(chatModel().invoke({ messages: [{ role: "tool", content: "42" }] })).rejects.toThrow(
      "input.messages[0].toolCallId is required on tool messages.",
    );
  });
});
