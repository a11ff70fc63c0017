/**
 * "View code": the playground's current request as code an app can run against the hub's public API
 * (`<PUBLIC_URL>/api/v2`, with an access key from the Keys page in $AI_HUB_KEY); a chat also in OpenAI's Responses
 * API and Anthropic's Messages API. The playground's own endpoint is session-only, so the snippets never point at it.
 */
export type SnippetRequest =
  | {
      kind: "chat";
      body: {
        model: string;
        messages: Array<{ role: string; content: string }>;
        temperature?: number;
        top_p?: number;
        max_tokens?: number;
      };
    }
  | { kind: "image"; body: { model: string; prompt: string; n: number; size: string } }
  | { kind: "embedding"; body: { model: string; input: string } };

export interface Snippet {
  id: string;
  label: string;
  code: string;
}

const PATHS = { chat: "/chat/completions", image: "/images/generations", embedding: "/embeddings" } as const;
const KEY_VAR = "AI_HUB_KEY";

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const indent = (text: string, by: string) => text.split("\n").join(`\n${by}`);

/** JSON as a Python literal (true/false/null differ; strings and numbers are the same). */
function pythonLiteral(value: unknown, pad = ""): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (Array.isArray(value)) return `[${value.map((v) => pythonLiteral(v, pad)).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `${JSON.stringify(k)}: ${pythonLiteral(v, pad)}`,
    );
    return `{${entries.join(", ")}}`;
  }
  return JSON.stringify(value);
}

function curl(base: string, r: SnippetRequest): string {
  const body = r.kind === "chat" ? { ...r.body, stream: true } : r.body;
  return [
    `curl ${base}${PATHS[r.kind]} \\`,
    `  -H "Authorization: Bearer $${KEY_VAR}" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d ${shellQuote(JSON.stringify(body, null, 2))}`,
  ].join("\n");
}

function typescript(base: string, r: SnippetRequest): string {
  const head = [
    `import OpenAI from "openai";`,
    ``,
    `const client = new OpenAI({ apiKey: process.env.${KEY_VAR}, baseURL: ${JSON.stringify(base)} });`,
    ``,
  ];
  const args = (extra: object = {}) => indent(JSON.stringify({ ...r.body, ...extra }, null, 2), "");
  if (r.kind === "chat") {
    return [
      ...head,
      `const stream = await client.chat.completions.create(${args({ stream: true })});`,
      `for await (const chunk of stream) {`,
      `  process.stdout.write(chunk.choices[0]?.delta?.content ?? "");`,
      `}`,
    ].join("\n");
  }
  if (r.kind === "image")
    return [
      ...head,
      `const images = await client.images.generate(${args({ response_format: "b64_json" })});`,
      `console.log(images.data?.length, "image(s)");`,
    ].join("\n");
  return [
    ...head,
    `const result = await client.embeddings.create(${args()});`,
    `console.log(result.data[0].embedding.length, "dimensions");`,
  ].join("\n");
}

function python(base: string, r: SnippetRequest): string {
  const head = [
    `import os`,
    `from openai import OpenAI`,
    ``,
    `client = OpenAI(api_key=os.environ["${KEY_VAR}"], base_url=${JSON.stringify(base)})`,
    ``,
  ];
  const kwargs = (extra: object = {}) =>
    Object.entries({ ...r.body, ...extra })
      .map(([k, v]) => `    ${k}=${pythonLiteral(v)},`)
      .join("\n");
  if (r.kind === "chat") {
    return [
      ...head,
      `stream = client.chat.completions.create(`,
      kwargs({ stream: true }),
      `)`,
      `for chunk in stream:`,
      `    print(chunk.choices[0].delta.content or "", end="")`,
    ].join("\n");
  }
  if (r.kind === "image")
    return [
      ...head,
      `images = client.images.generate(`,
      kwargs({ response_format: "b64_json" }),
      `)`,
      `print(len(images.data), "image(s)")`,
    ].join("\n");
  return [
    ...head,
    `result = client.embeddings.create(`,
    kwargs(),
    `)`,
    `print(len(result.data[0].embedding), "dimensions")`,
  ].join("\n");
}

/** AIGNE's client talks to the hub's origin (it discovers the API itself) and names models "aignehub/<model>". */
function aigne(hubUrl: string, r: SnippetRequest): string {
  const options = `{\n  baseURL: ${JSON.stringify(hubUrl)},\n  apiKey: process.env.${KEY_VAR},\n  model: ${JSON.stringify(`aignehub/${r.body.model}`)},\n}`;
  if (r.kind === "chat") {
    const { model: _m, messages, temperature, top_p, max_tokens } = r.body;
    const modelOptions = { temperature, topP: top_p, maxTokens: max_tokens };
    const set = Object.fromEntries(Object.entries(modelOptions).filter(([, v]) => v !== undefined));
    const input = { messages, ...(Object.keys(set).length ? { modelOptions: set } : {}) };
    return [
      `import { AIGNEHubChatModel } from "@aigne/aigne-hub";`,
      ``,
      `const model = new AIGNEHubChatModel(${options});`,
      `const result = await model.invoke(${JSON.stringify(input, null, 2)});`,
      `console.log(result.text);`,
    ].join("\n");
  }
  if (r.kind === "image") {
    const input = { prompt: r.body.prompt, n: r.body.n, outputFileType: "file", modelOptions: { size: r.body.size } };
    return [
      `import { AIGNEHubImageModel } from "@aigne/aigne-hub";`,
      ``,
      `const model = new AIGNEHubImageModel(${options});`,
      `const result = await model.invoke(${JSON.stringify(input, null, 2)});`,
      `console.log(result.images.length, "image(s)");`,
    ].join("\n");
  }
  return [
    `// @aigne/aigne-hub has no embeddings model class; use the OpenAI SDK (TypeScript tab) with`,
    `// baseURL ${JSON.stringify(`${hubUrl}/api/v2`)}: the hub serves embeddings there.`,
  ].join("\n");
}

