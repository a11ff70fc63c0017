/**
 * OpenRouter (https://openrouter.ai/docs/api-reference/overview): OpenAI-compatible chat and embeddings.
 * The optional `HTTP-Referer` and `X-Title` headers attribute traffic to an app on openrouter.ai
 * (https://openrouter.ai/docs/api-reference/overview#headers); set them per credential as
 * options.httpReferer / options.xTitle.
 */
import type { ProviderAdapter, UpstreamTarget } from "../types";
import { createOpenAICompatibleAdapter } from "../openai-compatible/adapter";

function attributionHeaders(target: UpstreamTarget): Record<string, string> {
  const headers: Record<string, string> = {};
  const referer = target.options?.httpReferer;
  const title = target.options?.xTitle;
  if (typeof referer === "string" && referer !== "") headers["HTTP-Referer"] = referer;
  if (typeof title === "string" && title !== "") headers["X-Title"] = title;
  return headers;
}

export const openrouterAdapter: ProviderAdapter = createOpenAICompatibleAdapter({
  kind: "openrouter",
  displayName: "OpenRouter",
  menuHint: null,
  needsKey: true,
  keyHint: null,
  freeWhenUnpriced: false,
  modelFamily: null,
  builtinModels: [],
  defaultBaseUrl: "https://openrouter.ai/api/v1",
  supportsEmbeddings: true,
  supportsImages: false,
  // Beta: https://openrouter.ai/docs/api-reference/responses-api/overview
  supportsResponses: true,
  extraHeaders: attributionHeaders,
});
