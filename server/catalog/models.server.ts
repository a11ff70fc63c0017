/**
 * Models offered by providers, with dated rates (a new rate never reprices past calls: ./model-rates.server.ts)
 * and aliases (./model-aliases.server.ts). Every change publishes "catalog" so the gateway routes by it at once.
 */
import { and, eq } from "drizzle-orm";
import { MODEL_TYPES, modelRates, models, providers, type ModelType } from "../../drizzle/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { publish } from "../cache/invalidation.server";
import { newId } from "../crypto/tokens";
import { getDb, type Executor } from "../db/client.server";
import { HubError } from "../errors";
import { checkRate, type RateValues } from "./rate-values";
import { getProviderByName, type ProviderRow } from "./providers.server";

export interface NewModel extends Partial<RateValues> {
  /** The provider's name, or `providerId`. */
  provider?: string;
  providerId?: string;
  model: string;
  type?: string;
  displayName?: string | null;
  effectiveFrom?: Date;
}

export type ModelRow = typeof models.$inferSelect;

export const MODEL_ID_PATTERN = /^[A-Za-z0-9][\w.:@/+-]{0,199}$/;

async function resolveProvider(input: Pick<NewModel, "provider" | "providerId">): Promise<ProviderRow> {
  let provider: ProviderRow | null = null;
  if (input.providerId) {
    const db = await getDb();
    [provider = null] = await db.select().from(providers).where(eq(providers.id, input.providerId)).limit(1);
  } else if (input.provider) {
    provider = await getProviderByName(input.provider);
  }
  if (!provider) throw new HubError("not_found", `No provider ${input.provider ?? "with that id"}`, "provider");
  return provider;
}

function checkType(type: string | undefined): ModelType {
  const t = (type ?? "chat") as ModelType;
  if (!MODEL_TYPES.includes(t))
    throw new HubError("invalid_input", `Type must be one of ${MODEL_TYPES.join(", ")}`, "type");
  return t;
}

function checkModelId(value: string): string {
  const model = value.trim();
  if (!MODEL_ID_PATTERN.test(model)) throw new HubError("invalid_input", `Model id ${value} is not valid`, "model");
  return model;
}

/** Insert a model with its first rate inside the caller's transaction (addModel and the starter import). */
export async function insertModel(
  tx: Executor,
  provider: ProviderRow,
  input: NewModel,
  actor: Actor,
  source?: string,
): Promise<ModelRow> {
  const model = checkModelId(input.model);
  const type = checkType(input.type);
  const rateValues = checkRate({
    inputPerMillion: input.inputPerMillion ?? 0,
    outputPerMillion: input.outputPerMillion ?? 0,
    cachedInputPerMillion: input.cachedInputPerMillion ?? null,
    cacheWritePerMillion: input.cacheWritePerMillion ?? null,
    perImage: input.perImage ?? null,
    imagePrices: input.imagePrices ?? null,
  });
  const [existing] = await tx
    .select({ id: models.id })
    .from(models)
    .where(and(eq(models.providerId, provider.id), eq(models.model, model)))
    .limit(1);
  if (existing) throw new HubError("conflict", `${provider.name}/${model} already exists`, "model");
  const displayName = input.displayName?.trim() || null;
  const [row] = await tx
    .insert(models)
    .values({ id: newId("mdl"), providerId: provider.id, model, type, displayName })
    .returning();
  const rate = {
    id: newId("rat"),
    modelId: row!.id,
    effectiveFrom: input.effectiveFrom ?? new Date(),
    ...rateValues,
    createdBy: actor.id,
  };
  await tx.insert(modelRates).values(rate);
  await recordAudit(tx, actor, {
    action: "model.create",
    targetType: "model",
    targetId: row!.id,
    after: { ...row, publicName: `${provider.name}/${model}`, rate, ...(source ? { source } : {}) },
  });
  return row!;
}

export async function addModel(input: NewModel, actor: Actor): Promise<ModelRow> {
  const provider = await resolveProvider(input);
  const db = await getDb();
  const row = await db.transaction((tx) => insertModel(tx, provider, input, actor));
  publish("catalog");
  return row;
}

export async function requireModel(id: string): Promise<ModelRow> {
  const db = await getDb();
  const [row] = await db.select().from(models).where(eq(models.id, id)).limit(1);
  if (!row) throw new HubError("not_found", "No such model; it may have been deleted.", "id");
  return row;
}

export interface ModelPatch {
  displayName?: string | null;
  type?: string;
  enabled?: boolean;
  contextWindow?: number | null;
  maxOutputTokens?: number | null;
  fallbackModels?: string[] | null;
}

export async function updateModel(id: string, patch: ModelPatch, actor: Actor): Promise<ModelRow> {
  const before = await requireModel(id);
  const set: Partial<typeof models.$inferInsert> = {};
  if (patch.displayName !== undefined) set.displayName = patch.displayName?.trim() || null;
  if (patch.type !== undefined) set.type = checkType(patch.type);
  if (patch.enabled !== undefined) set.enabled = patch.enabled;
  if (patch.contextWindow !== undefined) set.contextWindow = patch.contextWindow;
  if (patch.maxOutputTokens !== undefined) set.maxOutputTokens = patch.maxOutputTokens;
  if (patch.fallbackModels !== undefined)
    set.fallbackModels = patch.fallbackModels?.length ? patch.fallbackModels : null;
  const db = await getDb();
  const row = await db.transaction(async (tx) => {
    const [updated] = await tx.update(models).set(set).where(eq(models.id, id)).returning();
    const action =
      patch.enabled === false && before.enabled
        ? "model.disable"
        : patch.enabled === true && !before.enabled
          ? "model.enable"
          : "model.update";
    await recordAudit(tx, actor, { action, targetType: "model", targetId: id, before, after: updated });
    return updated!;
  });
  publish("catalog");
  return row;
}

/** Delete a model with its rates and aliases. Past calls keep their recorded cost and model name. */
export async function deleteModel(id: string, actor: Actor): Promise<void> {
  const before = await requireModel(id);
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx.delete(models).where(eq(models.id, id));
    await recordAudit(tx, actor, { action: "model.delete", targetType: "model", targetId: id, before });
  });
  publish("catalog");
}
