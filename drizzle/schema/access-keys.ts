import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, id, json, timestamp } from "./columns";
import { users } from "./users";

export interface KeyLimits {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  concurrency?: number;
  creditsPerDay?: number;
}

export const accessKeys = sqliteTable(
  "access_keys",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    appName: text("app_name"),
    /** The visible start of the key ("hub-sk-AbCd"), for lists and secret scanners. */
    prefix: text("prefix").notNull(),
    /** SHA-256 hex of the whole key; the key itself is never stored. */
    keyHash: text("key_hash").notNull().unique(),
    status: text("status", { enum: ["active", "revoked"] }).notNull().default("active"),
    expiresAt: timestamp("expires_at"),
    /** null = every model the owner may use; otherwise public model names. */
    allowedModels: json<string[]>("allowed_models"),
    limits: json<KeyLimits>("limits"),
    lastUsedAt: timestamp("last_used_at"),
    revokedAt: timestamp("revoked_at"),
    rotatedFromId: text("rotated_from_id"),
    createdAt: createdAt(),
  },
  (t) => [index("access_keys_user_idx").on(t.userId), index("access_keys_app_idx").on(t.appName)],
);

/** Device-style connect sessions (RFC 8628 and AIGNE CLI's access-key session). */
export const connectSessions = sqliteTable("connect_sessions", {
  id: id(),
  /** Short code a person types or sees when approving (RFC 8628 user_code). */
  userCode: text("user_code").notNull().unique(),
  /** Hash of the device_code the tool polls with (RFC 8628); null for AIGNE sessions polled by id. */
  deviceCodeHash: text("device_code_hash").unique(),
  appName: text("app_name"),
  appLogo: text("app_logo"),
  challenge: text("challenge"),
  status: text("status", { enum: ["pending", "approved", "denied", "consumed", "expired"] })
    .notNull()
    .default("pending"),
  userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
  accessKeyId: text("access_key_id").references(() => accessKeys.id, { onDelete: "set null" }),
  /** The new key sealed with the hub's secret box until the tool collects it once. */
  sealedKey: text("sealed_key"),
  expiresAt: timestamp("expires_at").notNull(),
  lastPolledAt: timestamp("last_polled_at"),
  createdAt: createdAt(),
});
