/** Reading the ledger and the month's costs, for the Billing page and the admin's ledger search. */
import { and, desc, eq, gte, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import { creditLedger, modelCalls, users } from "../../drizzle/schema";
import { getDb } from "../db/client.server";
import { filterRange, KIND_FILTERS, toLedgerLine, type LedgerFilters, type LedgerLine } from "./ledger-view";
import { formatMicro } from "./money";

export interface LedgerPage {
  lines: Array<LedgerLine & { email?: string }>;
  /** The `before` cursor of the next (older) page, or null at the end. */
  next: string | null;
}

export async function queryLedger(options: {
  userId?: string;
  email?: string;
  reference?: string;
  filters: LedgerFilters;
  limit?: number;
}): Promise<LedgerPage> {
  const db = await getDb();
  const limit = options.limit ?? 25;
  const { fromMs, toMs, before } = filterRange(options.filters);
  const where: Array<SQL | undefined> = [inArray(creditLedger.kind, KIND_FILTERS[options.filters.kind].kinds)];
  if (options.userId) where.push(eq(creditLedger.userId, options.userId));
  if (options.email)
    where.push(sql`${users.email} like ${"%" + options.email.toLowerCase().replace(/[%_]/g, "") + "%"}`);
  if (options.reference) where.push(eq(creditLedger.reference, options.reference));
  if (fromMs !== null) where.push(gte(creditLedger.createdAt, new Date(fromMs)));
  if (toMs !== null) where.push(lt(creditLedger.createdAt, new Date(toMs)));
  if (before) {
    const at = new Date(before.at);
    where.push(or(lt(creditLedger.createdAt, at), and(eq(creditLedger.createdAt, at), lt(creditLedger.id, before.id))));
  }
  const rows = await db
    .select({ entry: creditLedger, email: users.email })
    .from(creditLedger)
    .innerJoin(users, eq(users.id, creditLedger.userId))
    .where(and(...where))
    .orderBy(desc(creditLedger.createdAt), desc(creditLedger.id))
    .limit(limit + 1);
  const lines = rows.slice(0, limit).map((r) => ({ ...toLedgerLine(r.entry), email: r.email }));
  return { lines, next: rows.length > limit ? lines.at(-1)!.cursor : null };
}

export interface ModelCost {
  model: string;
  calls: number;
  costMicro: number;
  cost: string;
}

/** Cost per model since `sinceMs` (this month, on the Billing page); calls of unpriced models count with no cost. */
export async function costByModel(userId: string, sinceMs: number): Promise<ModelCost[]> {
  const db = await getDb();
  const rows = await db
    .select({
      provider: modelCalls.providerName,
      model: modelCalls.model,
      calls: sql<number>`count(*)`,
      cost: sql<number>`coalesce(sum(${modelCalls.costMicro}), 0)`,
    })
    .from(modelCalls)
    .where(and(eq(modelCalls.userId, userId), gte(modelCalls.createdAt, new Date(sinceMs))))
    .groupBy(modelCalls.providerName, modelCalls.model)
    .orderBy(desc(sql`coalesce(sum(${modelCalls.costMicro}), 0)`));
  return rows
    .filter((r) => r.model)
    .map((r) => ({
      model: `${r.provider ?? "?"}/${r.model}`,
      calls: Number(r.calls),
      costMicro: Number(r.cost),
      cost: formatMicro(Number(r.cost)),
    }));
}
