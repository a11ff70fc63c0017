/**
 * Every provider kind → its adapter. The gateway looks adapters up here by a credential's kind; the record is
 * typed over ProviderKind so adding a kind to PROVIDER_KINDS fails to compile until it has an adapter.
 */
import type { ProviderAdapter, ProviderKind } from "./types";
import { anthropicAdapter } from "./anthropic/index";
import { bedrockAdapter } from "./bedrock/index";
import { deepseekAdapter } from "./deepseek/index";
import { doubaoAdapter } from "./doubao/index";
import { googleAdapter } from "./google/index";
import { mockAdapter } from "./mock/index";
import { ollamaAdapter } from "./ollama/index";
import { openaiAdapter } from "./openai/index";
import { openrouterAdapter } from "./openrouter/index";
import { poeAdapter } from "./poe/index";
import { xaiAdapter } from "./xai/index";

export const ADAPTERS: Readonly<Record<ProviderKind, ProviderAdapter>> = Object.freeze({
  openai: openaiAdapter,
  anthropic: anthropicAdapter,
  google: googleAdapter,
  bedrock: bedrockAdapter,
  deepseek: deepseekAdapter,
  xai: xaiAdapter,
  openrouter: openrouterAdapter,
  ollama: ollamaAdapter,
  doubao: doubaoAdapter,
  poe: poeAdapter,
  mock: mockAdapter,
});

export function getAdapter(kind: ProviderKind): ProviderAdapter {
  const adapter = ADAPTERS[kind];
  if (!adapter) throw new Error(`Unknown provider kind: ${String(kind)}`);
  return adapter;
}
