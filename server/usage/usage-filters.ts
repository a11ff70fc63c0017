/**
 * The usage pages' filters, validated once with zod (tRPC inputs and the CSV export's query string use the same
 * schema), and the scope rule: a member always sees their own calls only; "all" is for owners and admins.
 */
import { z } from "zod";
import { CALL_APIS, CALL_STATUSES } from "../../drizzle/schema/calls";

const dimension = z.string().trim().max(200).nullish();
const instant = z.union([z.number().int(), z.string().max(40)]).transform((v, ctx) => {
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) {
    ctx.addIssue({ code: "custom", message: "is not a date" });
    return z.NEVER;
  }
  return d;
});

export const usageFiltersSchema = z
  .object({
    scope: z.enum(["mine", "all"]).default("mine"),
    from: instant,
    to: instant,
    userId: dimension,
    accessKeyId: dimension,
    appName: dimension,
    providerName: dimension,
    model: dimension,
  })
  .refine((f) => f.from.getTime() < f.to.getTime(), { message: "must be after the start", path: ["to"] });

/** The call log reads raw calls, so it can also filter on what the rollups do not keep: status and inbound API. */
export const callFiltersSchema = usageFiltersSchema.and(
  z.object({ status: z.enum(CALL_STATUSES).nullish(), api: z.enum(CALL_APIS).nullish() }),
);

export type UsageFiltersInput = z.infer<typeof usageFiltersSchema>;
export type Scope = "mine" | "all";

export interface ScopeUser {
  id: string;
  role: string;
}

export const canSeeAll = (user: ScopeUser) => user.role === "owner" || user.role === "admin";

/**
 * The user id the query is restricted to: the member's own id for "mine" (whatever userId was asked for), the
 * requested user (or everyone) for "all". Null when a member asks for "all": the caller refuses.
 */
export function scopedUserId(
  user: ScopeUser,
  scope: Scope,
  requested: string | null | undefined,
): { userId: string | null } | null {
  if (scope === "mine") return { userId: user.id };
  if (!canSeeAll(user)) return null;
  return { userId: requested || null };
}

/** Query-string values ("" = none) as the schema's input. */
export function filtersFromSearchParams(params: URLSearchParams): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  const keys = [
    "scope",
    "from",
    "to",
    "userId",
    "accessKeyId",
    "appName",
    "providerName",
    "model",
    "status",
    "api",
    "by",
    "granularity",
  ];
  for (const key of keys) {
    const v = params.get(key);
    if (v !== null && v !== "") out[key] = /^\d+$/.test(v) && (key === "from" || key === "to") ? Number(v) : v;
  }
  return out;
}
