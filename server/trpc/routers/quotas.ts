/** Quotas and limits per user, key, app or the whole hub (admin). */
import { z } from "zod";
import { QUOTA_SCOPES } from "../../governance/quota-limits";
import { deleteQuota, listQuotas, setQuota } from "../../governance/quotas.server";
import { adminProcedure, router } from "../init";
import { idSchema, limitSchema } from "../schemas";

export const quotasRouter = router({
  list: adminProcedure.query(() => listQuotas()),

  set: adminProcedure
    .input(
      z.object({
        scope: z.enum(QUOTA_SCOPES, "choose what the quota is for"),
        scopeId: z.string().trim().max(100, "is too long").optional(),
        requestsPerMinute: limitSchema,
        tokensPerMinute: limitSchema,
        concurrency: z
          .number()
          .int("must be a whole number")
          .min(1, "must be at least 1")
          .max(100_000, "is too large")
          .nullable()
          .optional(),
        tokensPerDay: limitSchema,
        tokensPerMonth: limitSchema,
        creditsPerDayMicro: limitSchema,
        creditsPerMonthMicro: limitSchema,
      }),
    )
    .mutation(({ input, ctx }) => setQuota(input, ctx.actor)),

  delete: adminProcedure.input(z.object({ id: idSchema })).mutation(async ({ input, ctx }) => {
    await deleteQuota(input.id, ctx.actor);
    return { ok: true as const };
  }),
});
