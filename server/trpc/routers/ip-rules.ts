/** IP allow and deny rules (admin), an address checker, and the trusted proxies (a setting: its rule decides). */
import { z } from "zod";
import { evaluateIpRules } from "../../governance/ip-rules";
import { addIpRule, deleteIpRule, getIpRules, listIpRules, setTrustedProxies } from "../../governance/ip-rules.server";
import { adminProcedure, router, settingProcedure } from "../init";
import { idSchema } from "../schemas";

const cidr = z.string().trim().min(1, "is required").max(64, "is too long");

export const ipRulesRouter = router({
  list: adminProcedure.query(() => listIpRules()),

  create: adminProcedure
    .input(
      z.object({
        action: z.enum(["allow", "deny"], "choose allow or deny"),
        cidr,
        accessKeyId: idSchema.nullable().optional(),
        note: z.string().trim().max(200, "is at most 200 characters").nullable().optional(),
      }),
    )
    .mutation(({ input, ctx }) => addIpRule(input, ctx.actor)),

  delete: adminProcedure.input(z.object({ id: idSchema })).mutation(async ({ input, ctx }) => {
    await deleteIpRule(input.id, ctx.actor);
    return { ok: true as const };
  }),

  /** Would a call from this address (with this key) be let through? */
  check: adminProcedure
    .input(z.object({ ip: z.string().trim().min(1).max(64), keyId: idSchema.nullable().optional() }))
    .query(async ({ input }) => evaluateIpRules(await getIpRules(), input.ip, input.keyId ?? null)),

  setTrustedProxies: settingProcedure("trustedProxies")
    .input(z.object({ proxies: z.array(cidr).max(50, "at most 50 entries") }))
    .mutation(async ({ input, ctx }) => ({ trustedProxies: await setTrustedProxies(input.proxies, ctx.actor) })),
});
