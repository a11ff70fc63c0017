/**
 * xAI Grok (https://docs.x.ai/docs/api-reference): OpenAI-compatible chat and image generation.
 */
import type { ProviderAdapter } from "../types";
import { createOpenAICompatibleAdapter } from "../openai-compatible/adapter";

export const xaiAdapter: ProviderAdapter = createOpenAICompatibleAdapter({
  kind: "xai",
  displayName: "xAI",
  menuHint: null,
  needsKey: true,
  keyHint: null,
  freeWhenUnpriced: false,
  modelFamily: /^grok/,
  builtinModels: [],
  defaultBaseUrl: "https://api.x.ai/v1",
  supportsEmbeddings: false,
  supportsImages: true,
  // https://docs.x.ai/docs/api-reference#create-new-response
  supportsResponses: true,
});
