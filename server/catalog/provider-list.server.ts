/**
 * The Providers page's view: every provider with its credentials (secrets as their last four characters only),
 * each credential's health and the last hour's calls and error rate.
 *
 * Health: this process's circuit breaker knows best while it has an opinion (it sees every call this instance
 * makes); otherwise the state last written to the credentials table (by any instance) is shown, with a passed
 * cooldown read as "probing" (the next call is the probe).
 */
import { and, asc, count, gte, sql } from "drizzle-orm";
import { credentials, modelCalls, models, providers } from "../../drizzle/schema";
import { getDb } from "../db/client.server";
import { breaker } from "../gateway/credential-health.server";
import { getAdapter, isProviderKind, PROVIDER_KINDS, type ProviderKind } from "../providers/registry";
import { providerTitle } from "./provider-title";
import type { CredentialRow } from "./providers.server";

export type Health = "healthy" | "unhealthy" | "probing";

export interface CallStats {
  calls: number;
  errors: number;
  /** errors / calls, 0..1; null without calls. */
  errorRate: number | null;
}

export interface AdminCredential {
  id: string;
  name: string;
  secretPreview: string | null;
  baseUrl: string | null;
  weight: number;
  enabled: boolean;
  health: Health;
  consecutiveFailures: number;
  cooldownUntil: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  lastUsedAt: string | null;
  lastHour: CallStats;
}

export interface AdminProvider {
  id: string;
  kind: string;
  name: string;
  displayName: string;
  baseUrl: string | null;
  /** What calls go to when neither the provider nor a credential sets a base URL. */
  defaultBaseUrl: string | null;
  /** The kind's key facts for the credential dialog (ProviderFacts); an unknown kind needs a key and has no hint. */
  needsKey: boolean;
  keyHint: string | null;
  enabled: boolean;
  allowAnyModel: boolean;
  modelCount: number;
  createdAt: string;
  credentials: AdminCredential[];
  lastHour: CallStats;
}

export interface ProviderKindInfo {
  kind: ProviderKind;
  displayName: string;
  /** Said beside the name in the menu only ("no account needed"), never part of a provider's title. */
  hint: string | null;
  defaultBaseUrl: string;
  needsKey: boolean;
  /** Shown under the key field when the secret is not a plain API key. */
  keyHint: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function providerKinds(): ProviderKindInfo[] {
  return PROVIDER_KINDS.map((kind) => {
    const adapter = getAdapter(kind);
    return {
      kind,
      displayName: adapter.displayName,
      hint: adapter.menuHint,
      defaultBaseUrl: adapter.defaultBaseUrl,
      needsKey: adapter.needsKey,
      keyHint: adapter.keyHint,
    };
  });
}

function stats(calls: number, errors: number): CallStats {
  return { calls, errors, errorRate: calls ? errors / calls : null };
}

export function credentialHealth(
  row: Pick<CredentialRow, "id" | "health" | "cooldownUntil" | "consecutiveFailures">,
  now: number,
): { health: Health; failures: number; cooldownUntil: number | null } {
  const openUntil = breaker.openUntil(row.id);
  const failures = breaker.failures(row.id);
  if (openUntil !== null || failures > 0)
    return { health: breaker.health(row.id, now), failures, cooldownUntil: openUntil };
  const cooldown = row.cooldownUntil?.getTime() ?? null;
  const health: Health = row.health === "unhealthy" && cooldown !== null && cooldown <= now ? "probing" : row.health;
  return { health, failures: row.consecutiveFailures, cooldownUntil: cooldown };
}

export async function listProvidersForAdmin(now = Date.now()): Promise<AdminProvider[]> {
  const db = await getDb();
  const since = new Date(now - 3_600_000);
  const [providerRows, credentialRows, modelCounts, callRows] = await Promise.all([
    db.select().from(providers).orderBy(asc(providers.name)),
    db.select().from(credentials).orderBy(asc(credentials.createdAt)),
    db.select({ providerId: models.providerId, n: count() }).from(models).groupBy(models.providerId),
    db
      .select({
        providerId: modelCalls.providerId,
        credentialId: modelCalls.credentialId,
        calls: count(),
        errors: sql<number>`sum(case when ${modelCalls.status} = 'failed' then 1 else 0 end)`,
      })
      .from(modelCalls)
      .where(and(gte(modelCalls.createdAt, since), sql`${modelCalls.providerId} is not null`))
      .groupBy(modelCalls.providerId, modelCalls.credentialId),
  ]);
  const modelsBy = new Map(modelCounts.map((m) => [m.providerId, m.n]));
  const byCredential = new Map<string, CallStats>();
  const byProvider = new Map<string, { calls: number; errors: number }>();
  for (const r of callRows) {
    const errors = Number(r.errors ?? 0);
    if (r.credentialId) byCredential.set(r.credentialId, stats(r.calls, errors));
    const p = byProvider.get(r.providerId!) ?? { calls: 0, errors: 0 };
    p.calls += r.calls;
    p.errors += errors;
    byProvider.set(r.providerId!, p);
  }
  return providerRows.map((p) => {
    // An unknown kind (a newer hub's data?) is shown, with no default and no hint.
    const adapter = isProviderKind(p.kind) ? getAdapter(p.kind) : null;
    const own = credentialRows.filter((c) => c.providerId === p.id);
    const total = byProvider.get(p.id) ?? { calls: 0, errors: 0 };
    return {
      id: p.id,
      kind: p.kind,
      name: p.name,
      displayName: providerTitle(p.displayName),
      baseUrl: p.baseUrl,
      defaultBaseUrl: adapter?.defaultBaseUrl ?? null,
      needsKey: adapter?.needsKey ?? true,
      keyHint: adapter?.keyHint ?? null,
      enabled: p.enabled,
      allowAnyModel: p.allowAnyModel,
      modelCount: modelsBy.get(p.id) ?? 0,
      createdAt: p.createdAt.toISOString(),
      lastHour: stats(total.calls, total.errors),
      credentials: own.map((c) => {
        const h = credentialHealth(c, now);
        return {
          id: c.id,
          name: c.name,
          secretPreview: c.secretLast4 ? `…${c.secretLast4}` : null,
          baseUrl: c.baseUrl,
          weight: c.weight,
          enabled: c.enabled,
          health: h.health,
          consecutiveFailures: h.failures,
          cooldownUntil: h.cooldownUntil ? new Date(h.cooldownUntil).toISOString() : null,
          lastError: c.lastError,
          lastErrorAt: iso(c.lastErrorAt),
          lastUsedAt: iso(c.lastUsedAt),
          lastHour: byCredential.get(c.id) ?? stats(0, 0),
        };
      }),
    };
  });
}
