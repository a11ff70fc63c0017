/**
 * The admin home's provider panel: every provider with each credential's health (the circuit breaker's state,
 * its consecutive failures and last error, read as the Providers page reads them) and the provider's error rate
 * over the last 24 hours from the hour rollups, so it costs the same at a million calls as at ten.
 */
import { asc } from "drizzle-orm";
import { credentials, providers } from "../../drizzle/schema";
import { credentialHealth } from "../catalog/provider-list.server";
import { providerTitle } from "../catalog/provider-title";
import type { AdminCredential } from "../catalog/provider-list.server";
import { getDb } from "../db/client.server";
import { usageBreakdown } from "../usage/dashboard.server";

/** A credential's health as the providers page shows it (server/catalog/provider-list.server.ts), less its key and stats. */
export type CredentialHealthView = Pick<
  AdminCredential,
  "id" | "name" | "enabled" | "health" | "consecutiveFailures" | "cooldownUntil" | "lastError" | "lastErrorAt"
>;

export interface ProviderHealthView {
  id: string;
  name: string;
  title: string;
  enabled: boolean;
  credentials: CredentialHealthView[];
  /** The last 24 hours (whole hours, the current one included). */
  recent: { requests: number; failed: number; errorRate: number | null };
}

const HOUR = 3_600_000;

/** The 24 whole hours up to the end of the current one: what the hour rollups can answer exactly. */
export function recentWindow(now: number): { from: Date; to: Date } {
  const to = Math.floor(now / HOUR) * HOUR + HOUR;
  return { from: new Date(to - 24 * HOUR), to: new Date(to) };
}

export async function providerHealth(now: number): Promise<ProviderHealthView[]> {
  const db = await getDb();
  const [providerRows, credentialRows, byProvider] = await Promise.all([
    db.select().from(providers).orderBy(asc(providers.name)),
    db.select().from(credentials).orderBy(asc(credentials.createdAt)),
    usageBreakdown(recentWindow(now), "provider", 200),
  ]);
  const traffic = new Map(byProvider.map((r) => [r.key, r]));
  return providerRows.map((p) => {
    const t = traffic.get(p.name);
    const requests = t?.requests ?? 0;
    const failed = t?.failed ?? 0;
    return {
      id: p.id,
      name: p.name,
      title: providerTitle(p.displayName),
      enabled: p.enabled,
      recent: { requests, failed, errorRate: requests ? failed / requests : null },
      credentials: credentialRows
        .filter((c) => c.providerId === p.id)
        .map((c) => {
          const h = credentialHealth(c, now);
          return {
            id: c.id,
            name: c.name,
            enabled: c.enabled,
            health: h.health,
            consecutiveFailures: h.failures,
            cooldownUntil: h.cooldownUntil ? new Date(h.cooldownUntil).toISOString() : null,
            lastError: c.lastError,
            lastErrorAt: c.lastErrorAt ? c.lastErrorAt.toISOString() : null,
          };
        }),
    };
  });
}
