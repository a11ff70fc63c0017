/**
 * Ollama's OpenAI-compatible endpoint (https://github.com/ollama/ollama/blob/main/docs/openai.md): chat and
 * embeddings on a local server. It needs no key, so an empty secret sends no Authorization header (a key is
 * still sent when set, for Ollama behind an authenticating proxy).
 */
import type { ProviderAdapter } from "../types";
import { createOpenAICompatibleAdapter, optionalBearer } from "../openai-compatible/adapter";

export const ollamaAdapter: ProviderAdapter = createOpenAICompatibleAdapter({
  kind: "ollama",
  displayName: "Ollama",
  menuHint: null,
  needsKey: false,
  keyHint: "Optional: only an Ollama behind an authenticating proxy needs one.",
  freeWhenUnpriced: false,
  modelFamily: null,
  builtinModels: [],
  defaultBaseUrl: "http://127.0.0.1:11434/v1",
  authHeader: optionalBearer,
  supportsEmbeddings: true,
  supportsImages: false,
});
