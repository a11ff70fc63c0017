/**
 * Owner settings: typed, with defaults, stored as JSON rows in `settings`, cached in memory and dropped on the
 * "settings" invalidation topic (and re-read at most every CACHE_MS, for changes made by other instances).
 * Every change is audited with before and after (secrets removed by the audit writer).
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import { settings } from "../../drizzle/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { publish, subscribe } from "../cache/invalidation.server";
import { getDb } from "../db/client.server";
import { HubError } from "../errors";
import { assertMayChangeSettings } from "./setting-permissions";

const CACHE_MS = 5_000;

export const SETTINGS_SCHEMA = z.object({
  /** Credit billing: off = calls are priced for reporting only, never refused for credit. */
  billingEnabled: z.boolean().default(false),
  /** Micro-USD one credit costs (1_000_000 = $1 a credit). */
  creditPriceMicroUsd: z.number().int().positive().default(1_000_000),
  /** Margin on provider prices, in basis points (2000 = 20 %). */
  profitMarginBps: z.number().int().min(0).max(100_000).default(0),
  /** Micro-credits granted once to each new user at first sign-in. */
  newUserGrantMicro: z.number().int().min(0).default(0),
  /** Where people buy credit (for example a Stripe Payment Link). */
  paymentLink: z.string().url().nullable().default(null),
  /** The Stripe webhook signing secret (whsec_...), sealed; env STRIPE_WEBHOOK_SECRET takes precedence. */
  stripeWebhookSecretSealed: z.string().min(1).nullable().default(null),
  /** Below this many micro-credits the Billing page warns that credit is running low. */
  lowBalanceWarningMicro: z.number().int().min(0).default(1_000_000),
  /** Who may sign in: anyone with an account at a configured provider, only invited emails, or some domains. */
  signInPolicy: z.enum(["open", "invite_only", "domains"]).default("open"),
  allowedEmailDomains: z.array(z.string().min(1)).default([]),
  /** OAuth clients configured in the console (client secrets sealed); environment variables take precedence. */
  oauthClients: z
    .array(
      z.object({
        id: z.enum(["github", "google", "oidc"]),
        clientId: z.string().min(1),
        sealedClientSecret: z.string().min(1),
        issuer: z.string().url().nullable().default(null),
        name: z.string().nullable().default(null),
      }),
    )
    .default([]),
  /** Keep request and response bodies of calls (redacted) for this many days; 0 = never store them. */
  bodyLogRetentionDays: z.number().int().min(0).max(365).default(0),
  /** SHA-256 (hex) of the bearer token for GET /metrics; env HUB_METRICS_TOKEN takes precedence. Null: no /metrics. */
  metricsTokenHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable()
    .default(null),
  responseCacheEnabled: z.boolean().default(false),
  /** Keep Responses API answers (store: true) this many days for GET and previous_response_id; 0 = store none. */
  responseStoreRetentionDays: z.number().int().min(0).max(365).default(30),
  /** Failed authentications per client address and minute before 429; null = HUB_AUTH_FAILURES_PER_MINUTE, 0 = off. */
  authFailuresPerMinute: z.number().int().min(0).max(100_000).nullable().default(null),
  /** Believe X-Forwarded-For from these proxy addresses (CIDRs). */
  trustedProxies: z.array(z.string()).default([]),
});

export type HubSettings = z.infer<typeof SETTINGS_SCHEMA>;
export type SettingKey = keyof HubSettings;

let cached: { value: HubSettings; at: number } | undefined;
subscribe("settings", () => {
  cached = undefined;
});

export async function getSettings(): Promise<HubSettings> {
  const fresh = freshSettings();
  if (fresh) return fresh;
  const db = await getDb();
  const rows = await db.select().from(settings);
  const raw = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  // A stored value that no longer fits the schema falls back to its default rather than breaking the hub.
  const value = {} as Record<string, unknown>;
  for (const key of Object.keys(SETTINGS_SCHEMA.shape) as SettingKey[]) {
    const field = SETTINGS_SCHEMA.shape[key];
    const parsed = field.safeParse(raw[key]);
    value[key] = parsed.success ? parsed.data : field.parse(undefined);
  }
  cached = { value: value as HubSettings, at: Date.now() };
  return cached.value;
}

/** The settings when the cached copy is still fresh (what getSettings would return without reading), else undefined. */
export function freshSettings(): HubSettings | undefined {
  return cached && Date.now() - cached.at < CACHE_MS ? cached.value : undefined;
}

/**
 * The settings last read, however old, without waiting: for the per-call hot path (body logging), where an
 * await per call is not worth it. Every gateway call already reads getSettings() for billing, which keeps this
 * fresh; undefined until the first read (and just after a change, until the next one).
 */
export function peekSettings(): HubSettings | undefined {
  return cached?.value;
}

/**
 * Change some settings in one transaction; validated, audited, and every cache told. `action` names the audit
 * entry when the change is a specific act (generating the metrics token) rather than an edit of the form.
 */
export async function updateSettings(
  patch: Partial<HubSettings>,
  actor: Actor,
  action = "settings.update",
): Promise<HubSettings> {
  // Every path checks the setting rules before it gets here; this is the last line. People are held to their
  // role (none given counts as a member); the CLI and the system (no id) are the operator.
  if (actor.id !== null) {
    assertMayChangeSettings(
      actor.role ?? "member",
      (Object.keys(patch) as SettingKey[]).filter((k) => patch[k] !== undefined),
    );
  }
  const result = SETTINGS_SCHEMA.partial().safeParse(patch);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new HubError(
      "invalid_input",
      `Setting ${issue.path.join(".")}: ${issue.message}`,
      String(issue.path[0] ?? ""),
    );
  }
  // zod 4 fills in every default inside .partial(): keep only the keys the patch really sets.
  const changed = (Object.keys(result.data) as SettingKey[]).filter(
    (k) => (patch as Record<string, unknown>)[k] !== undefined,
  );
  const data = Object.fromEntries(changed.map((k) => [k, result.data[k]]));
  const before = await getSettings();
  const db = await getDb();
  await db.transaction(async (tx) => {
    for (const [key, value] of Object.entries(data)) {
      // The value column is NOT NULL: a null setting (a removed payment link) is stored as no row, read back as
      // its default, which is null for every nullable setting.
      if (value === null) {
        await tx.delete(settings).where(eq(settings.key, key));
        continue;
      }
      await tx
        .insert(settings)
        .values({ key, value, updatedBy: actor.id })
        .onConflictDoUpdate({ target: settings.key, set: { value, updatedBy: actor.id, updatedAt: new Date() } });
    }
    await recordAudit(tx, actor, {
      action,
      targetType: "settings",
      before: Object.fromEntries(changed.map((k) => [k, before[k]])),
      after: data,
    });
  });
  cached = undefined;
  publish("settings");
  return getSettings();
}
