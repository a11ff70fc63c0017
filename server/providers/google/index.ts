/**
 * Google Gemini API adapter (generativelanguage.googleapis.com, v1beta REST).
 * Chat: generateContent / streamGenerateContent; embeddings: batchEmbedContents; images: Imagen :predict.
 * API reference: https://ai.google.dev/api
 */
import type { ProviderAdapter, UpstreamRequest, UpstreamTarget } from "../types";
import { googleEmbeddings } from "./embeddings";
import { parseError } from "./error";
import { googleImages } from "./images";
import { buildChatRequest, modelsListUrl } from "./request";
import { parseChatResponse } from "./response";
import { createChatStreamParser } from "./stream";

export { GoogleRequestError } from "./request";

export const GOOGLE_DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";

/** GET /v1beta/models (https://ai.google.dev/api/models#method:-models.list); the answer is paged by pageToken. */
function buildListModelsRequest(target: UpstreamTarget): UpstreamRequest {
  // The default page is 50 models, fewer than Google serves; 1000 is the documented maximum.
  return {
    url: `${modelsListUrl(target.baseUrl)}?pageSize=1000`,
    method: "GET",
    headers: { "x-goog-api-key": target.secret },
  };
}

export const googleAdapter: ProviderAdapter = {
  kind: "google",
  displayName: "Google Gemini",
  menuHint: null,
  needsKey: true,
  keyHint: null,
  freeWhenUnpriced: false,
  modelFamily: /^(gemini|imagen|veo)/,
  builtinModels: [],
  defaultBaseUrl: GOOGLE_DEFAULT_BASE_URL,
  chat: { buildChatRequest, parseChatResponse, createChatStreamParser },
  embeddings: googleEmbeddings,
  images: googleImages,
  parseError,
  buildListModelsRequest,
};
