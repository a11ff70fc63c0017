/**
 * AIGNE Hub's chat envelope (`POST /api/v2/chat`, docs/aigne-protocol.md, "POST /api/v2/chat") → an OpenAI Chat Completions request.
 *
 * The body is what `@aigne/aigne-hub`'s BaseClient posts: `{input: ChatModelInput, agent, options}`. We read only
 * what maps onto OpenAI; cacheConfig, outputFileType, agent, options.userContext and memories are ignored. Unknown
 * fields pass through validation (docs/architecture.md) but are not forwarded.
 * Shapes read from @aigne/core's chatModelInputSchema (lib/esm/agents/chat-model.js).
 */
import type {
  ChatCompletionContentPart,
  ChatCompletionContentPartText,
  ChatCompletionMessageParam,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
} from "openai/resources/chat/completions";
import type { ResponseFormatJSONSchema } from "openai/resources/shared";
import { z } from "zod";
import { HubError } from "../../errors";
import type { ChatCompletionCreateParams } from "../../providers/types";

const jsonObject = z.record(z.string(), z.unknown());

// Content parts (§3). `local` parts are turned into `file` by the client before sending, so one here is a
// hand-written body asking us to read a path we cannot see.
const part = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text"), text: z.string() }),
  z.looseObject({ type: z.literal("url"), url: z.string().min(1), mimeType: z.string().nullish() }),
  z.looseObject({
    type: z.literal("file"),
    data: z.string().min(1),
    mimeType: z.string().nullish(),
    filename: z.string().nullish(),
  }),
  z.looseObject({ type: z.literal("local"), path: z.string() }),
]);
type Part = z.infer<typeof part>;

const message = z.looseObject({
  role: z.enum(["system", "user", "agent", "tool"]),
  content: z.union([z.string(), z.array(part)]).nullish(),
  // Arguments are objects on this wire; a string is tolerated and forwarded as is.
  toolCalls: z
    .array(
      z.looseObject({
        id: z.string().min(1),
        type: z.literal("function").nullish(),
        function: z.looseObject({ name: z.string().min(1), arguments: z.union([jsonObject, z.string()]).nullish() }),
      }),
    )
    .nullish(),
  toolCallId: z.string().nullish(),
  name: z.string().nullish(),
});
type Message = z.infer<typeof message>;

const tool = z.looseObject({
  type: z.literal("function"),
  function: z.looseObject({
    name: z.string().min(1),
    description: z.string().nullish(),
    parameters: jsonObject.nullish(),
  }),
});

// A named choice arrives as the whole tool object (core passes the tool itself); only its name matters.
const toolChoice = z.union([
  z.enum(["auto", "none", "required"]),
  z.looseObject({ type: z.literal("function"), function: z.looseObject({ name: z.string().min(1) }) }),
]);

const responseFormat = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text") }),
  z.looseObject({
    type: z.literal("json_schema"),
    jsonSchema: z.looseObject({
      name: z.string().min(1),
      description: z.string().nullish(),
      schema: jsonObject,
      strict: z.boolean().nullish(),
    }),
  }),
]);

const modelOptions = z.looseObject({
  model: z.string().min(1).nullish(),
  temperature: z.number().nullish(),
  topP: z.number().nullish(),
  frequencyPenalty: z.number().nullish(),
  presencePenalty: z.number().nullish(),
  parallelToolCalls: z.boolean().nullish(),
  // core allows a token budget (number) or an effort name.
  reasoningEffort: z.union([z.number(), z.enum(["none", "minimal", "low", "medium", "high", "xhigh"])]).nullish(),
});

type JsonSchemaFormat = Extract<z.infer<typeof responseFormat>, { type: "json_schema" }>["jsonSchema"];

const aigneChatEnvelopeSchema = z.looseObject({
  input: z.looseObject({
    messages: z.array(message).min(1),
    tools: z.array(tool).nullish(),
    toolChoice: toolChoice.nullish(),
    responseFormat: responseFormat.nullish(),
    modelOptions: modelOptions.nullish(),
  }),
  model: z.string().min(1).nullish(),
  options: z.looseObject({ streaming: z.boolean().nullish() }).nullish(),
});

/** An OpenAI chat request whose model may still be missing: the gateway fills in its default. */
export type AigneChatRequest = Omit<ChatCompletionCreateParams, "model"> & { model?: string };

export interface AigneChatEnvelope {
  request: AigneChatRequest;
  /** `options.streaming === true`: answer with SSE (§3). */
  streaming: boolean;
  /** A json_schema response format was asked: answer `json`, not `text` (§3). */
  wantsJson: boolean;
}