type ChatBody = Extract<SnippetRequest, { kind: "chat" }>["body"];

/** The chat request in OpenAI's Responses API: messages become `input` items, `max_tokens` `max_output_tokens`. */
function responsesBody(body: ChatBody) {
  const { model, messages, temperature, top_p, max_tokens } = body;
  return { model, input: messages, ...defined({ temperature, top_p, max_output_tokens: max_tokens }), stream: true };
}

/** The chat request in Anthropic's Messages API: system text apart, `max_tokens` required. */
function messagesBody(body: ChatBody) {
  const { model, messages, temperature, top_p, max_tokens } = body;
  const system = messages
    .filter((m) => m.role === "system")
    .map((m) => m.content)
    .join("\n\n");
  const turns = messages.filter((m) => m.role !== "system");
  const limits = { max_tokens: max_tokens ?? 1024 };
  return {
    model,
    ...limits,
    ...(system ? { system } : {}),
    messages: turns,
    ...defined({ temperature, top_p }),
    stream: true,
  };
}

const defined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

function responsesCurl(base: string, body: ChatBody): string {
  return [
    `curl ${base}/responses \\`,
    `  -H "Authorization: Bearer $${KEY_VAR}" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d ${shellQuote(JSON.stringify(responsesBody(body), null, 2))}`,
  ].join("\n");
}

function responsesSdk(base: string, body: ChatBody): string {
  return [
    `import OpenAI from "openai";`,
    ``,
    `const client = new OpenAI({ apiKey: process.env.${KEY_VAR}, baseURL: ${JSON.stringify(base)} });`,
    ``,
    `const stream = await client.responses.create(${JSON.stringify(responsesBody(body), null, 2)});`,
    `for await (const event of stream) {`,
    `  if (event.type === "response.output_text.delta") process.stdout.write(event.delta);`,
    `}`,
  ].join("\n");
}

/** Anthropic's clients take the hub's origin: they add `/v1/messages` themselves. */
function messagesCurl(origin: string, body: ChatBody): string {
  return [
    `curl ${origin}/v1/messages \\`,
    `  -H "x-api-key: $${KEY_VAR}" \\`,
    `  -H "anthropic-version: 2023-06-01" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d ${shellQuote(JSON.stringify(messagesBody(body), null, 2))}`,
  ].join("\n");
}

function messagesSdk(origin: string, body: ChatBody): string {
  return [
    `import Anthropic from "@anthropic-ai/sdk";`,
    ``,
    `const client = new Anthropic({ apiKey: process.env.${KEY_VAR}, baseURL: ${JSON.stringify(origin)} });`,
    ``,
    `const stream = await client.messages.create(${JSON.stringify(messagesBody(body), null, 2)});`,
    `for await (const event of stream) {`,
    `  if (event.type === "content_block_delta" && event.delta.type === "text_delta") process.stdout.write(event.delta.text);`,
    `}`,
  ].join("\n");
}

export function requestSnippets(hubUrl: string, request: SnippetRequest): Snippet[] {
  const origin = hubUrl.replace(/\/+$/, "");
  const base = `${origin}/api/v2`;
  const snippets = [
    { id: "curl", label: "curl", code: curl(base, request) },
    { id: "typescript", label: "TypeScript", code: typescript(base, request) },
    { id: "python", label: "Python", code: python(base, request) },
    { id: "aigne", label: "@aigne/aigne-hub", code: aigne(origin, request) },
  ];
  if (request.kind !== "chat") return snippets;
  // The same conversation in the two agent APIs (what Codex CLI and Claude Code speak).
  return [
    ...snippets,
    { id: "responses-curl", label: "Responses curl", code: responsesCurl(base, request.body) },
    { id: "responses-sdk", label: "Responses SDK", code: responsesSdk(base, request.body) },
    { id: "messages-curl", label: "Messages curl", code: messagesCurl(origin, request.body) },
    { id: "messages-sdk", label: "Messages SDK", code: messagesSdk(origin, request.body) },
  ];
}
