/**
 * Hub settings: readable by admins (no secrets in them); who may change each one is its rule in
 * server/settings/setting-permissions.ts (most are the owner's alone, OAuth clients and the metrics token included).
 */
import { z } from "zod";
import {
  generateMetricsToken,
  getAdminSettings,
  OAUTH_IDS,
  removeOAuthClient,
  revokeMetricsToken,
  setOAuthClient,
  updateHubSettings,
} from "../../admin/settings-admin.server";
import { assertMayChangeSettings } from "../../settings/setting-permissions";
import type { SettingKey } from "../../settings/settings.server";
import { adminProcedure, router, settingProcedure, settingsProcedure } from "../init";

const micro = (max: number, what: string) =>
  z.number().int("must be an exact amount").min(0, "must be zero or more").max(max, `is more than ${what}`);

export const settingsRouter = router({
  get: adminProcedure.query(() => getAdminSettings()),

  update: settingsProcedure
    .input(
      z
        .object({
          billingEnabled: z.boolean(),
          creditPriceMicroUsd: micro(1_000_000_000, "$1,000 a credit").min(1, "must be more than zero"),
          profitMarginBps: z
            .number()
            .int("must be a whole number of basis points")
            .min(0, "must be zero or more")
            .max(100_000, "is more than 1000 %"),
          newUserGrantMicro: micro(1_000_000 * 1_000_000, "a million credits"),
          lowBalanceWarningMicro: micro(1_000_000 * 1_000_000, "a million credits"),
          paymentLink: z
            .string()
            .trim()
            .max(500, "is longer than 500 characters")
            .refine((v) => /^https?:\/\/\S+$/i.test(v), "must be an http(s) URL")
            .nullable(),
          signInPolicy: z.enum(["open", "invite_only", "domains"]),
          allowedEmailDomains: z
            .array(
              z
                .string()
                .trim()
                .min(1)
                .max(200)
                .regex(/^@?[a-z0-9.-]+\.[a-z]{2,}\.?$/i, "must be a domain such as example.com"),
            )
            .max(100, "at most 100 domains"),
          bodyLogRetentionDays: z
            .number()
            .int("must be a whole number of days")
            .min(0, "must be 0 or more")
            .max(365, "must be at most 365"),
          responseCacheEnabled: z.boolean(),
          responseStoreRetentionDays: z
            .number()
            .int("must be a whole number of days")
            .min(0, "must be 0 or more")
            .max(365, "must be at most 365"),
          authFailuresPerMinute: z
            .number()
            .int("must be a whole number")
            .min(0, "must be 0 (off) or more")
            .max(100_000, "must be at most 100000")
            .nullable(),
        })
        .partial(),
    )
    .mutation(({ input, ctx }) => {
      const keys = Object.entries(input)
        .filter(([, value]) => value !== undefined)
        .map(([key]) => key as SettingKey);
      assertMayChangeSettings(ctx.user.role, keys);
      return updateHubSettings(input, ctx.actor);
    }),

  setOAuthClient: settingProcedure("oauthClients")
    .input(
      z.object({
        id: z.enum(OAUTH_IDS),
        clientId: z.string().trim().min(1, "is required").max(300, "is too long"),
        clientSecret: z.string().trim().max(2000, "is too long").nullable().optional(),
        issuer: z
          .string()
          .trim()
          .max(500)
          .refine(
            (v) =>
              v === "" || /^https:\/\/\S+$/i.test(v) || /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?(\/\S*)?$/i.test(v),
            "must be an https URL",
          )
          .nullable()
          .optional(),
        name: z.string().trim().max(60, "is at most 60 characters").nullable().optional(),
      }),
    )
    .mutation(({ input, ctx }) => setOAuthClient({ ...input, issuer: input.issuer || null }, ctx.actor)),

  /** The /metrics bearer token: the answer holds the token this once. */
  generateMetricsToken: settingProcedure("metricsTokenHash").mutation(({ ctx }) => generateMetricsToken(ctx.actor)),
  revokeMetricsToken: settingProcedure("metricsTokenHash").mutation(({ ctx }) => revokeMetricsToken(ctx.actor)),

  removeOAuthClient: settingProcedure("oauthClients")
    .input(z.object({ id: z.enum(OAUTH_IDS) }))
    .mutation(({ input, ctx }) => removeOAuthClient(input.id, ctx.actor)),
});
