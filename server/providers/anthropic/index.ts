/**
 * The Anthropic Messages API adapter (https://docs.anthropic.com/en/api/messages). Chat only: Anthropic
 * offers no embeddings or image generation endpoints.
 */
import type { ProviderAdapter, UpstreamRequest, UpstreamTarget } from "../types";
import { parseError } from "./error";
import { anthropicMessages } from "./pass-through";
import { ANTHROPIC_DEFAULT_BASE_URL, anthropicHeaders, anthropicUrl, buildChatRequest } from "./request";
import { parseChatResponse } from "./response";
import { createChatStreamParser } from "./stream";

export { AnthropicRequestError, toAnthropicBody } from "./request";
export { streamEventError } from "./error";

/** https://docs.anthropic.com/en/api/models-list */
function buildListModelsRequest(target: UpstreamTarget): UpstreamRequest {
  return { url: anthropicUrl(target.baseUrl, "/models"), method: "GET", headers: anthropicHeaders(target) };
}

export const anthropicAdapter: ProviderAdapter = {
  kind: "anthropic",
  displayName: "Anthropic",
  menuHint: null,
  needsKey: true,
  keyHint: null,
  freeWhenUnpriced: false,
  modelFamily: /^claude/,
  builtinModels: [],
  defaultBaseUrl: ANTHROPIC_DEFAULT_BASE_URL,
  chat: { buildChatRequest, parseChatResponse, createChatStreamParser },
  parseError,
  buildListModelsRequest,
  messages: anthropicMessages,
};
