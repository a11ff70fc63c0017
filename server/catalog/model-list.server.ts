/** The Models page's view: every model with its provider, public name, aliases and the rate in force now. */
import { asc, eq } from "drizzle-orm";
import { modelAliases, modelRates, models, providers, type ModelType } from "../../drizzle/schema";
import { getDb } from "../db/client.server";
import { toAdminRates, type AdminRate } from "./model-rates.server";

export interface AdminModel {
  id: string;
  providerId: string;
  providerName: string;
  providerEnabled: boolean;
  model: string;
  publicName: string;
  displayName: string | null;
  type: ModelType;
  enabled: boolean;
  contextWindow: number | null;
  maxOutputTokens: number | null;
  fallbackModels: string[];
  aliases: string[];
  currentRate: AdminRate | null;
  /** The next scheduled rate, when one is set. */
  nextRate: AdminRate | null;
  rateCount: number;
}

export async function listModelsForAdmin(
  filter: { providerId?: string } = {},
  now = Date.now(),
): Promise<AdminModel[]> {
  const db = await getDb();
  const base = db
    .select({ model: models, providerName: providers.name, providerEnabled: providers.enabled })
    .from(models)
    .innerJoin(providers, eq(providers.id, models.providerId));
  const [rows, aliasRows, rateRows] = await Promise.all([
    (filter.providerId ? base.where(eq(models.providerId, filter.providerId)) : base).orderBy(
      asc(providers.name),
      asc(models.model),
    ),
    db.select().from(modelAliases).orderBy(asc(modelAliases.alias)),
    db.select().from(modelRates),
  ]);
  const aliasesBy = new Map<string, string[]>();
  for (const a of aliasRows) aliasesBy.set(a.modelId, [...(aliasesBy.get(a.modelId) ?? []), a.alias]);
  const ratesBy = new Map<string, (typeof rateRows)[number][]>();
  for (const r of rateRows) ratesBy.set(r.modelId, [...(ratesBy.get(r.modelId) ?? []), r]);
  return rows.map(({ model: m, providerName, providerEnabled }) => {
    const rates = toAdminRates(ratesBy.get(m.id) ?? [], now);
    return {
      id: m.id,
      providerId: m.providerId,
      providerName,
      providerEnabled,
      model: m.model,
      publicName: `${providerName}/${m.model}`,
      displayName: m.displayName,
      type: m.type,
      enabled: m.enabled,
      contextWindow: m.contextWindow,
      maxOutputTokens: m.maxOutputTokens,
      fallbackModels: m.fallbackModels ?? [],
      aliases: aliasesBy.get(m.id) ?? [],
      currentRate: rates.find((r) => r.state === "current") ?? null,
      nextRate: rates.find((r) => r.state === "scheduled") ?? null,
      rateCount: rates.length,
    };
  });
}
