/**
 * The admin Billing page: totals, every user's balance, ledger search, unmatched payments and the billing settings;
 * and its actions (grant, adjust, settings), each with a reason or a before/after in the audit log.
 */
import { and, desc, eq, gte, like, ne, sql } from "drizzle-orm";
import { creditAccounts, creditLedger, payments, users } from "../../drizzle/schema";
import type { Actor } from "../audit/audit.server";
import { requireSameOrigin } from "../auth/same-origin.server";
import { clientIp, type SessionUser } from "../auth/session.server";
import { requireUserByEmail } from "../auth/users.server";
import { getSecretBox } from "../crypto/secret-key.server";
import { getDb } from "../db/client.server";
import { getEnv } from "../env.server";
import { HubError } from "../errors";
import { assertMayChangeSettings, mayChangeSetting } from "../settings/setting-permissions";
import { getSettings, updateSettings, type HubSettings, type SettingKey } from "../settings/settings.server";
import { parseBillingSettingsForm, parseCreditForm, type FieldErrors } from "./admin-forms";
import { adjustCredits, grantCredits } from "./credits.server";
import { queryLedger, type LedgerPage } from "./ledger-query.server";
import { formatWhen, monthStart, parseLedgerFilters, type LedgerFilters } from "./ledger-view";
import { formatMicro } from "./money";

export interface AdminBillingData {
  totals: Record<"balance" | "reserved" | "granted" | "purchased" | "spentMonth" | "spentAll", string> & {
    accounts: number;
  };
  accounts: Array<{
    userId: string;
    email: string;
    name: string;
    balance: string;
    reserved: string;
    balanceMicro: number;
  }>;
  accountQuery: string;
  ledger: LedgerPage;
  ledgerQuery: { user: string; ref: string };
  filters: LedgerFilters;
  unmatched: Array<{ id: string; status: string; when: string; detail: string }>;
  settings: {
    billingEnabled: boolean;
    paymentLink: string;
    creditPrice: string;
    margin: string;
    newUserGrant: string;
    lowBalance: string;
    webhookSecret: "env" | "set" | "none";
  };
  /** Which of the form's fields this person may change (the setting rules); the others are shown, not editable. */
  editable: Record<BillingField, boolean>;
}

/** The settings form's fields and the setting each one writes. */
const FIELD_SETTINGS = {
  billingEnabled: "billingEnabled",
  paymentLink: "paymentLink",
  creditPrice: "creditPriceMicroUsd",
  margin: "profitMarginBps",
  newUserGrant: "newUserGrantMicro",
  lowBalance: "lowBalanceWarningMicro",
  webhookSecret: "stripeWebhookSecretSealed",
} as const satisfies Record<string, SettingKey>;
export type BillingField = keyof typeof FIELD_SETTINGS;

function editableFields(role: SessionUser["role"]): Record<BillingField, boolean> {
  const entries = Object.entries(FIELD_SETTINGS).map(([field, key]) => [field, mayChangeSetting(role, key)]);
  return Object.fromEntries(entries) as Record<BillingField, boolean>;
}

async function totals(now: number): Promise<AdminBillingData["totals"]> {
  const db = await getDb();
  const sum = (kinds: string[], since?: number) =>
    db
      .select({ v: sql<number>`coalesce(sum(${creditLedger.amountMicro}), 0)` })
      .from(creditLedger)
      .where(
        and(
          sql`${creditLedger.kind} in (${sql.join(
            kinds.map((k) => sql`${k}`),
            sql`, `,
          )})`,
          since ? gte(creditLedger.createdAt, new Date(since)) : undefined,
        ),
      )
      .then((r) => Number(r[0]?.v ?? 0));
  const [acct] = await db
    .select({
      balance: sql<number>`coalesce(sum(${creditAccounts.balanceMicro}), 0)`,
      reserved: sql<number>`coalesce(sum(${creditAccounts.reservedMicro}), 0)`,
      n: sql<number>`sum(${creditAccounts.balanceMicro} > 0)`,
    })
    .from(creditAccounts);
  const [granted, purchased, spentMonth, spentAll] = await Promise.all([
    sum(["grant", "adjustment", "refund"]),
    sum(["purchase"]),
    sum(["settle"], monthStart(now)),
    sum(["settle"]),
  ]);
  return {
    balance: formatMicro(Number(acct?.balance ?? 0)),
    reserved: formatMicro(Number(acct?.reserved ?? 0)),
    accounts: Number(acct?.n ?? 0),
    granted: formatMicro(granted),
    purchased: formatMicro(purchased),
    spentMonth: formatMicro(-spentMonth),
    spentAll: formatMicro(-spentAll),
  };
}

function settingsView(s: HubSettings): AdminBillingData["settings"] {
  return {
    billingEnabled: s.billingEnabled,
    paymentLink: s.paymentLink ?? "",
    creditPrice: formatMicro(s.creditPriceMicroUsd),
    margin: (s.profitMarginBps / 100).toString(),
    newUserGrant: formatMicro(s.newUserGrantMicro),
    lowBalance: formatMicro(s.lowBalanceWarningMicro),
    webhookSecret: getEnv().STRIPE_WEBHOOK_SECRET ? "env" : s.stripeWebhookSecretSealed ? "set" : "none",
  };
}

