import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { bool, createdAt, id, json, updatedAt } from "./columns";
import { users } from "./users";

/** Balance kept beside the ledger and changed in the same transaction; derivable from the ledger. */
export const creditAccounts = sqliteTable("credit_accounts", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  balanceMicro: integer("balance_micro").notNull().default(0),
  /** Sum of open reservations, already taken out of the balance. */
  reservedMicro: integer("reserved_micro").notNull().default(0),
  initialGrantDone: bool("initial_grant_done").notNull().default(false),
  updatedAt: updatedAt(),
});

export const LEDGER_KINDS = ["grant", "purchase", "reserve", "settle", "release", "refund", "adjustment"] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/** Append-only. `amount_micro` is signed: what the entry did to the spendable balance. */
export const creditLedger = sqliteTable(
  "credit_ledger",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: LEDGER_KINDS }).notNull(),
    amountMicro: integer("amount_micro").notNull(),
    balanceAfterMicro: integer("balance_after_micro").notNull(),
    reason: text("reason"),
    actorId: text("actor_id"),
    /** Call id for reserve/settle/release, payment id for purchase. */
    reference: text("reference"),
    createdAt: createdAt(),
  },
  (t) => [
    index("credit_ledger_user_created_idx").on(t.userId, t.createdAt),
    // Each call is reserved, settled and released at most once; each payment is credited at most once.
    uniqueIndex("credit_ledger_kind_reference_uq")
      .on(t.kind, t.reference)
      .where(sql`${t.reference} is not null and ${t.kind} in ('reserve','settle','release','purchase')`),
  ],
);

/**
 * Open reservations: one row per call from its reserve entry until the one batch that settles and releases it
 * deletes the row. Small (only calls in flight), so the stale-call job finds abandoned holds cheaply, and a hold
 * whose call record was lost in a crash is still found.
 */
export const creditHolds = sqliteTable(
  "credit_holds",
  {
    callId: text("call_id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    amountMicro: integer("amount_micro").notNull(),
    /** The hub process whose call holds it (hub_instances); released when that process stops. */
    instanceId: text("instance_id"),
    createdAt: createdAt(),
  },
  (t) => [index("credit_holds_created_idx").on(t.createdAt)],
);

export const payments = sqliteTable("payments", {
  /** The payment provider's id (e.g. Stripe checkout session id). */
  id: text("id").primaryKey(),
  userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
  provider: text("provider").notNull(),
  amountMicro: integer("amount_micro").notNull(),
  status: text("status").notNull(),
  raw: json<unknown>("raw"),
  createdAt: createdAt(),
});
