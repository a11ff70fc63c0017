/**
 * A person's access keys with their usage, for the Keys page. Usage comes from `model_calls` (one row per
 * request), grouped by key over the owner's rows so SQLite can use the (user_id, created_at) index. Call records
 * are written in small batches, so the numbers may trail the newest calls by a moment.
 */
import { and, count, desc, eq, isNotNull, sql } from "drizzle-orm";
import { accessKeys, modelCalls, type KeyLimits } from "../../drizzle/schema";
import { getDb } from "../db/client.server";

export type KeyStatus = "active" | "expired" | "revoked";

export interface AccessKeySummary {
  id: string;
  name: string;
  appName: string | null;
  prefix: string;
  status: KeyStatus;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  allowedModels: string[] | null;
  limits: KeyLimits | null;
  rotatedFromId: string | null;
  /** Set on a key that a rotation replaced: the id of its successor. */
  replacedById: string | null;
  usage: { calls: number; tokens: number };
}

export function keyStatus(row: { status: "active" | "revoked"; expiresAt: Date | null }, now = Date.now()): KeyStatus {
  if (row.status === "revoked") return "revoked";
  return row.expiresAt && row.expiresAt.getTime() <= now ? "expired" : "active";
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const ORDER: Record<KeyStatus, number> = { active: 0, expired: 1, revoked: 2 };

/** Usable keys first, newest first within each group. */
export async function listAccessKeys(userId: string): Promise<AccessKeySummary[]> {
  const db = await getDb();
  const [rows, usage] = await Promise.all([
    db.select().from(accessKeys).where(eq(accessKeys.userId, userId)).orderBy(desc(accessKeys.createdAt)),
    db
      .select({
        keyId: modelCalls.accessKeyId,
        calls: count(),
        tokens: sql<number>`coalesce(sum(coalesce(${modelCalls.inputTokens}, 0) + coalesce(${modelCalls.outputTokens}, 0)), 0)`,
      })
      .from(modelCalls)
      .where(and(eq(modelCalls.userId, userId), isNotNull(modelCalls.accessKeyId)))
      .groupBy(modelCalls.accessKeyId),
  ]);
  const byKey = new Map(usage.map((u) => [u.keyId, { calls: u.calls, tokens: Number(u.tokens) }]));
  const now = Date.now();
  const successor = new Map(rows.filter((r) => r.rotatedFromId).map((r) => [r.rotatedFromId!, r.id]));
  return rows
    .map((row) => ({
      id: row.id,
      name: row.name,
      appName: row.appName,
      prefix: row.prefix,
      status: keyStatus(row, now),
      createdAt: row.createdAt.toISOString(),
      lastUsedAt: iso(row.lastUsedAt),
      expiresAt: iso(row.expiresAt),
      revokedAt: iso(row.revokedAt),
      allowedModels: row.allowedModels,
      limits: row.limits,
      rotatedFromId: row.rotatedFromId,
      replacedById: successor.get(row.id) ?? null,
      usage: byKey.get(row.id) ?? { calls: 0, tokens: 0 },
    }))
    .sort((a, b) => ORDER[a.status] - ORDER[b.status]);
}