export async function getAdminBillingPage(
  url: URL,
  viewer: Pick<SessionUser, "role">,
  now = Date.now(),
): Promise<AdminBillingData> {
  const db = await getDb();
  const p = url.searchParams;
  const accountQuery = (p.get("q") ?? "").trim().slice(0, 100);
  const ledgerQuery = {
    user: (p.get("user") ?? "").trim().slice(0, 100),
    ref: (p.get("ref") ?? "").trim().slice(0, 100),
  };
  const filters = parseLedgerFilters(p);
  const [t, accountRows, ledger, unmatched, settings] = await Promise.all([
    totals(now),
    db
      .select({
        userId: users.id,
        email: users.email,
        name: users.name,
        balance: creditAccounts.balanceMicro,
        reserved: creditAccounts.reservedMicro,
      })
      .from(users)
      .leftJoin(creditAccounts, eq(creditAccounts.userId, users.id))
      .where(accountQuery ? like(users.email, `%${accountQuery.toLowerCase().replace(/[%_]/g, "")}%`) : undefined)
      .orderBy(desc(sql`coalesce(${creditAccounts.balanceMicro}, 0)`), users.email)
      .limit(50),
    queryLedger({ email: ledgerQuery.user || undefined, reference: ledgerQuery.ref || undefined, filters, limit: 30 }),
    db.select().from(payments).where(ne(payments.status, "paid")).orderBy(desc(payments.createdAt)).limit(10),
    getSettings(),
  ]);
  return {
    totals: t,
    accounts: accountRows.map((a) => ({
      userId: a.userId,
      email: a.email,
      name: a.name,
      balance: formatMicro(a.balance ?? 0),
      reserved: formatMicro(a.reserved ?? 0),
      balanceMicro: a.balance ?? 0,
    })),
    accountQuery,
    ledger,
    ledgerQuery,
    filters,
    unmatched: unmatched.map((u) => {
      const raw = (u.raw ?? {}) as { amount_total?: number; currency?: string; email?: string };
      return {
        id: u.id,
        status: u.status,
        when: formatWhen(u.createdAt),
        detail:
          `${((raw.amount_total ?? 0) / 100).toFixed(2)} ${(raw.currency ?? "").toUpperCase()} ${raw.email ?? ""}`.trim(),
      };
    }),
    settings: settingsView(settings),
    editable: editableFields(viewer.role),
  };
}

export type AdminBillingResult =
  | { ok: true; intent: string; message: string }
  | { ok: false; intent: string; fieldErrors?: FieldErrors; formError?: string; status?: number };

export async function handleAdminBillingAction(request: Request, admin: SessionUser): Promise<AdminBillingResult> {
  await requireSameOrigin(request);
  const ip = clientIp(request);
  const actor: Actor = {
    id: admin.id,
    label: admin.email,
    role: admin.role,
    ip,
    userAgent: request.headers.get("user-agent"),
  };
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  try {
    if (intent === "grant" || intent === "adjust") {
      const parsed = parseCreditForm(form, intent === "adjust");
      if (!parsed.ok) return { ok: false, intent, fieldErrors: parsed.fieldErrors };
      const { email, amountMicro, reason } = parsed.value;
      const user = await requireUserByEmail(email);
      const balance =
        intent === "grant"
          ? await grantCredits(user.id, amountMicro, reason, actor)
          : await adjustCredits(user.id, amountMicro, reason, actor);
      const verb = intent === "grant" ? "Granted" : "Adjusted by";
      return {
        ok: true,
        intent,
        message: `${verb} ${formatMicro(amountMicro)} credits for ${user.email}; the balance is ${formatMicro(balance)}.`,
      };
    }
    if (intent === "settings") {
      const parsed = parseBillingSettingsForm(form);
      if (!parsed.ok) return { ok: false, intent, fieldErrors: parsed.fieldErrors };
      const { webhookSecret, ...rest } = parsed.value;
      const patch: Partial<HubSettings> = { ...rest };
      if (webhookSecret !== undefined)
        patch.stripeWebhookSecretSealed = webhookSecret ? getSecretBox().seal(webhookSecret) : null;
      const keys = (Object.keys(patch) as SettingKey[]).filter((k) => patch[k] !== undefined);
      if (!keys.length) return { ok: false, intent, formError: "Nothing to change." };
      // The same rules as the console's tRPC procedures: an admin posting an owner-only field changes nothing.
      assertMayChangeSettings(admin.role, keys);
      await updateSettings(patch, actor);
      return { ok: true, intent, message: "Billing settings saved." };
    }
    return { ok: false, intent, formError: "Unknown action." };
  } catch (error) {
    if (error instanceof HubError && error.status < 500) {
      // A refusal by role answers 403, so the post is seen as refused, not as a typo in a field.
      return { ok: false, intent, formError: error.message, ...(error.kind === "forbidden" ? { status: 403 } : {}) };
    }
    throw error;
  }
}
