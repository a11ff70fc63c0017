/**
 * Dated rates of a model. The rate in force for a call is the newest with effective_from <= the call's start
 * (server/gateway/routing-catalog.server.ts), so a rate takes effect from its date and past calls keep their price:
 * a rate cannot start in the past, and only rates not yet in force can be deleted.
 */
import { and, asc, eq } from "drizzle-orm";
import { modelRates } from "../../drizzle/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { publish } from "../cache/invalidation.server";
import { newId } from "../crypto/tokens";
import { getDb } from "../db/client.server";
import { HubError } from "../errors";
import { requireModel } from "./models.server";
import { checkRate, type RateValues } from "./rate-values";

/** Clock skew between the browser that picked "now" and the server. */
const PAST_TOLERANCE_MS = 5 * 60_000;

export interface AdminRate extends RateValues {
  id: string;
  effectiveFrom: string;
  createdAt: string;
  /** past: replaced by a newer rate; current: in force now; scheduled: takes effect later. */
  state: "past" | "current" | "scheduled";
}

export type RateRow = typeof modelRates.$inferSelect;

export function toAdminRates(rows: RateRow[], now: number): AdminRate[] {
  const sorted = [...rows].sort((a, b) => a.effectiveFrom.getTime() - b.effectiveFrom.getTime());
  const currentId = sorted.filter((r) => r.effectiveFrom.getTime() <= now).at(-1)?.id;
  return sorted.map((r) => ({
    id: r.id,
    effectiveFrom: r.effectiveFrom.toISOString(),
    createdAt: r.createdAt.toISOString(),
    inputPerMillion: r.inputPerMillion,
    outputPerMillion: r.outputPerMillion,
    cachedInputPerMillion: r.cachedInputPerMillion,
    cacheWritePerMillion: r.cacheWritePerMillion,
    perImage: r.perImage,
    imagePrices: r.imagePrices,
    state: r.id === currentId ? "current" : r.effectiveFrom.getTime() > now ? "scheduled" : "past",
  }));
}

export async function listRates(modelId: string, now = Date.now()): Promise<AdminRate[]> {
  await requireModel(modelId);
  const db = await getDb();
  const rows = await db
    .select()
    .from(modelRates)
    .where(eq(modelRates.modelId, modelId))
    .orderBy(asc(modelRates.effectiveFrom));
  return toAdminRates(rows, now);
}

export async function addRate(
  modelId: string,
  values: RateValues,
  effectiveFrom: Date | null,
  actor: Actor,
): Promise<AdminRate> {
  const model = await requireModel(modelId);
  const rate = checkRate(values);
  const now = Date.now();
  const from = effectiveFrom ?? new Date(now);
  if (Number.isNaN(from.getTime()))
    throw new HubError("invalid_input", "The date the rate takes effect is not a date", "effective_from");
  if (from.getTime() < now - PAST_TOLERANCE_MS) {
    throw new HubError(
      "invalid_input",
      "A rate cannot start in the past: calls already made keep the price they were charged",
      "effective_from",
    );
  }
  // A rate dated "now" but a little behind the server clock starts now, so it is in force at once.
  const start = from.getTime() < now ? new Date(now) : from;
  const db = await getDb();
  const row = await db.transaction(async (tx) => {
    const [same] = await tx
      .select({ id: modelRates.id })
      .from(modelRates)
      .where(and(eq(modelRates.modelId, modelId), eq(modelRates.effectiveFrom, start)))
      .limit(1);
    if (same) throw new HubError("conflict", "This model already has a rate starting at that time", "effective_from");
    const [created] = await tx
      .insert(modelRates)
      .values({ id: newId("rat"), modelId, effectiveFrom: start, ...rate, createdBy: actor.id })
      .returning();
    await recordAudit(tx, actor, {
      action: "model_rate.create",
      targetType: "model",
      targetId: model.id,
      after: created,
    });
    return created!;
  });
  publish("catalog");
  return toAdminRates([row], now)[0]!;
}

/** Delete a scheduled rate (one not yet in force); rates that priced calls stay for the record. */
export async function deleteRate(rateId: string, actor: Actor): Promise<void> {
  const db = await getDb();
  const [row] = await db.select().from(modelRates).where(eq(modelRates.id, rateId)).limit(1);
  if (!row) throw new HubError("not_found", "No such rate", "id");
  if (row.effectiveFrom.getTime() <= Date.now()) {
    throw new HubError(
      "conflict",
      "This rate is already in force or past; add a new rate to change the price from now on",
      "id",
    );
  }
  await db.transaction(async (tx) => {
    await tx.delete(modelRates).where(eq(modelRates.id, rateId));
    await recordAudit(tx, actor, {
      action: "model_rate.delete",
      targetType: "model",
      targetId: row.modelId,
      before: row,
    });
  });
  publish("catalog");
}
