/**
 * The routing catalog: enabled providers with their decrypted credentials, enabled models and aliases, held in
 * memory because every API call needs it. Rebuilt on the "catalog" invalidation topic and at most every
 * REFRESH_MS otherwise, so edits made through another instance are picked up too.
 */
import { asc, eq } from "drizzle-orm";
import { credentials, modelAliases, modelRates, models, providers } from "../../drizzle/schema";
import { subscribe } from "../cache/invalidation.server";
import { setKnownSecrets } from "../crypto/known-secrets";
import { getSecretBox } from "../crypto/secret-key.server";
import { getDb } from "../db/client.server";
import { log } from "../log.server";
import { getAdapter } from "../providers/registry";
import type { ProviderAdapter, ProviderKind } from "../providers/types";
import type { ModelType } from "../../drizzle/schema";

const REFRESH_MS = 10_000;

export interface CredentialEntry {
  id: string;
  name: string;
  weight: number;
  baseUrl: string;
  secret: string;
}

export interface ProviderEntry {
  id: string;
  name: string;
  kind: ProviderKind;
  displayName: string;
  allowAnyModel: boolean;
  options: Record<string, unknown>;
  adapter: ProviderAdapter;
  credentials: CredentialEntry[];
}

export interface ModelEntry {
  id: string;
  provider: ProviderEntry;
  model: string;
  type: ModelType;
  maxOutputTokens: number | null;
  fallbackModels: string[];
  metadata: Record<string, unknown> | null;
  /** The rate in force when the catalog was loaded (the billing path looks up the rate at the call's time). */
  rate: typeof modelRates.$inferSelect | null;
  /** Every dated rate of the model, oldest first, future ones included (billing prices with `rateAt`). */
  rates?: Array<typeof modelRates.$inferSelect>;
}

export interface RoutingCatalog {
  providers: Map<string, ProviderEntry>;
  /** "provider/model" → entry. */
  models: Map<string, ModelEntry>;
  /** Bare model id → entries of every provider listing it. */
  modelsById: Map<string, ModelEntry[]>;
  aliases: Map<string, ModelEntry>;
  loadedAt: number;
}

async function loadRoutingCatalog(): Promise<RoutingCatalog> {
  const db = await getDb();
  const box = getSecretBox();
  const [providerRows, credentialRows, modelRows, aliasRows, rateRows] = await Promise.all([
    db.select().from(providers).where(eq(providers.enabled, true)),
    db.select().from(credentials).where(eq(credentials.enabled, true)),
    db.select().from(models).where(eq(models.enabled, true)),
    db.select().from(modelAliases),
    db.select().from(modelRates).orderBy(asc(modelRates.effectiveFrom)),
  ]);
  // Ordered by date, so the last rate seen for a model that is already in force is the current one.
  const now = Date.now();
  const currentRate = new Map(rateRows.filter((r) => r.effectiveFrom.getTime() <= now).map((r) => [r.modelId, r]));
  const allRates = new Map<string, Array<typeof modelRates.$inferSelect>>();
  for (const r of rateRows) allRates.set(r.modelId, [...(allRates.get(r.modelId) ?? []), r]);
  const byId = new Map<string, ProviderEntry>();
  const catalog: RoutingCatalog = {
    providers: new Map(),
    models: new Map(),
    modelsById: new Map(),
    aliases: new Map(),
    loadedAt: Date.now(),
  };
  for (const p of providerRows) {
    let adapter: ProviderAdapter;
    try {
      adapter = getAdapter(p.kind as ProviderKind);
    } catch {
      log.warn("provider has an unknown kind and is skipped", { provider: p.name, kind: p.kind });
      continue;
    }
    const entry: ProviderEntry = {
      id: p.id,
      name: p.name,
      kind: p.kind as ProviderKind,
      displayName: p.displayName,
      allowAnyModel: p.allowAnyModel,
      options: p.options ?? {},
      adapter,
      credentials: [],
    };
    byId.set(p.id, entry);
    catalog.providers.set(p.name, entry);
  }
  for (const c of credentialRows) {
    const provider = byId.get(c.providerId);
    if (!provider) continue;
    let secret: string;
    try {
      secret = c.sealedSecret ? box.open(c.sealedSecret) : "";
    } catch (error) {
      log.error("credential secret could not be opened; credential skipped", { credential: c.id, error });
      continue;
    }
    const base =
      c.baseUrl ?? providerRows.find((p) => p.id === c.providerId)?.baseUrl ?? provider.adapter.defaultBaseUrl;
    provider.credentials.push({ id: c.id, name: c.name, weight: c.weight, baseUrl: base.replace(/\/+$/, ""), secret });
  }
  // Every text that leaves through redactText (logs, error bodies, records) masks these by value.
  setKnownSecrets([...byId.values()].flatMap((p) => p.credentials.map((c) => c.secret)));
  for (const m of modelRows) {
    const provider = byId.get(m.providerId);
    if (!provider) continue;
    const entry: ModelEntry = {
      id: m.id,
      provider,
      model: m.model,
      type: m.type,
      maxOutputTokens: m.maxOutputTokens,
      fallbackModels: m.fallbackModels ?? [],
      metadata: m.metadata,
      rate: currentRate.get(m.id) ?? null,
      rates: allRates.get(m.id) ?? [],
    };
    catalog.models.set(`${provider.name}/${m.model}`, entry);
    const list = catalog.modelsById.get(m.model) ?? [];
    list.push(entry);
    catalog.modelsById.set(m.model, list);
  }
  for (const a of aliasRows) {
    const entry = [...catalog.models.values()].find((m) => m.id === a.modelId);
    if (entry) catalog.aliases.set(a.alias, entry);
  }
  return catalog;
}

let current: Promise<RoutingCatalog> | undefined;
let subscribed = false;

export function getRoutingCatalog(): Promise<RoutingCatalog> {
  if (!subscribed) {
    subscribed = true;
    subscribe("catalog", () => {
      current = undefined;
    });
  }
  if (current) {
    // Serve the cached catalog and refresh in the background once it is old.
    return current.then((c) => {
      if (Date.now() - c.loadedAt > REFRESH_MS) refresh();
      return c;
    });
  }
  current = loadRoutingCatalog();
  current.catch(() => {
    current = undefined;
  });
  return current;
}

let refreshing = false;
function refresh(): void {
  if (refreshing) return;
  refreshing = true;
  loadRoutingCatalog()
    .then((c) => {
      current = Promise.resolve(c);
    })
    .catch((error: unknown) => log.error("catalog refresh failed", { error }))
    .finally(() => {
      refreshing = false;
    });
}
