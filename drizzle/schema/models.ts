import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { bool, createdAt, id, json, timestamp, updatedAt } from "./columns";
import { providers } from "./providers";
import { users } from "./users";

export const MODEL_TYPES = ["chat", "image", "embedding"] as const;
export type ModelType = (typeof MODEL_TYPES)[number];

export const models = sqliteTable(
  "models",
  {
    id: id(),
    providerId: text("provider_id")
      .notNull()
      .references(() => providers.id, { onDelete: "cascade" }),
    /** The provider's own id ("gpt-4o-mini"). The public name is "<provider.name>/<model>". */
    model: text("model").notNull(),
    displayName: text("display_name"),
    type: text("type", { enum: MODEL_TYPES }).notNull().default("chat"),
    enabled: bool("enabled").notNull().default(true),
    contextWindow: integer("context_window"),
    maxOutputTokens: integer("max_output_tokens"),
    /** Public names of models to try when every credential of this one fails. */
    fallbackModels: json<string[]>("fallback_models"),
    metadata: json<Record<string, unknown>>("metadata"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("models_provider_model_uq").on(t.providerId, t.model), index("models_model_idx").on(t.model)],
);

/** Admin-defined names that resolve to a model ("fast" → openai/gpt-4o-mini). */
export const modelAliases = sqliteTable("model_aliases", {
  alias: text("alias").primaryKey(),
  modelId: text("model_id")
    .notNull()
    .references(() => models.id, { onDelete: "cascade" }),
  createdAt: createdAt(),
});

/**
 * Dated rates: the rate in force for a call is the newest row with effective_from <= the call's start, so a
 * rate change never reprices past calls. Token rates are micro-units of the provider's currency (USD) per
 * million tokens; image prices are micro-units per image.
 */
export const modelRates = sqliteTable(
  "model_rates",
  {
    id: id(),
    modelId: text("model_id")
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    effectiveFrom: timestamp("effective_from").notNull(),
    inputPerMillion: integer("input_per_million").notNull().default(0),
    outputPerMillion: integer("output_per_million").notNull().default(0),
    /** null = cached input is billed at the input rate. */
    cachedInputPerMillion: integer("cached_input_per_million"),
    cacheWritePerMillion: integer("cache_write_per_million"),
    /** Per image, micro-units; `imagePrices` overrides by "<size>:<quality>". */
    perImage: integer("per_image"),
    imagePrices: json<Record<string, number>>("image_prices"),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index("model_rates_model_from_idx").on(t.modelId, t.effectiveFrom)],
);
