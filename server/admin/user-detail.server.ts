/** One person for the console's detail view: account, keys, the last 30 days of usage, and credit balance. */
import { and, count, desc, eq, gte, sql } from "drizzle-orm";
import { modelCalls } from "../../drizzle/schema";
import { getBalanceMicro } from "../billing/credits.server";
import { getDb } from "../db/client.server";
import { getSettings } from "../settings/settings.server";
import { listKeysForAdmin, type AdminKey } from "../access-keys/admin-console.server";
import { requireUserById } from "./users.server";

const DAYS = 30;

export interface UserUsage {
  days: number;
  calls: number;
  failed: number;
  inputTokens: number;
  outputTokens: number;
  costMicro: number;
  lastCallAt: string | null;
  byModel: Array<{ model: string; calls: number; tokens: number; costMicro: number }>;
}

export interface UserDetail {
  user: {
    id: string;
    email: string;
    name: string;
    role: "owner" | "admin" | "member";
    status: "active" | "disabled";
    createdAt: string;
    lastSignInAt: string | null;
  };
  keys: AdminKey[];
  usage: UserUsage;
  billingEnabled: boolean;
  balanceMicro: number | null;
}

export async function getUserDetail(id: string, now = Date.now()): Promise<UserDetail> {
  const user = await requireUserById(id);
  const db = await getDb();
  const since = new Date(now - DAYS * 86_400_000);
  const mine = and(eq(modelCalls.userId, id), gte(modelCalls.createdAt, since));
  const tokens = sql<number>`coalesce(sum(coalesce(${modelCalls.inputTokens}, 0) + coalesce(${modelCalls.outputTokens}, 0)), 0)`;
  const [keys, [totals], byModel, settings] = await Promise.all([
    listKeysForAdmin({ userId: id }, now),
    db
      .select({
        calls: count(),
        failed: sql<number>`coalesce(sum(case when ${modelCalls.status} = 'failed' then 1 else 0 end), 0)`,
        input: sql<number>`coalesce(sum(${modelCalls.inputTokens}), 0)`,
        output: sql<number>`coalesce(sum(${modelCalls.outputTokens}), 0)`,
        cost: sql<number>`coalesce(sum(${modelCalls.costMicro}), 0)`,
        last: sql<number | null>`max(${modelCalls.createdAt})`,
      })
      .from(modelCalls)
      .where(mine),
    db
      .select({
        model: sql<string>`coalesce(${modelCalls.providerName} || '/' || ${modelCalls.model}, ${modelCalls.requestedModel}, '?')`,
        calls: count(),
        tokens,
        cost: sql<number>`coalesce(sum(${modelCalls.costMicro}), 0)`,
      })
      .from(modelCalls)
      .where(mine)
      .groupBy(sql`1`)
      .orderBy(desc(count()))
      .limit(5),
    getSettings(),
  ]);
  return {
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      status: user.status,
      createdAt: user.createdAt.toISOString(),
      lastSignInAt: user.lastSignInAt?.toISOString() ?? null,
    },
    keys,
    usage: {
      days: DAYS,
      calls: totals?.calls ?? 0,
      failed: Number(totals?.failed ?? 0),
      inputTokens: Number(totals?.input ?? 0),
      outputTokens: Number(totals?.output ?? 0),
      costMicro: Number(totals?.cost ?? 0),
      lastCallAt: totals?.last ? new Date(Number(totals.last)).toISOString() : null,
      byModel: byModel.map((m) => ({
        model: m.model,
        calls: m.calls,
        tokens: Number(m.tokens),
        costMicro: Number(m.cost),
      })),
    },
    billingEnabled: settings.billingEnabled,
    balanceMicro: settings.billingEnabled ? await getBalanceMicro(id) : null,
  };
}
