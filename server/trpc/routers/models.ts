/** Models and rates (admin): enable per provider, public names and aliases, type, dated rates, starter import. */
import { z } from "zod";
import { MODEL_TYPES } from "../../../drizzle/schema";
import { setModelAliases } from "../../catalog/model-aliases.server";
import { listModelsForAdmin } from "../../catalog/model-list.server";
import { addRate, deleteRate, listRates } from "../../catalog/model-rates.server";
import { addModel, deleteModel, updateModel } from "../../catalog/models.server";
import { importStarterModels, starterListFor } from "../../catalog/starter-import.server";
import { adminProcedure, router } from "../init";
import { dateSchema, idSchema, rateValuesSchema } from "../schemas";

const modelId = z.string().trim().min(1, "is required").max(200, "is at most 200 characters");
const displayName = z.string().trim().max(100, "is at most 100 characters").nullable().optional();
const type = z.enum(MODEL_TYPES, "must be chat, image or embedding");
const alias = z.string().trim().min(1).max(100, "is at most 100 characters");
const tokens = z
  .number()
  .int("must be a whole number")
  .min(1, "must be at least 1")
  .max(100_000_000, "is too large")
  .nullable()
  .optional();

export const modelsRouter = router({
  list: adminProcedure
    .input(z.object({ providerId: idSchema.optional() }).optional())
    .query(({ input }) => listModelsForAdmin({ providerId: input?.providerId })),

  create: adminProcedure
    .input(
      z.object({
        providerId: idSchema,
        model: modelId,
        type,
        displayName,
        rate: rateValuesSchema,
        effectiveFrom: dateSchema.optional(),
      }),
    )
    .mutation(async ({ input, ctx }) => {
      const row = await addModel(
        {
          providerId: input.providerId,
          model: input.model,
          type: input.type,
          displayName: input.displayName,
          effectiveFrom: input.effectiveFrom,
          ...input.rate,
        },
        ctx.actor,
      );
      return { id: row.id };
    }),

  update: adminProcedure
    .input(
      z.object({
        id: idSchema,
        displayName,
        type: type.optional(),
        enabled: z.boolean().optional(),
        contextWindow: tokens,
        maxOutputTokens: tokens,
        fallbackModels: z
          .array(z.string().trim().min(1).max(200))
          .max(10, "at most 10 fallback models")
          .nullable()
          .optional(),
      }),
    )
    .mutation(async ({ input: { id, ...patch }, ctx }) => {
      const row = await updateModel(id, patch, ctx.actor);
      return { id: row.id, enabled: row.enabled };
    }),

  delete: adminProcedure.input(z.object({ id: idSchema })).mutation(async ({ input, ctx }) => {
    await deleteModel(input.id, ctx.actor);
    return { ok: true as const };
  }),

  setAliases: adminProcedure
    .input(z.object({ id: idSchema, aliases: z.array(alias).max(20, "at most 20 aliases") }))
    .mutation(async ({ input, ctx }) => ({ aliases: await setModelAliases(input.id, input.aliases, ctx.actor) })),

  rates: adminProcedure.input(z.object({ id: idSchema })).query(({ input }) => listRates(input.id)),

  addRate: adminProcedure
    .input(z.object({ id: idSchema, effectiveFrom: dateSchema.nullable().optional(), rate: rateValuesSchema }))
    .mutation(({ input, ctx }) => addRate(input.id, input.rate, input.effectiveFrom ?? null, ctx.actor)),

  deleteRate: adminProcedure.input(z.object({ id: idSchema })).mutation(async ({ input, ctx }) => {
    await deleteRate(input.id, ctx.actor);
    return { ok: true as const };
  }),

  starterList: adminProcedure
    .input(z.object({ providerId: idSchema }))
    .query(({ input }) => starterListFor(input.providerId)),

  importStarter: adminProcedure
    .input(
      z.object({
        providerId: idSchema,
        models: z
          .array(z.object({ model: modelId, type, displayName, rate: rateValuesSchema }))
          .min(1, "choose at least one model")
          .max(100, "at most 100 models at once"),
      }),
    )
    .mutation(({ input, ctx }) =>
      importStarterModels(
        input.providerId,
        input.models.map((m) => ({ model: m.model, type: m.type, displayName: m.displayName, ...m.rate })),
        ctx.actor,
      ),
    ),
});
