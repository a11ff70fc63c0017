/**
 * Import from the starter list (./starter-models.ts): the owner sees the well-known models of a provider's kind
 * with their list prices, edits what they want, and imports the chosen ones in one transaction. Models the
 * provider already has are skipped, never overwritten.
 */
import { eq } from "drizzle-orm";
import { models } from "../../drizzle/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { publish } from "../cache/invalidation.server";
import { getDb } from "../db/client.server";
import { HubError } from "../errors";
import { insertModel, type NewModel } from "./models.server";
import { requireProvider } from "./providers.server";
import { STARTER_PRICES_AS_OF, starterModelsFor, type StarterModel } from "./starter-models";

export interface StarterList {
  providerId: string;
  providerName: string;
  kind: string;
  pricesAsOf: string;
  models: Array<StarterModel & { alreadyAdded: boolean }>;
}

export async function starterListFor(providerId: string): Promise<StarterList> {
  const provider = await requireProvider(providerId);
  const db = await getDb();
  const existing = new Set(
    (await db.select({ model: models.model }).from(models).where(eq(models.providerId, providerId))).map(
      (m) => m.model,
    ),
  );
  return {
    providerId,
    providerName: provider.name,
    kind: provider.kind,
    pricesAsOf: STARTER_PRICES_AS_OF,
    models: starterModelsFor(provider.kind).map((m) => ({ ...m, alreadyAdded: existing.has(m.model) })),
  };
}

export type StarterImportEntry = Omit<NewModel, "provider" | "providerId" | "effectiveFrom">;

export async function importStarterModels(
  providerId: string,
  entries: StarterImportEntry[],
  actor: Actor,
): Promise<{ added: string[]; skipped: string[] }> {
  const provider = await requireProvider(providerId);
  if (!entries.length) throw new HubError("invalid_input", "Choose at least one model to import", "models");
  const db = await getDb();
  const result = await db.transaction(async (tx) => {
    const existing = new Set(
      (await tx.select({ model: models.model }).from(models).where(eq(models.providerId, providerId))).map(
        (m) => m.model,
      ),
    );
    const added: string[] = [];
    const skipped: string[] = [];
    for (const entry of entries) {
      const id = entry.model.trim();
      if (existing.has(id) || added.includes(id)) {
        skipped.push(id);
        continue;
      }
      await insertModel(tx, provider, entry, actor, "starter list");
      added.push(id);
    }
    await recordAudit(tx, actor, {
      action: "model.import",
      targetType: "provider",
      targetId: providerId,
      after: { source: "starter list", added, skipped },
    });
    return { added, skipped };
  });
  publish("catalog");
  return result;
}
