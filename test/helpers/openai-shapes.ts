/**
 * Hand-written checks of the hub's answers on the OpenAI paths against the required fields and types of OpenAI's
 * published OpenAPI schemas (openai/openai-openapi; summarised in docs/api-contracts.md). Each returns the list of
 * problems, so a failing test names every field that is off. Extra fields (the hub's `usage.cost`) are allowed, as
 * the schemas allow them.
 */
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const isInt = (v: unknown) => typeof v === "number" && Number.isInteger(v);
const isStringOrNull = (v: unknown) => typeof v === "string" || v === null;

class Problems {
  readonly list: string[] = [];
  check(ok: boolean, what: string): void {
    if (!ok) this.list.push(what);
  }
  /** `path` must be present (even when null is allowed) and pass `test`. */
  field(obj: Json, key: string, test: (v: unknown) => boolean, path: string): void {
    if (!(key in obj)) this.list.push(`${path}.${key} is missing`);
    else if (!test(obj[key])) this.list.push(`${path}.${key} has a wrong value: ${JSON.stringify(obj[key])}`);
  }
}

const FINISH_REASONS = ["stop", "length", "tool_calls", "content_filter", "function_call"];

/** CompletionUsage: prompt_tokens, completion_tokens, total_tokens (integers). */
function checkCompletionUsage(p: Problems, usage: unknown, path: string): void {
  if (!isObject(usage)) return p.check(false, `${path} is not an object`);
  for (const key of ["prompt_tokens", "completion_tokens", "total_tokens"]) p.field(usage, key, isInt, path);
}

function checkToolCalls(p: Problems, calls: unknown, path: string, chunk: boolean): void {
  if (calls === undefined) return;
  if (!Array.isArray(calls)) return p.check(false, `${path} is not an array`);
  calls.forEach((call, i) => {
    const at = `${path}[${i}]`;
    if (!isObject(call)) return p.check(false, `${at} is not an object`);
    if (chunk) return p.field(call, "index", isInt, at);
    p.field(call, "id", (v) => typeof v === "string", at);
    p.field(call, "type", (v) => v === "function", at);
    p.field(call, "function", isObject, at);
    if (isObject(call.function))
      for (const key of ["name", "arguments"])
        p.field(call.function, key, (v) => typeof v === "string", `${at}.function`);
  });
}

/** CreateChatCompletionResponse, choices[].message as ChatCompletionResponseMessage. */
export function chatCompletionProblems(body: unknown): string[] {
  const p = new Problems();
  if (!isObject(body)) return ["the answer is not an object"];
  p.field(body, "id", (v) => typeof v === "string", "$");
  p.field(body, "object", (v) => v === "chat.completion", "$");
  p.field(body, "created", isInt, "$");
  p.field(body, "model", (v) => typeof v === "string", "$");
  p.field(body, "choices", Array.isArray, "$");
  for (const [i, choice] of (Array.isArray(body.choices) ? body.choices : []).entries()) {
    const at = `$.choices[${i}]`;
    if (!isObject(choice)) {
      p.check(false, `${at} is not an object`);
      continue;
    }
    p.field(choice, "index", isInt, at);
    p.field(choice, "finish_reason", (v) => FINISH_REASONS.includes(v as string), at);
    p.field(choice, "logprobs", (v) => v === null || isObject(v), at);
    p.field(choice, "message", isObject, at);
    if (!isObject(choice.message)) continue;
    p.field(choice.message, "role", (v) => v === "assistant", `${at}.message`);
    p.field(choice.message, "content", isStringOrNull, `${at}.message`);
    p.field(choice.message, "refusal", isStringOrNull, `${at}.message`);
    checkToolCalls(p, choice.message.tool_calls, `${at}.message.tool_calls`, false);
  }
  if (body.usage !== undefined) checkCompletionUsage(p, body.usage, "$.usage");
  return p.list;
}

