/**
 * A starter list of well-known models per provider kind with their public list prices, so an owner can import
 * a useful catalogue in one step and edit it. Prices change: the page says when these were taken and the owner
 * checks them against the provider's price page before importing (they are ordinary dated rates afterwards).
 * Token rates are USD per million tokens; image prices USD per image by "<size>:<quality>".
 */
import type { ModelType } from "../../drizzle/schema";
import type { ProviderKind } from "../providers/types";

export const STARTER_PRICES_AS_OF = "mid-2025";

export interface StarterModel {
  model: string;
  displayName: string;
  type: ModelType;
  /** Micro-USD per million tokens. */
  inputPerMillion: number;
  outputPerMillion: number;
  cachedInputPerMillion: number | null;
  cacheWritePerMillion: number | null;
  /** Micro-USD per image, and by "<size>:<quality>". */
  perImage: number | null;
  imagePrices: Record<string, number> | null;
}

const usd = (value: number) => Math.round(value * 1_000_000);

function chat(
  model: string,
  displayName: string,
  input: number,
  output: number,
  cached: number | null = null,
  cacheWrite: number | null = null,
): StarterModel {
  return {
    model,
    displayName,
    type: "chat",
    inputPerMillion: usd(input),
    outputPerMillion: usd(output),
    cachedInputPerMillion: cached === null ? null : usd(cached),
    cacheWritePerMillion: cacheWrite === null ? null : usd(cacheWrite),
    perImage: null,
    imagePrices: null,
  };
}

function embedding(model: string, displayName: string, input: number): StarterModel {
  return {
    model,
    displayName,
    type: "embedding",
    inputPerMillion: usd(input),
    outputPerMillion: 0,
    cachedInputPerMillion: null,
    cacheWritePerMillion: null,
    perImage: null,
    imagePrices: null,
  };
}

function image(
  model: string,
  displayName: string,
  perImage: number,
  prices: Record<string, number>,
  input = 0,
): StarterModel {
  const imagePrices = Object.fromEntries(Object.entries(prices).map(([k, v]) => [k, usd(v)]));
  return {
    model,
    displayName,
    type: "image",
    inputPerMillion: usd(input),
    outputPerMillion: 0,
    cachedInputPerMillion: null,
    cacheWritePerMillion: null,
    perImage: usd(perImage),
    imagePrices,
  };
}

const STARTERS: Partial<Record<ProviderKind, StarterModel[]>> = {
  openai: [
    chat("gpt-4o-mini", "GPT-4o mini", 0.15, 0.6, 0.075),
    chat("gpt-4o", "GPT-4o", 2.5, 10, 1.25),
    chat("gpt-4.1", "GPT-4.1", 2, 8, 0.5),
    chat("gpt-4.1-mini", "GPT-4.1 mini", 0.4, 1.6, 0.1),
    chat("gpt-4.1-nano", "GPT-4.1 nano", 0.1, 0.4, 0.025),
    chat("o4-mini", "o4-mini", 1.1, 4.4, 0.275),
    chat("o3", "o3", 2, 8, 0.5),
    embedding("text-embedding-3-small", "Text embedding 3 small", 0.02),
    embedding("text-embedding-3-large", "Text embedding 3 large", 0.13),
    image("dall-e-3", "DALL·E 3", 0.04, {
      "1024x1024:standard": 0.04,
      "1024x1792:standard": 0.08,
      "1792x1024:standard": 0.08,
      "1024x1024:hd": 0.08,
      "1024x1792:hd": 0.12,
      "1792x1024:hd": 0.12,
    }),
    image(
      "gpt-image-1",
      "GPT Image 1",
      0.042,
      {
        "1024x1024:low": 0.011,
        "1024x1024:medium": 0.042,
        "1024x1024:high": 0.167,
        "1024x1536:low": 0.016,
        "1024x1536:medium": 0.063,
        "1024x1536:high": 0.25,
        "1536x1024:low": 0.016,
        "1536x1024:medium": 0.063,
        "1536x1024:high": 0.25,
      },
      5,
    ),
  ],
  anthropic: [
    // Cache writes (5-minute cache) cost 1.25x the input rate, cache reads 0.1x.
    chat("claude-sonnet-4-5", "Claude Sonnet 4.5", 3, 15, 0.3, 3.75),
    chat("claude-haiku-4-5", "Claude Haiku 4.5", 1, 5, 0.1, 1.25),
    chat("claude-opus-4-1", "Claude Opus 4.1", 15, 75, 1.5, 18.75),
  ],
  google: [
    chat("gemini-2.5-pro", "Gemini 2.5 Pro", 1.25, 10, 0.31),
    chat("gemini-2.5-flash", "Gemini 2.5 Flash", 0.3, 2.5, 0.075),
    chat("gemini-2.5-flash-lite", "Gemini 2.5 Flash-Lite", 0.1, 0.4, 0.025),
    embedding("gemini-embedding-001", "Gemini embedding", 0.15),
  ],
  deepseek: [
    chat("deepseek-chat", "DeepSeek V3", 0.27, 1.1, 0.07),
    chat("deepseek-reasoner", "DeepSeek R1", 0.55, 2.19, 0.14),
  ],
  xai: [chat("grok-4", "Grok 4", 3, 15, 0.75), chat("grok-3-mini", "Grok 3 mini", 0.3, 0.5, 0.075)],
  ollama: [chat("llama3.2", "Llama 3.2 (local)", 0, 0), embedding("nomic-embed-text", "Nomic embed text (local)", 0)],
  mock: [
    chat("mock-chat", "Mock chat", 0, 0),
    embedding("mock-embedding", "Mock embedding", 0),
    image("mock-image", "Mock image", 0, {}),
  ],
};

export function starterModelsFor(kind: string): StarterModel[] {
  return STARTERS[kind as ProviderKind] ?? [];
}

/** A model id to suggest in the Add model form: one the chosen provider really has, of the chosen type. */
export function exampleModel(kind: string, type: string): { model: string; displayName: string } | null {
  const m = starterModelsFor(kind).find((s) => s.type === type) ?? null;
  return m && { model: m.model, displayName: m.displayName };
}

/** The model a credential test asks for when the provider lists none: the kind's cheapest well-known chat model. */
export function defaultTestModel(kind: string): string | null {
  const chats = starterModelsFor(kind).filter((m) => m.type === "chat");
  if (!chats.length) return null;
  return chats.reduce((a, b) =>
    b.inputPerMillion + b.outputPerMillion < a.inputPerMillion + a.outputPerMillion ? b : a,
  ).model;
}
