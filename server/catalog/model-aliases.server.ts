/**
 * Aliases: admin-chosen names that resolve to one model ("fast" → openai/gpt-4o-mini), so apps can ask for a
 * role rather than a vendor's id and the admin can move it later. An alias is unique across the hub and may not
 * look like a "provider/model" name that already exists.
 */
import { eq, inArray } from "drizzle-orm";
import { modelAliases, models, providers } from "../../drizzle/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { publish } from "../cache/invalidation.server";
import { getDb } from "../db/client.server";
import { HubError } from "../errors";
import { requireModel } from "./models.server";

export const ALIAS_PATTERN = /^[A-Za-z0-9][\w.:@/+-]{0,99}$/;

/** Replace a model's aliases with `aliases` (an empty list removes them all). */
export async function setModelAliases(modelId: string, aliases: string[], actor: Actor): Promise<string[]> {
  const model = await requireModel(modelId);
  const wanted = [...new Set(aliases.map((a) => a.trim()).filter(Boolean))];
  for (const alias of wanted) {
    if (!ALIAS_PATTERN.test(alias))
      throw new HubError(
        "invalid_input",
        `Alias "${alias}" may use letters, digits and . _ : @ / + - (up to 100)`,
        "aliases",
      );
  }
  const db = await getDb();
  await db.transaction(async (tx) => {
    const before = (await tx.select().from(modelAliases).where(eq(modelAliases.modelId, modelId))).map((a) => a.alias);
    if (wanted.length) {
      const taken = await tx.select().from(modelAliases).where(inArray(modelAliases.alias, wanted));
      const clash = taken.find((a) => a.modelId !== modelId);
      if (clash)
        throw new HubError("conflict", `The alias "${clash.alias}" already points to another model`, "aliases");
      const names = await tx
        .select({ provider: providers.name, model: models.model })
        .from(models)
        .innerJoin(providers, eq(providers.id, models.providerId));
      const publicNames = new Set(names.map((n) => `${n.provider}/${n.model}`));
      const shadow = wanted.find((a) => publicNames.has(a));
      if (shadow) throw new HubError("conflict", `"${shadow}" is already the name of a model`, "aliases");
    }
    await tx.delete(modelAliases).where(eq(modelAliases.modelId, modelId));
    if (wanted.length) await tx.insert(modelAliases).values(wanted.map((alias) => ({ alias, modelId })));
    await recordAudit(tx, actor, {
      action: "model.aliases",
      targetType: "model",
      targetId: model.id,
      before: { aliases: before },
      after: { aliases: wanted },
    });
  });
  publish("catalog");
  return wanted;
}