/** CreateChatCompletionStreamResponse: every chunk; choices[] need delta, index and a (nullable) finish_reason. */
export function chatChunkProblems(chunk: unknown): string[] {
  const p = new Problems();
  if (!isObject(chunk)) return ["the chunk is not an object"];
  p.field(chunk, "id", (v) => typeof v === "string", "$");
  p.field(chunk, "object", (v) => v === "chat.completion.chunk", "$");
  p.field(chunk, "created", isInt, "$");
  p.field(chunk, "model", (v) => typeof v === "string", "$");
  p.field(chunk, "choices", Array.isArray, "$");
  for (const [i, choice] of (Array.isArray(chunk.choices) ? chunk.choices : []).entries()) {
    const at = `$.choices[${i}]`;
    if (!isObject(choice)) {
      p.check(false, `${at} is not an object`);
      continue;
    }
    p.field(choice, "index", isInt, at);
    p.field(choice, "delta", isObject, at);
    p.field(choice, "finish_reason", (v) => v === null || FINISH_REASONS.includes(v as string), at);
    if (isObject(choice.delta)) {
      const delta = choice.delta;
      if ("content" in delta) p.field(delta, "content", isStringOrNull, `${at}.delta`);
      checkToolCalls(p, delta.tool_calls, `${at}.delta.tool_calls`, true);
    }
  }
  if (chunk.usage !== undefined && chunk.usage !== null) checkCompletionUsage(p, chunk.usage, "$.usage");
  return p.list;
}

/** CreateEmbeddingResponse with float embeddings. */
export function embeddingsProblems(body: unknown): string[] {
  const p = new Problems();
  if (!isObject(body)) return ["the answer is not an object"];
  p.field(body, "object", (v) => v === "list", "$");
  p.field(body, "model", (v) => typeof v === "string", "$");
  p.field(body, "data", Array.isArray, "$");
  for (const [i, item] of (Array.isArray(body.data) ? body.data : []).entries()) {
    if (!isObject(item)) {
      p.check(false, `$.data[${i}] is not an object`);
      continue;
    }
    p.field(item, "index", isInt, `$.data[${i}]`);
    p.field(item, "object", (v) => v === "embedding", `$.data[${i}]`);
    p.field(item, "embedding", (v) => Array.isArray(v) && v.every((x) => typeof x === "number"), `$.data[${i}]`);
  }
  p.field(body, "usage", isObject, "$");
  if (isObject(body.usage))
    for (const key of ["prompt_tokens", "total_tokens"]) p.field(body.usage, key, isInt, "$.usage");
  return p.list;
}

/** ImagesResponse: `created`; `usage`, when present, is a complete ImageGenUsage. */
export function imagesProblems(body: unknown): string[] {
  const p = new Problems();
  if (!isObject(body)) return ["the answer is not an object"];
  p.field(body, "created", isInt, "$");
  if ("data" in body) p.field(body, "data", Array.isArray, "$");
  if ("usage" in body) {
    const usage = body.usage;
    if (!isObject(usage)) return [...p.list, "$.usage is not an object"];
    for (const key of ["input_tokens", "output_tokens", "total_tokens"]) p.field(usage, key, isInt, "$.usage");
    p.field(usage, "input_tokens_details", isObject, "$.usage");
    if (isObject(usage.input_tokens_details)) {
      for (const key of ["text_tokens", "image_tokens"])
        p.field(usage.input_tokens_details, key, isInt, "$.usage.input_tokens_details");
    }
  }
  return p.list;
}

/** ListModelsResponse of Model objects. */
export function modelListProblems(body: unknown): string[] {
  const p = new Problems();
  if (!isObject(body)) return ["the answer is not an object"];
  p.field(body, "object", (v) => v === "list", "$");
  p.field(body, "data", Array.isArray, "$");
  for (const [i, model] of (Array.isArray(body.data) ? body.data : []).entries()) {
    if (!isObject(model)) {
      p.check(false, `$.data[${i}] is not an object`);
      continue;
    }
    p.field(model, "id", (v) => typeof v === "string", `$.data[${i}]`);
    p.field(model, "object", (v) => v === "model", `$.data[${i}]`);
    p.field(model, "created", isInt, `$.data[${i}]`);
    p.field(model, "owned_by", (v) => typeof v === "string", `$.data[${i}]`);
  }
  return p.list;
}

/** ErrorResponse: `error` with message and type (strings), code and param (string or null), all present. */
export function errorProblems(body: unknown): string[] {
  const p = new Problems();
  if (!isObject(body)) return ["the answer is not an object"];
  p.field(body, "error", isObject, "$");
  if (!isObject(body.error)) return p.list;
  p.field(body.error, "message", (v) => typeof v === "string" && v.length > 0, "$.error");
  p.field(body.error, "type", (v) => typeof v === "string", "$.error");
  p.field(body.error, "code", isStringOrNull, "$.error");
  p.field(body.error, "param", isStringOrNull, "$.error");
  return p.list;
}

/** The hub's `usage.cost` (credits), an extra field the OpenAI SDK's types do not name. */
export function hubCost(usage: object | null | undefined): unknown {
  return usage && "cost" in usage ? usage.cost : undefined;
}
