import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { bool, createdAt, id, json, timestamp, updatedAt } from "./columns";

export const providers = sqliteTable("providers", {
  id: id(),
  /** Adapter kind: a key of ADAPTERS in server/providers/registry.ts. */
  kind: text("kind").notNull(),
  /** The prefix in public model names ("openai" in "openai/gpt-4o-mini"); unique. */
  name: text("name").notNull().unique(),
  displayName: text("display_name").notNull(),
  baseUrl: text("base_url"),
  enabled: bool("enabled").notNull().default(true),
  /** When true any model id passes through; otherwise only the models listed for it. */
  allowAnyModel: bool("allow_any_model").notNull().default(true),
  /** Provider options (Bedrock region, Anthropic version, timeouts...). */
  options: json<Record<string, unknown>>("options"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const credentials = sqliteTable(
  "credentials",
  {
    id: id(),
    providerId: text("provider_id")
      .notNull()
      .references(() => providers.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** AES-256-GCM sealed secret (server/crypto/secret-box.server.ts); never returned by any API. */
    sealedSecret: text("sealed_secret"),
    /** The last four characters, the only part admin views show. */
    secretLast4: text("secret_last4"),
    baseUrl: text("base_url"),
    weight: integer("weight").notNull().default(1),
    enabled: bool("enabled").notNull().default(true),
    health: text("health", { enum: ["healthy", "unhealthy", "probing"] }).notNull().default("healthy"),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    cooldownUntil: timestamp("cooldown_until"),
    lastError: text("last_error"),
    lastErrorAt: timestamp("last_error_at"),
    lastUsedAt: timestamp("last_used_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("credentials_provider_idx").on(t.providerId), uniqueIndex("credentials_name_uq").on(t.providerId, t.name)],
);
