/**
 * Usage analytics for every signed-in user: totals, time series and breakdowns from the rollups, and the call log
 * from the raw calls. `scope: "mine"` forces the caller's own user id whatever userId was asked for; `scope: "all"`
 * (every user, or any one user) is for owners and admins and FORBIDDEN for members.
 */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { getCall, listCalls, MAX_PAGE } from "../../usage/call-log.server";
import { usageBreakdown, usageSeries, usageTotals, type BreakdownBy } from "../../usage/dashboard.server";
import {
  callFiltersSchema,
  canSeeAll,
  scopedUserId,
  usageFiltersSchema,
  type Scope,
  type ScopeUser,
} from "../../usage/usage-filters";
import { labelsFor } from "../../usage/usage-labels.server";
import { protectedProcedure, router } from "../init";
import { idSchema } from "../schemas";

const BREAKDOWNS = ["model", "provider", "user", "key", "app"] as const satisfies readonly BreakdownBy[];

function scoped<T extends { scope: Scope; userId?: string | null }>(
  user: ScopeUser,
  input: T,
): Omit<T, "scope"> & { userId: string | null } {
  const scope = scopedUserId(user, input.scope, input.userId);
  if (!scope) throw new TRPCError({ code: "FORBIDDEN", message: "Only owners and admins can see everyone's usage." });
  const { scope: _scope, ...rest } = input;
  return { ...rest, userId: scope.userId };
}

async function labelled(by: BreakdownBy, rows: Awaited<ReturnType<typeof usageBreakdown>>) {
  const labels = await labelsFor(
    by,
    rows.map((r) => r.key),
  );
  return rows.map((r) => ({ ...r, label: labels.get(r.key) ?? r.key }));
}

export const usageRouter = router({
  totals: protectedProcedure.input(usageFiltersSchema).query(({ ctx, input }) => usageTotals(scoped(ctx.user, input))),

  series: protectedProcedure
    .input(usageFiltersSchema.and(z.object({ granularity: z.enum(["hour", "day"]).default("day") })))
    .query(({ ctx, input }) => usageSeries(scoped(ctx.user, input), input.granularity)),

  breakdown: protectedProcedure
    .input(
      usageFiltersSchema.and(
        z.object({ by: z.enum(BREAKDOWNS).default("model"), limit: z.number().int().min(1).max(200).default(20) }),
      ),
    )
    .query(async ({ ctx, input }) =>
      labelled(input.by, await usageBreakdown(scoped(ctx.user, input), input.by, input.limit)),
    ),

  /** Values for the filter menus: what was used in the range (within the caller's scope). */
  options: protectedProcedure.input(usageFiltersSchema).query(async ({ ctx, input }) => {
    const filters = { ...scoped(ctx.user, input), accessKeyId: null, appName: null, providerName: null, model: null };
    const bys: BreakdownBy[] =
      canSeeAll(ctx.user) && input.scope === "all"
        ? ["model", "provider", "key", "app", "user"]
        : ["model", "provider", "key", "app"];
    const entries = await Promise.all(
      bys.map(
        async (by) =>
          [
            by,
            (await labelled(by, await usageBreakdown(filters, by, 200)))
              .filter((r) => r.key)
              .map((r) => ({ value: r.key, label: r.label })),
          ] as const,
      ),
    );
    return Object.fromEntries(entries);
  }),

  calls: protectedProcedure
    .input(
      callFiltersSchema.and(
        z.object({ cursor: z.string().max(100).nullish(), limit: z.number().int().min(1).max(MAX_PAGE).default(50) }),
      ),
    )
    .query(({ ctx, input }) => {
      const { cursor, limit, ...filters } = scoped(ctx.user, input);
      return listCalls(filters, { cursor, limit });
    }),

  callDetail: protectedProcedure
    .input(z.object({ id: idSchema, scope: z.enum(["mine", "all"]).default("mine") }))
    .query(({ ctx, input }) => {
      if (input.scope === "all" && !canSeeAll(ctx.user))
        throw new TRPCError({ code: "FORBIDDEN", message: "Only owners and admins can see everyone's calls." });
      return getCall(input.id, input.scope === "all" ? null : ctx.user.id);
    }),
});
