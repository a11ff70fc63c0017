/**
 * Doubao on Volcengine Ark (https://www.volcengine.com/docs/82379/1298454): OpenAI-compatible chat,
 * embeddings and Seedream image generation under /api/v3. The model is a model id or an endpoint id (ep-...).
 */
import type { ProviderAdapter } from "../types";
import { createOpenAICompatibleAdapter } from "../openai-compatible/adapter";

export const doubaoAdapter: ProviderAdapter = createOpenAICompatibleAdapter({
  kind: "doubao",
  displayName: "Doubao (Volcengine Ark)",
  menuHint: null,
  needsKey: true,
  keyHint: null,
  freeWhenUnpriced: false,
  modelFamily: /^doubao/,
  builtinModels: [],
  defaultBaseUrl: "https://ark.cn-beijing.volces.com/api/v3",
  supportsEmbeddings: true,
  supportsImages: true,
});
