/** Users: search and detail (admin), disable and credit grants (admin), role changes (owner). */
import { z } from "zod";
import { ROLES } from "../../../drizzle/schema";
import { getUserDetail } from "../../admin/user-detail.server";
import { refundCall } from "../../billing/credits.server";
import { grantUserCredits, listUsers, setUserRole, setUserStatus } from "../../admin/users.server";
import { adminProcedure, ownerProcedure, router } from "../init";
import { idSchema, searchSchema } from "../schemas";

/** Up to a million credits in one grant, in micro-credits. */
const MAX_GRANT_MICRO = 1_000_000 * 1_000_000;

export const usersRouter = router({
  list: adminProcedure
    .input(
      z
        .object({
          search: searchSchema,
          role: z.enum(ROLES).optional(),
          status: z.enum(["active", "disabled"]).optional(),
          limit: z.number().int().min(1).max(200).optional(),
          offset: z.number().int().min(0).max(1_000_000).optional(),
        })
        .optional(),
    )
    .query(({ input }) => listUsers(input ?? {})),

  detail: adminProcedure.input(z.object({ id: idSchema })).query(({ input }) => getUserDetail(input.id)),

  setRole: ownerProcedure
    .input(z.object({ id: idSchema, role: z.enum(ROLES, "must be owner, admin or member") }))
    .mutation(async ({ input, ctx }) => {
      const row = await setUserRole(input.id, input.role, ctx.actor);
      return { id: row.id, role: row.role };
    }),

  setStatus: adminProcedure
    .input(z.object({ id: idSchema, status: z.enum(["active", "disabled"]) }))
    .mutation(async ({ input, ctx }) => {
      const row = await setUserStatus(input.id, input.status, { ...ctx.actor, role: ctx.user.role });
      return { id: row.id, status: row.status };
    }),

  grantCredits: adminProcedure
    .input(
      z.object({
        id: idSchema,
        amountMicro: z
          .number()
          .int("must be an exact amount")
          .min(1, "must be more than zero")
          .max(MAX_GRANT_MICRO, "is more than a million credits"),
        reason: z.string().trim().max(200, "is at most 200 characters").optional(),
      }),
    )
    .mutation(async ({ input, ctx }) => ({
      balanceMicro: await grantUserCredits(input.id, input.amountMicro, input.reason ?? "", ctx.actor),
    })),

  refundCall: adminProcedure
    .input(
      z.object({
        callId: idSchema,
        reason: z.string().trim().min(1, "give a reason").max(200, "is at most 200 characters"),
      }),
    )
    .mutation(({ input, ctx }) => refundCall(input.callId, input.reason, ctx.actor)),
});
