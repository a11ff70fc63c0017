import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, json, timestamp, updatedAt } from "./columns";
import { accessKeys } from "./access-keys";
import { users } from "./users";

/** Limits per user, key or app (or the whole hub with scope "global" and scope_id ""). null = no limit. */
export const quotas = sqliteTable(
  "quotas",
  {
    id: id(),
    scope: text("scope", { enum: ["global", "user", "key", "app"] }).notNull(),
    scopeId: text("scope_id").notNull().default(""),
    requestsPerMinute: integer("requests_per_minute"),
    tokensPerMinute: integer("tokens_per_minute"),
    concurrency: integer("concurrency"),
    tokensPerDay: integer("tokens_per_day"),
    tokensPerMonth: integer("tokens_per_month"),
    creditsPerDayMicro: integer("credits_per_day_micro"),
    creditsPerMonthMicro: integer("credits_per_month_micro"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("quotas_scope_uq").on(t.scope, t.scopeId)],
);

export const ipRules = sqliteTable(
  "ip_rules",
  {
    id: id(),
    action: text("action", { enum: ["allow", "deny"] }).notNull(),
    /** IPv4 or IPv6 CIDR ("10.0.0.0/8", "2001:db8::/32"); a bare address means /32 or /128. */
    cidr: text("cidr").notNull(),
    /** null = the whole API; otherwise one key. */
    accessKeyId: text("access_key_id").references(() => accessKeys.id, { onDelete: "cascade" }),
    note: text("note"),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index("ip_rules_key_idx").on(t.accessKeyId)],
);

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: id(),
    actorId: text("actor_id"),
    /** Email, "cli", "system" or "anonymous": readable even after the actor is deleted. */
    actorLabel: text("actor_label").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    /** Before and after, with secrets removed. */
    before: json<unknown>("before"),
    after: json<unknown>("after"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: createdAt(),
  },
  (t) => [
    index("audit_created_idx").on(t.createdAt),
    index("audit_actor_idx").on(t.actorId, t.createdAt),
    index("audit_action_idx").on(t.action, t.createdAt),
  ],
);

/** Owner settings as key → JSON value; typed defaults live in server/settings. */
export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: json<unknown>("value").notNull(),
  updatedBy: text("updated_by"),
  updatedAt: updatedAt(),
});

/** Leases so a background job runs on one instance at a time when scaled out. */
export const jobLeases = sqliteTable("job_leases", {
  name: text("name").primaryKey(),
  holder: text("holder").notNull(),
  expiresAt: timestamp("expires_at").notNull(),
});
