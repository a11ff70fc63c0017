/**
 * Providers and their credentials, as the admin console and the CLI manage them. Secrets are sealed with the
 * hub's secret box before they touch the database; only their last four characters are ever shown. Every change
 * publishes "catalog", so the gateway's routing catalog reloads at once (credentials: ./credentials.server.ts).
 */
import { count, eq } from "drizzle-orm";
import { z } from "zod";
import { credentials, models, providers } from "../../drizzle/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { publish } from "../cache/invalidation.server";
import { lastFour } from "../crypto/secret-box";
import { getSecretBox } from "../crypto/secret-key.server";
import { newId } from "../crypto/tokens";
import { getDb } from "../db/client.server";
import { HubError } from "../errors";
import { getAdapter, isProviderKind, PROVIDER_KINDS } from "../providers/registry";

export const providerNameSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9._-]{0,39}$/, "must be 1-40 lower-case letters, digits, dots, dashes or underscores");

export interface NewProvider {
  kind: string;
  name: string;
  displayName?: string;
  baseUrl?: string | null;
  apiKey?: string | null;
  weight?: number;
  options?: Record<string, unknown>;
}

export type ProviderRow = typeof providers.$inferSelect;
export type CredentialRow = typeof credentials.$inferSelect;

export function parseBaseUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error();
    return value.replace(/\/+$/, "");
  } catch {
    throw new HubError("invalid_input", `Base URL ${value} is not an http(s) URL`, "base_url");
  }
}

/** Add a provider, with its first credential when a key is given (one transaction, audited). */
export async function addProvider(
  input: NewProvider,
  actor: Actor,
): Promise<{ provider: ProviderRow; credential: CredentialRow | null }> {
  const kind = input.kind;
  if (!isProviderKind(kind)) {
    throw new HubError(
      "invalid_input",
      `Unknown provider kind ${kind}; use one of ${PROVIDER_KINDS.join(", ")}`,
      "kind",
    );
  }
  const adapter = getAdapter(kind);
  const name = providerNameSchema.safeParse(input.name);
  if (!name.success) throw new HubError("invalid_input", `Provider name ${name.error.issues[0]!.message}`, "name");
  const weight = input.weight ?? 1;
  if (!Number.isInteger(weight) || weight < 0 || weight > 1000)
    throw new HubError("invalid_input", "Weight must be a whole number from 0 to 1000", "weight");
  const baseUrl = parseBaseUrl(input.baseUrl);
  const sealed = input.apiKey ? getSecretBox().seal(input.apiKey) : null;
  const db = await getDb();
  const created = await db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: providers.id })
      .from(providers)
      .where(eq(providers.name, name.data))
      .limit(1);
    if (existing) throw new HubError("conflict", `A provider named ${name.data} already exists`, "name");
    const [provider] = await tx
      .insert(providers)
      .values({
        id: newId("prv"),
        kind,
        name: name.data,
        displayName: input.displayName?.trim() || adapter.displayName,
        baseUrl,
        options: input.options ?? null,
      })
      .returning();
    if (!provider) throw new Error("inserting a provider returned no row");
    let credential: CredentialRow | undefined;
    // A provider that needs no key gets its keyless credential now, so it works as soon as it is added.
    if (sealed || !adapter.needsKey) {
      [credential] = await tx
        .insert(credentials)
        .values({
          id: newId("crd"),
          providerId: provider.id,
          name: "default",
          sealedSecret: sealed,
          secretLast4: input.apiKey ? lastFour(input.apiKey) : null,
          weight,
        })
        .returning();
    }
    await recordAudit(tx, actor, {
      action: "provider.create",
      targetType: "provider",
      targetId: provider.id,
      after: { ...provider, credential: credential && publicCredential(credential) },
    });
    return { provider, credential: credential ?? null };
  });
  publish("catalog");
  return created;
}

/** What any view may show of a credential: never the sealed secret. */
export function publicCredential(c: CredentialRow) {
  const { sealedSecret: _sealed, ...rest } = c;
  return { ...rest, secretPreview: c.secretLast4 ? `…${c.secretLast4}` : null };
}

export async function getProviderByName(name: string): Promise<ProviderRow | null> {
  const db = await getDb();
  const [row] = await db.select().from(providers).where(eq(providers.name, name)).limit(1);
  return row ?? null;
}

export async function requireProvider(id: string): Promise<ProviderRow> {
  const db = await getDb();
  const [row] = await db.select().from(providers).where(eq(providers.id, id)).limit(1);
  if (!row) throw new HubError("not_found", "No such provider; it may have been deleted.", "id");
  return row;
}

export interface ProviderPatch {
  displayName?: string;
  baseUrl?: string | null;
  enabled?: boolean;
  allowAnyModel?: boolean;
  options?: Record<string, unknown> | null;
}

/** Edit, enable or disable a provider. Its name stays: it is the prefix of model names that apps already use. */
export async function updateProvider(id: string, patch: ProviderPatch, actor: Actor): Promise<ProviderRow> {
  const before = await requireProvider(id);
  const set: Partial<typeof providers.$inferInsert> = {};
  if (patch.displayName !== undefined) {
    const displayName = patch.displayName.trim();
    if (!displayName || displayName.length > 80)
      throw new HubError("invalid_input", "The display name must be 1 to 80 characters", "display_name");
    set.displayName = displayName;
  }
  if (patch.baseUrl !== undefined) set.baseUrl = parseBaseUrl(patch.baseUrl);
  if (patch.enabled !== undefined) set.enabled = patch.enabled;
  if (patch.allowAnyModel !== undefined) set.allowAnyModel = patch.allowAnyModel;
  if (patch.options !== undefined) set.options = patch.options;
  const db = await getDb();
  const after = await db.transaction(async (tx) => {
    const [row] = await tx.update(providers).set(set).where(eq(providers.id, id)).returning();
    const action =
      patch.enabled === false && before.enabled
        ? "provider.disable"
        : patch.enabled === true && !before.enabled
          ? "provider.enable"
          : "provider.update";
    await recordAudit(tx, actor, { action, targetType: "provider", targetId: id, before, after: row });
    return row!;
  });
  publish("catalog");
  return after;
}

/** Delete a provider with its credentials, models, aliases and rates. Past call records keep its name. */
export async function deleteProvider(id: string, actor: Actor): Promise<void> {
  const before = await requireProvider(id);
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [modelCount] = await tx.select({ n: count() }).from(models).where(eq(models.providerId, id));
    const creds = await tx.select().from(credentials).where(eq(credentials.providerId, id));
    await tx.delete(providers).where(eq(providers.id, id));
    await recordAudit(tx, actor, {
      action: "provider.delete",
      targetType: "provider",
      targetId: id,
      before: { ...before, credentials: creds.map(publicCredential), models: modelCount?.n ?? 0 },
    });
  });
  publish("catalog");
}
