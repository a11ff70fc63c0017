/**
 * The `mock` provider kind: lets a new user try the hub with no provider account. To the gateway it is an
 * OpenAI-compatible upstream at `mock://local`; instead of fetch(), the gateway hands such requests to
 * handleMockRequest(), which answers in-process in the OpenAI wire format (see ./handler.ts, rules in ./reply.ts).
 */
import type { ProviderAdapter, UpstreamRequest, UpstreamTarget } from "../types";
import { createOpenAICompatibleAdapter, optionalBearer } from "../openai-compatible/adapter";
import { MOCK_BUILTIN_MODELS, MOCK_DELAY_HEADER } from "./handler";

export { handleMockRequest, MOCK_DELAY_HEADER } from "./handler";
export { mockReplyText, MOCK_DEFAULT_DELAY_MS } from "./reply";

export const MOCK_BASE_URL = "mock://local";

/** True when a request must go to handleMockRequest instead of the network. */
export function isMockRequest(req: UpstreamRequest): boolean {
  return req.url.startsWith("mock:");
}

/** Passes the credential's `options.delayMs` (stream chunk spacing) to the handler. */
function delayHeader(target: UpstreamTarget): Record<string, string> {
  const delay = target.options?.delayMs;
  return typeof delay === "number" && Number.isFinite(delay) && delay >= 0
    ? { [MOCK_DELAY_HEADER]: String(delay) }
    : {};
}

export const mockAdapter: ProviderAdapter = createOpenAICompatibleAdapter({
  kind: "mock",
  displayName: "Mock",
  menuHint: "no account needed",
  needsKey: false,
  keyHint: "Not needed: the mock answers in-process.",
  freeWhenUnpriced: true,
  modelFamily: /^mock-/,
  builtinModels: MOCK_BUILTIN_MODELS,
  defaultBaseUrl: MOCK_BASE_URL,
  authHeader: optionalBearer,
  supportsEmbeddings: true,
  supportsImages: true,
  extraHeaders: delayHeader,
});
