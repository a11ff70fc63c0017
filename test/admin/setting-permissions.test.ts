/**
 * Who may change which setting, over real HTTP to the console's tRPC endpoint with real session cookies: the owner
 * changes every setting (audited), an admin only the low-balance warning, a member none; a refused change leaves
 * the stored setting as it was. The admin Billing form's side of the same rules is in e2e/web-security.spec.ts.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, settings } from "@drizzle/schema";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { createUserSession } from "@server/auth/session.server";
import { createUser, type UserRow } from "@server/auth/users.server";
import { getDb } from "@server/db/client.server";
import { SETTING_RULES } from "@server/settings/setting-permissions";
import type { SettingKey } from "@server/settings/settings.server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let hub: TempHub;
let api: ApiServer;
const cookies: Record<"owner" | "admin" | "member", string> = { owner: "", admin: "", member: "" };
const users: Partial<Record<keyof typeof cookies, UserRow>> = {};

beforeAll(async () => {
  hub = await createTempHub();
  api = await startApiServer();
  for (const role of ["owner", "admin", "member"] as const) {
    users[role] = await createUser({ email: `${role}@example.com`, role }, CLI_ACTOR);
    cookies[role] = (await createUserSession(users[role].id, new Request(`${api.url}/setup`))).split(";")[0]!;
  }
});
afterAll(async () => {
  await api.close();
  await hub.cleanup();
});

/** Each setting, the procedure that changes it and a valid input. The webhook secret has no procedure (form only). */
const CHANGES: Array<{ key: SettingKey; path: string; input?: unknown | ((role: string) => unknown) }> = [
  { key: "billingEnabled", path: "settings.update", input: { billingEnabled: true } },
  { key: "creditPriceMicroUsd", path: "settings.update", input: { creditPriceMicroUsd: 2_000_000 } },
  { key: "profitMarginBps", path: "settings.update", input: { profitMarginBps: 1_500 } },
  { key: "newUserGrantMicro", path: "settings.update", input: { newUserGrantMicro: 3_000_000 } },
  { key: "paymentLink", path: "settings.update", input: { paymentLink: "https://buy.stripe.com/test" } },
  // Both the admin and the owner change this one: each to a value of their own, so each change is a change.
  {
    key: "lowBalanceWarningMicro",
    path: "settings.update",
    input: (role: string) => ({ lowBalanceWarningMicro: role === "owner" ? 6_000_000 : 5_000_000 }),
  },
  { key: "signInPolicy", path: "settings.update", input: { signInPolicy: "invite_only" } },
  { key: "allowedEmailDomains", path: "settings.update", input: { allowedEmailDomains: ["example.org"] } },
  { key: "bodyLogRetentionDays", path: "settings.update", input: { bodyLogRetentionDays: 7 } },
  { key: "responseCacheEnabled", path: "settings.update", input: { responseCacheEnabled: true } },
  { key: "authFailuresPerMinute", path: "settings.update", input: { authFailuresPerMinute: 50 } },
  { key: "responseStoreRetentionDays", path: "settings.update", input: { responseStoreRetentionDays: 7 } },
  {
    key: "oauthClients",
    path: "settings.setOAuthClient",
    input: { id: "github", clientId: "gh-client", clientSecret: "gh-secret" },
  },
  { key: "metricsTokenHash", path: "settings.generateMetricsToken" },
  { key: "trustedProxies", path: "ipRules.setTrustedProxies", input: { proxies: ["10.0.0.0/8"] } },
];

/** What an admin may change; everything else is the owner's (billing settings were once open to admins). */
const ADMIN_MAY = new Set<SettingKey>(["lowBalanceWarningMicro"]);

async function callTrpc(role: keyof typeof cookies, path: string, input: unknown) {
  const response = await fetch(`${api.url}/api/trpc/${path}`, {
    method: "POST",
    headers: { cookie: cookies[role], origin: api.url, "content-type": "application/json" },
    body: input === undefined ? undefined : JSON.stringify(input),
  });
  const body = (await response.json()) as { error?: { message: string; data: { code: string } } };
  return { status: response.status, code: body.error?.data.code ?? "OK", message: body.error?.message ?? "" };
}

async function stored(key: SettingKey): Promise<unknown> {
  const [row] = await (await getDb()).select().from(settings).where(eq(settings.key, key));
  return row?.value;
}

async function auditCount(actorId: string): Promise<number> {
  const db = await getDb();
  return (
    await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.actorId, actorId), eq(auditLog.targetType, "settings")))
  ).length;
}

describe("setting rules", () => {
  it("cover every setting, each with a reason", () => {
    for (const [key, rule] of Object.entries(SETTING_RULES)) expect(rule.why.length, key).toBeGreaterThan(10);
    const covered = new Set([...CHANGES.map((c) => c.key), "stripeWebhookSecretSealed"]);
    expect([...covered].sort()).toEqual(Object.keys(SETTING_RULES).sort());
  });
});

describe.each(["member", "admin", "owner"] as const)("tRPC over HTTP as %s", (role) => {
  it.each(CHANGES.map((c) => [c.key, c]))("%s", async (key, change) => {
    const allowed = role === "owner" || (role === "admin" && ADMIN_MAY.has(key));
    const before = await stored(key);
    const audits = await auditCount(users[role]!.id);
    const result = await callTrpc(
      role,
      change.path,
      typeof change.input === "function" ? change.input(role) : change.input,
    );
    if (allowed) {
      expect(result).toMatchObject({ status: 200, code: "OK" });
      expect(await stored(key)).not.toEqual(before);
      expect(await auditCount(users[role]!.id)).toBe(audits + 1);
    } else {
      expect(result).toMatchObject({ status: 403, code: "FORBIDDEN" });
      if (role === "admin") expect(result.message).toMatch(/Only the owner can change/);
      expect(await stored(key)).toEqual(before);
      expect(await auditCount(users[role]!.id)).toBe(audits);
    }
  });
});

describe("settings.update with several fields", () => {
  it("refuses the whole change when one field is the owner's, and changes nothing", async () => {
    const before = [await stored("lowBalanceWarningMicro"), await stored("creditPriceMicroUsd")];
    const result = await callTrpc("admin", "settings.update", {
      lowBalanceWarningMicro: 9_000_000,
      creditPriceMicroUsd: 7_000_000,
    });
    expect(result).toMatchObject({ status: 403, code: "FORBIDDEN" });
    expect(result.message).toMatch(/creditPriceMicroUsd/);
    expect([await stored("lowBalanceWarningMicro"), await stored("creditPriceMicroUsd")]).toEqual(before);
  });
});
