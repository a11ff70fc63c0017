/** Every access key (admin): filter by user or app, and revoke. */
import { z } from "zod";
import { listAppNames, listKeysForAdmin, revokeKeyAsAdmin } from "../../access-keys/admin-console.server";
import { adminProcedure, router } from "../init";
import { idSchema, searchSchema } from "../schemas";

export const keysRouter = router({
  list: adminProcedure
    .input(
      z
        .object({
          userId: idSchema.optional(),
          user: searchSchema,
          appName: z.string().trim().max(100).optional(),
          status: z.enum(["active", "expired", "revoked"]).optional(),
          limit: z.number().int().min(1).max(500).optional(),
          offset: z.number().int().min(0).max(1_000_000).optional(),
        })
        .optional(),
    )
    .query(({ input }) => listKeysForAdmin(input ?? {})),

  apps: adminProcedure.query(() => listAppNames()),

  revoke: adminProcedure.input(z.object({ id: idSchema })).mutation(async ({ input, ctx }) => {
    await revokeKeyAsAdmin(input.id, ctx.actor);
    return { ok: true as const };
  }),
});
