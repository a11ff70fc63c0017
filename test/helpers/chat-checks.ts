/**
 * The client side of end-to-end provider tests: what an application does with the `openai` SDK against the hub
 * (ask, stream, call a tool and send its result back), returning what it saw plus the hub's request id, so a
 * test can compare it with the call record.
 */
import { eq } from "drizzle-orm";
import type OpenAI from "openai";
import { modelCalls } from "@drizzle/schema";
import { callRecorder } from "@server/usage/call-recorder.server";
import type { TempHub } from "./temp-db";

export const WEATHER_TOOL: OpenAI.ChatCompletionTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Current weather for a place",
    parameters: {
      type: "object",
      properties: { location: { type: "string" }, unit: { type: "string" } },
      required: ["location"],
    },
  },
};

export async function callRecord(hub: TempHub, requestId: string) {
  await callRecorder.flush();
  const [row] = await hub.database.db.select().from(modelCalls).where(eq(modelCalls.requestId, requestId));
  if (!row) throw new Error(`no call record for ${requestId}`);
  return row;
}

export async function ask(
  client: OpenAI,
  model: string,
  messages: OpenAI.ChatCompletionMessageParam[],
  extra: Partial<OpenAI.ChatCompletionCreateParamsNonStreaming> = {},
  options?: OpenAI.RequestOptions,
) {
  const { data, response } = await client.chat.completions
    .create({ model, messages, ...extra }, options)
    .withResponse();
  return { data, requestId: response.headers.get("x-request-id")! };
}

/** Streams with include_usage; returns the text, the usage chunk and the finish reason. */
export async function streamText(client: OpenAI, model: string, messages: OpenAI.ChatCompletionMessageParam[]) {
  const { data, response } = await client.chat.completions
    .create({ model, messages, stream: true, stream_options: { include_usage: true } })
    .withResponse();
  let text = "";
  let chunks = 0;
  let usage: OpenAI.CompletionUsage | null = null;
  let finish: string | null = null;
  for await (const chunk of data) {
    chunks++;
    text += chunk.choices[0]?.delta?.content ?? "";
    finish = chunk.choices[0]?.finish_reason ?? finish;
    if (chunk.usage) usage = chunk.usage;
  }
  return { text, chunks, usage, finish, requestId: response.headers.get("x-request-id")! };
}

/**
 * Asks about the weather with a tool offered (streamed or not), checks the model called it, sends a tool result
 * back and returns the model's final answer.
 */
export async function toolRoundTrip(client: OpenAI, model: string, options: { stream: boolean; result: string }) {
  const messages: OpenAI.ChatCompletionMessageParam[] = [
    { role: "user", content: "What is the weather in Paris today?" },
  ];
  const first = options.stream
    ? await client.chat.completions.stream({ model, messages, tools: [WEATHER_TOOL] }).finalChatCompletion()
    : (await ask(client, model, messages, { tools: [WEATHER_TOOL] })).data;
  const choice = first.choices[0]!;
  const call = choice.message.tool_calls?.[0];
  if (!call || call.type !== "function") throw new Error(`expected a tool call, got ${JSON.stringify(choice.message)}`);
  const followUp: OpenAI.ChatCompletionMessageParam[] = [
    ...messages,
    { role: "assistant", content: choice.message.content ?? null, tool_calls: [call] },
    { role: "tool", tool_call_id: call.id, content: options.result },
  ];
  const final = await ask(client, model, followUp, { tools: [WEATHER_TOOL] });
  return {
    finishReason: choice.finish_reason,
    call: { id: call.id, name: call.function.name, args: JSON.parse(call.function.arguments) as unknown },
    answer: final.data.choices[0]!.message.content,
    finalRequestId: final.requestId,
  };
}

/** Streams and collects text until the stream ends or the SDK raises (an in-band error event). */
export async function streamUntilError(client: OpenAI, model: string, content: string) {
  const { data, response } = await client.chat.completions
    .create({ model, messages: [{ role: "user", content }], stream: true })
    .withResponse();
  let text = "";
  let error: unknown = null;
  try {
    for await (const chunk of data) text += chunk.choices[0]?.delta?.content ?? "";
  } catch (e) {
    error = e;
  }
  return { text, error, requestId: response.headers.get("x-request-id")! };
}
