/**
 * OpenAI (https://platform.openai.com/docs/api-reference): the reference format itself, with chat,
 * embeddings and image generation.
 */
import type { ProviderAdapter } from "../types";
import { createOpenAICompatibleAdapter } from "../openai-compatible/adapter";

/**
 * GPT image models always answer base64 and refuse `response_format` ("Unknown parameter"); DALL·E needs it.
 * https://platform.openai.com/docs/api-reference/images/create#images-create-response_format
 */
export function withoutImageResponseFormat(body: Record<string, unknown>, endpoint: string): Record<string, unknown> {
  if (endpoint !== "images" || typeof body.model !== "string" || !body.model.startsWith("gpt-image")) return body;
  const { response_format: _dropped, ...rest } = body;
  return rest;
}

export const openaiAdapter: ProviderAdapter = createOpenAICompatibleAdapter({
  kind: "openai",
  displayName: "OpenAI",
  menuHint: null,
  needsKey: true,
  keyHint: null,
  freeWhenUnpriced: false,
  modelFamily: /^(gpt-|o1|o3|o4|dall-e|text-embedding|sora|chatgpt-|gpt-image)/,
  builtinModels: [],
  defaultBaseUrl: "https://api.openai.com/v1",
  supportsEmbeddings: true,
  supportsImages: true,
  supportsResponses: true,
  transformBody: (body, _target, endpoint) => withoutImageResponseFormat(body, endpoint),
});
