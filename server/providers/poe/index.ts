/**
 * Poe's OpenAI-compatible API (https://creator.poe.com/docs/external-applications/openai-compatible-api):
 * chat with any Poe bot by name.
 */
import type { ProviderAdapter } from "../types";
import { createOpenAICompatibleAdapter } from "../openai-compatible/adapter";

export const poeAdapter: ProviderAdapter = createOpenAICompatibleAdapter({
  kind: "poe",
  displayName: "Poe",
  menuHint: null,
  needsKey: true,
  keyHint: null,
  freeWhenUnpriced: false,
  modelFamily: null,
  builtinModels: [],
  defaultBaseUrl: "https://api.poe.com/v1",
  supportsEmbeddings: false,
  supportsImages: false,
});
