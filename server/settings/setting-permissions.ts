/**
 * Who may change which setting: one rule per setting, with the reason, read by every path that writes settings
 * (the tRPC procedures, the admin Billing form, and `updateSettings` itself). Pure. docs/decisions/010-web-security.md.
 */
import { HubError } from "../errors";
import type { SettingKey } from "./settings.server";

export type Role = "owner" | "admin" | "member";

export interface SettingRule {
  /** The least role that may change the setting; members change none. */
  minRole: "owner" | "admin";
  /** Why, in words an admin who is refused can read. */
  why: string;
}

export const SETTING_RULES: Record<SettingKey, SettingRule> = {
  billingEnabled: { minRole: "owner", why: "it decides whether every call is charged" },
  creditPriceMicroUsd: { minRole: "owner", why: "it sets what people pay" },
  profitMarginBps: { minRole: "owner", why: "it sets the hub's margin on every call" },
  newUserGrantMicro: { minRole: "owner", why: "it gives free credit to every new account" },
  paymentLink: { minRole: "owner", why: "it decides where people's money goes" },
  stripeWebhookSecretSealed: { minRole: "owner", why: "whoever knows it can credit any account" },
  lowBalanceWarningMicro: { minRole: "admin", why: "it only moves the Billing page's low-credit warning" },
  signInPolicy: { minRole: "owner", why: "it decides who may get an account" },
  allowedEmailDomains: { minRole: "owner", why: "it decides who may get an account" },
  oauthClients: { minRole: "owner", why: "they decide who can sign in, and as whom" },
  bodyLogRetentionDays: { minRole: "owner", why: "it decides whether people's prompts and answers are kept" },
  metricsTokenHash: { minRole: "owner", why: "the token reads the hub's usage without signing in" },
  responseCacheEnabled: { minRole: "owner", why: "it changes what every caller is answered and charged" },
  trustedProxies: { minRole: "owner", why: "a wrong entry lets clients choose their address past the IP rules" },
  authFailuresPerMinute: {
    minRole: "owner",
    why: "it decides how hard the hub pushes back on guessed keys, for every caller",
  },
  responseStoreRetentionDays: {
    minRole: "owner",
    why: "it decides whether people's Responses API conversations are kept",
  },
};

const RANK: Record<Role, number> = { member: 0, admin: 1, owner: 2 };

export function mayChangeSetting(role: Role, key: SettingKey): boolean {
  return RANK[role] >= RANK[SETTING_RULES[key].minRole];
}

/** Whether the role may change at least one setting (members may not: they are refused before anything else). */
export function mayChangeAnySetting(role: Role): boolean {
  return (Object.keys(SETTING_RULES) as SettingKey[]).some((key) => mayChangeSetting(role, key));
}

/** Throws a 403 HubError naming the first setting the role may not change, and why. */
export function assertMayChangeSettings(role: Role, keys: Iterable<SettingKey>): void {
  for (const key of keys) {
    if (mayChangeSetting(role, key)) continue;
    const rule = SETTING_RULES[key];
    const who = rule.minRole === "owner" ? "Only the owner" : "Only owners and admins";
    throw new HubError("forbidden", `${who} can change ${key}: ${rule.why}.`, null);
  }
}