export function parseAigneChatEnvelope(json: unknown): AigneChatEnvelope {
  const body = parseWith(aigneChatEnvelopeSchema, json);
  const { input } = body;
  const options = input.modelOptions ?? {};
  const streaming = body.options?.streaming === true;
  const tools = input.tools?.map(toOpenAITool) ?? [];
  const format = input.responseFormat;

  const request: AigneChatRequest = {
    model: options.model ?? body.model ?? undefined,
    messages: input.messages.map((m, i) => toOpenAIMessage(m, `input.messages[${i}]`)),
    ...(tools.length > 0 ? { tools } : {}),
    ...(input.toolChoice ? { tool_choice: toOpenAIToolChoice(input.toolChoice) } : {}),
    ...(format?.type === "json_schema" ? { response_format: toOpenAIJsonSchema(format.jsonSchema) } : {}),
    ...withoutNil({
      temperature: options.temperature,
      top_p: options.topP,
      frequency_penalty: options.frequencyPenalty,
      presence_penalty: options.presencePenalty,
      reasoning_effort: toReasoningEffort(options.reasoningEffort),
      // OpenAI refuses parallel_tool_calls without tools; core always defaults it to true.
      parallel_tool_calls: tools.length > 0 ? options.parallelToolCalls : undefined,
    }),
    ...(streaming ? { stream: true, stream_options: { include_usage: true } } : {}),
  };
  return { request, streaming, wantsJson: format?.type === "json_schema" };
}

function toOpenAIMessage(m: Message, at: string): ChatCompletionMessageParam {
  const name = m.name ? { name: m.name } : {};
  switch (m.role) {
    case "system":
      return { role: "system", content: textOnly(m.content, at), ...name };
    case "user":
      return { role: "user", content: toUserContent(m.content, at), ...name };
    case "tool":
      if (!m.toolCallId)
        throw new HubError("invalid_input", `${at}.toolCallId is required on tool messages.`, `${at}.toolCallId`);
      return { role: "tool", content: textOnly(m.content, at), tool_call_id: m.toolCallId };
    case "agent": {
      const toolCalls = m.toolCalls?.map((call) => ({
        id: call.id,
        type: "function" as const,
        function: {
          name: call.function.name,
          arguments:
            typeof call.function.arguments === "string"
              ? call.function.arguments
              : JSON.stringify(call.function.arguments ?? {}),
        },
      }));
      const content = m.content == null || m.content === "" ? null : textOnly(m.content, at);
      return { role: "assistant", content, ...(toolCalls?.length ? { tool_calls: toolCalls } : {}), ...name };
    }
  }
}

function toUserContent(content: Message["content"], at: string): string | ChatCompletionContentPart[] {
  if (content == null) return "";
  if (typeof content === "string") return content;
  return content.map((p, i) => toOpenAIPart(p, `${at}.content[${i}]`));
}

/** System, tool and assistant messages carry text only in OpenAI's format. */
function textOnly(content: Message["content"], at: string): string | ChatCompletionContentPartText[] {
  if (content == null) return "";
  if (typeof content === "string") return content;
  return content.map((p, i) => {
    if (p.type === "text") return { type: "text", text: p.text };
    throw new HubError(
      "invalid_input",
      `Only user messages may carry files; ${at}.content[${i}] is a ${p.type} part.`,
      `${at}.content[${i}]`,
    );
  });
}

function toOpenAIPart(p: Part, at: string): ChatCompletionContentPart {
  switch (p.type) {
    case "text":
      return { type: "text", text: p.text };
    case "url": {
      // The client downloads url parts and sends them as `file` unless preferInputFileType is "url".
      const mimeType = p.mimeType ?? mimeFromName(p.url);
      requireImage(mimeType, at);
      return { type: "image_url", image_url: { url: p.url } };
    }
    case "file": {
      if (p.data.startsWith("data:")) {
        requireImage(/^data:([^;,]*)/.exec(p.data)?.[1] || undefined, at);
        return { type: "image_url", image_url: { url: p.data } };
      }
      const mimeType = p.mimeType ?? (p.filename ? mimeFromName(p.filename) : undefined) ?? sniffImageType(p.data);
      if (!mimeType)
        throw new HubError("invalid_input", `${at} needs a mimeType (for example "image/png").`, `${at}.mimeType`);
      requireImage(mimeType, at);
      return { type: "image_url", image_url: { url: `data:${mimeType};base64,${p.data}` } };
    }
    case "local":
      throw new HubError(
        "invalid_input",
        `${at} is a local path the hub cannot read; send the file's data as a "file" part.`,
        at,
      );
  }
}

