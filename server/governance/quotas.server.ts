/**
 * Quotas as stored data: one row per scope (the whole hub, a user, a key or an app) with nullable limits. The
 * console lists, sets and deletes them (audited, publishing "governance"); the gateway asks `limitsForCaller`,
 * which reads a cached rule set and applies the pure rules of ./quota-limits.ts; ./admission.server.ts counts
 * and enforces them.
 */
import { and, asc, eq } from "drizzle-orm";
import { accessKeys, quotas, users } from "../../drizzle/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { publish } from "../cache/invalidation.server";
import { newId } from "../crypto/tokens";
import { getDb } from "../db/client.server";
import { HubError } from "../errors";
import { cachedLoader } from "./cached-loader.server";
import {
  applicableLimits,
  LIMIT_FIELDS,
  type AppliedLimit,
  type LimitValues,
  type QuotaRule,
  type QuotaScope,
  type QuotaSubject,
} from "./quota-limits";

export type QuotaRow = typeof quotas.$inferSelect;

export interface AdminQuota extends QuotaRule {
  id: string;
  /** What the scope id names: "the whole hub", an email, "key name (hub-sk-abc…)", an app name. */
  label: string;
  updatedAt: string;
}

export interface QuotaInput extends LimitValues {
  scope: QuotaScope;
  scopeId?: string;
}

const toRule = (row: QuotaRow): QuotaRule => ({
  scope: row.scope,
  scopeId: row.scopeId,
  ...Object.fromEntries(LIMIT_FIELDS.map((f) => [f, row[f]])),
});

const rules = cachedLoader("governance", async () => {
  const db = await getDb();
  return (await db.select().from(quotas)).map(toRule);
});

export function getQuotaRules(): Promise<QuotaRule[]> {
  return rules.get();
}

/** The cached quota rules when they are fresh, without waiting; undefined when they must be (re)loaded. */
export function peekQuotaRules(): QuotaRule[] | undefined {
  return rules.peek();
}

/** Every limit that applies to an API caller (see ./quota-limits.ts for how they combine). */
export async function limitsForCaller(subject: QuotaSubject): Promise<AppliedLimit[]> {
  return applicableLimits(await getQuotaRules(), subject);
}

export async function listQuotas(): Promise<AdminQuota[]> {
  const db = await getDb();
  const [rows, userRows, keyRows] = await Promise.all([
    db.select().from(quotas).orderBy(asc(quotas.scope), asc(quotas.scopeId)),
    db.select({ id: users.id, email: users.email }).from(users),
    db.select({ id: accessKeys.id, name: accessKeys.name, prefix: accessKeys.prefix }).from(accessKeys),
  ]);
  const emails = new Map(userRows.map((u) => [u.id, u.email]));
  const keys = new Map(keyRows.map((k) => [k.id, `${k.name} (${k.prefix}…)`]));
  const label = (row: QuotaRow) =>
    row.scope === "global"
      ? "The whole hub"
      : row.scope === "user"
        ? (emails.get(row.scopeId) ?? row.scopeId)
        : row.scope === "key"
          ? (keys.get(row.scopeId) ?? row.scopeId)
          : row.scopeId;
  return rows.map((row) => ({ ...toRule(row), id: row.id, label: label(row), updatedAt: row.updatedAt.toISOString() }));
}

async function checkScope(input: QuotaInput): Promise<string> {
  if (input.scope === "global") return "";
  const scopeId = input.scopeId?.trim() ?? "";
  if (!scopeId) throw new HubError("invalid_input", `Choose the ${input.scope} this quota is for`, "scope_id");
  const db = await getDb();
  if (input.scope === "user") {
    const [u] = await db.select({ id: users.id }).from(users).where(eq(users.id, scopeId)).limit(1);
    if (!u) throw new HubError("not_found", "No such user", "scope_id");
  }
  if (input.scope === "key") {
    const [k] = await db.select({ id: accessKeys.id }).from(accessKeys).where(eq(accessKeys.id, scopeId)).limit(1);
    if (!k) throw new HubError("not_found", "No such access key", "scope_id");
  }
  if (input.scope === "app" && scopeId.length > 100)
    throw new HubError("invalid_input", "App names are at most 100 characters", "scope_id");
  return scopeId;
}

/** Create or replace the quota of one scope. Limits left out or null mean "no limit". */
export async function setQuota(input: QuotaInput, actor: Actor): Promise<AdminQuota> {
  const scopeId = await checkScope(input);
  const limits = Object.fromEntries(LIMIT_FIELDS.map((f) => [f, input[f] ?? null])) as Record<
    (typeof LIMIT_FIELDS)[number],
    number | null
  >;
  for (const [field, value] of Object.entries(limits)) {
    if (value !== null && (!Number.isSafeInteger(value) || value < 0))
      throw new HubError("invalid_input", "Limits are whole numbers, zero or more", field);
  }
  if (Object.values(limits).every((v) => v === null))
    throw new HubError("invalid_input", "Set at least one limit", "form");
  const db = await getDb();
  const id = await db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(quotas)
      .where(and(eq(quotas.scope, input.scope), eq(quotas.scopeId, scopeId)))
      .limit(1);
    const [row] = await tx
      .insert(quotas)
      .values({ id: newId("quo"), scope: input.scope, scopeId, ...limits })
      .onConflictDoUpdate({ target: [quotas.scope, quotas.scopeId], set: { ...limits, updatedAt: new Date() } })
      .returning();
    await recordAudit(tx, actor, {
      action: "quota.set",
      targetType: "quota",
      targetId: row!.id,
      before: before ?? null,
      after: row,
    });
    return row!.id;
  });
  publish("governance");
  return (await listQuotas()).find((q) => q.id === id)!;
}

export async function deleteQuota(id: string, actor: Actor): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(quotas).where(eq(quotas.id, id)).limit(1);
    if (!before) throw new HubError("not_found", "No such quota", "id");
    await tx.delete(quotas).where(eq(quotas.id, id));
    await recordAudit(tx, actor, { action: "quota.delete", targetType: "quota", targetId: id, before });
  });
  publish("governance");
}
