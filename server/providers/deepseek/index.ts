/**
 * DeepSeek (https://api-docs.deepseek.com/): OpenAI-compatible chat only. Its usage adds
 * `prompt_cache_hit_tokens`, which the shared usage parser reads as cached input.
 */
import type { ProviderAdapter } from "../types";
import { createOpenAICompatibleAdapter } from "../openai-compatible/adapter";

export const deepseekAdapter: ProviderAdapter = createOpenAICompatibleAdapter({
  kind: "deepseek",
  displayName: "DeepSeek",
  menuHint: null,
  needsKey: true,
  keyHint: null,
  freeWhenUnpriced: false,
  modelFamily: /^deepseek/,
  builtinModels: [],
  defaultBaseUrl: "https://api.deepseek.com/v1",
  supportsEmbeddings: false,
  supportsImages: false,
});