function requireImage(mimeType: string | undefined, at: string): void {
  // An unknown type on a URL is left to the provider; a known non-image type is refused here.
  if (mimeType && !mimeType.startsWith("image/")) {
    throw new HubError(
      "invalid_input",
      `${at} is ${mimeType}; only images can be attached to chat messages.`,
      `${at}.mimeType`,
    );
  }
}

const EXTENSIONS: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  pdf: "application/pdf",
  txt: "text/plain",
  mp3: "audio/mpeg",
  wav: "audio/wav",
  mp4: "video/mp4",
};

function mimeFromName(name: string): string | undefined {
  const path = name.startsWith("data:") ? "" : (name.split(/[?#]/)[0] ?? "");
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return ext ? EXTENSIONS[ext] : undefined;
}

/** The image formats providers accept, by their first bytes. */
function sniffImageType(base64: string): string | undefined {
  const head = Buffer.from(base64.slice(0, 24), "base64");
  if (head.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]))) return "image/png";
  if (head.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))) return "image/jpeg";
  if (head.subarray(0, 4).toString("latin1") === "GIF8") return "image/gif";
  if (head.subarray(0, 4).toString("latin1") === "RIFF" && head.subarray(8, 12).toString("latin1") === "WEBP")
    return "image/webp";
  return undefined;
}

function toOpenAITool(t: z.infer<typeof tool>): ChatCompletionTool {
  return {
    type: "function",
    function: withoutNil({
      name: t.function.name,
      description: t.function.description,
      parameters: t.function.parameters,
    }),
  };
}

function toOpenAIJsonSchema({ name, description, schema, strict }: JsonSchemaFormat): ResponseFormatJSONSchema {
  return { type: "json_schema", json_schema: withoutNil({ name, description, schema, strict }) };
}

function toOpenAIToolChoice(choice: z.infer<typeof toolChoice>): ChatCompletionToolChoiceOption {
  return typeof choice === "string" ? choice : { type: "function", function: { name: choice.function.name } };
}

/** Token budgets map to effort names the way @aigne/openai's getReasoningEffort does. */
function toReasoningEffort(effort: number | string | null | undefined): AigneChatRequest["reasoning_effort"] {
  if (typeof effort !== "number") return (effort ?? undefined) as AigneChatRequest["reasoning_effort"];
  if (effort > 5000) return "high";
  if (effort > 1000) return "medium";
  if (effort > 500) return "low";
  if (effort > 0) return "minimal";
  return undefined;
}

function withoutNil<T extends Record<string, unknown>>(obj: T): { [K in keyof T]: Exclude<T[K], null | undefined> } {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v != null)) as {
    [K in keyof T]: Exclude<T[K], null | undefined>;
  };
}

/** Validate with zod and throw HubError invalid_input naming the field (`input.messages[2].role`). */
export function parseWith<S extends z.ZodType>(schema: S, json: unknown): z.infer<S> {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const [first] = result.error.issues;
  const { path, message } = first ? deepestIssue(first, []) : { path: [], message: result.error.message };
  const param = formatParam(path);
  throw new HubError(
    "invalid_input",
    param ? `Invalid ${param}: ${message}` : `Invalid body: ${message}`,
    param || null,
  );
}

type Issue = z.core.$ZodIssue;

/** Unions report one issue per branch; the branch that got furthest says what is actually wrong. */
function deepestIssue(issue: Issue, prefix: PropertyKey[]): { path: PropertyKey[]; message: string } {
  const path = [...prefix, ...issue.path];
  if (issue.code !== "invalid_union" || issue.errors.length === 0) return { path, message: issue.message };
  const firsts = issue.errors.map((branch) => branch[0]).filter((i): i is Issue => i !== undefined);
  const [head, ...rest] = firsts;
  if (!head) return { path, message: issue.message };
  const best = rest.reduce((a, b) => (b.path.length > a.path.length ? b : a), head);
  if (best.path.length > 0) return deepestIssue(best, path);
  const expected = firsts.map((i) => ("expected" in i ? i.expected : undefined)).filter(Boolean);
  return { path, message: expected.length === firsts.length ? `expected ${expected.join(" or ")}` : issue.message };
}

function formatParam(path: PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    "",
  );
}
