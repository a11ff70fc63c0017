/**
 * Every provider kind → its adapter. The gateway looks adapters up here by a credential's kind, and every other
 * part of the hub reads a provider's facts (its name, whether it needs a key, ...) from the adapter found here.
 * The kinds are this object's keys: adding a provider is its folder and one line below (docs/architecture.md,
 * "Adding a provider").
 */
import type { ProviderAdapter } from "./types";
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

export const ADAPTERS = Object.freeze({
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
} satisfies Record<string, ProviderAdapter>);

export type ProviderKind = keyof typeof ADAPTERS;

/** The kinds in menu order, as a non-empty tuple for zod's enum. */
export const PROVIDER_KINDS = Object.keys(ADAPTERS) as [ProviderKind, ...ProviderKind[]];

export function isProviderKind(kind: string): kind is ProviderKind {
  return Object.hasOwn(ADAPTERS, kind);
}

export function getAdapter(kind: ProviderKind): ProviderAdapter {
  const adapter: ProviderAdapter | undefined = ADAPTERS[kind];
  if (!adapter) throw new Error(`Unknown provider kind: ${String(kind)}`);
  return adapter;
}
