/**
 * A provider's credentials: several keys per provider, each with a weight the gateway spreads calls by, an
 * optional base URL of its own, and an enabled flag. Secrets are sealed before storage and never returned; a
 * new secret replaces the old one whole (there is no way to read it back). Every change publishes "catalog".
 */
import { and, eq, ne } from "drizzle-orm";
import { credentials } from "../../drizzle/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { publish } from "../cache/invalidation.server";
import { lastFour } from "../crypto/secret-box";
import { getSecretBox } from "../crypto/secret-key.server";
import { newId } from "../crypto/tokens";
import { getDb, type Executor } from "../db/client.server";
import { HubError } from "../errors";
import { getAdapter, isProviderKind } from "../providers/registry";
import { parseBaseUrl, publicCredential, requireProvider, type CredentialRow } from "./providers.server";

export interface NewCredential {
  providerId: string;
  name: string;
  apiKey?: string | null;
  baseUrl?: string | null;
  weight?: number;
}

export interface CredentialPatch {
  name?: string;
  /** A new secret; omitted or empty keeps the stored one. */
  apiKey?: string | null;
  baseUrl?: string | null;
  weight?: number;
  enabled?: boolean;
}

function checkName(value: string): string {
  const name = value.trim();
  if (!/^[\w .:@+-]{1,60}$/.test(name))
    throw new HubError("invalid_input", "The name must be 1 to 60 letters, digits, spaces or . _ : @ + -", "name");
  return name;
}

function checkWeight(weight: number): number {
  if (!Number.isInteger(weight) || weight < 0 || weight > 1000)
    throw new HubError("invalid_input", "Weight must be a whole number from 0 to 1000", "weight");
  return weight;
}

async function assertNameFree(d: Executor, providerId: string, name: string, exceptId?: string): Promise<void> {
  const where = exceptId
    ? and(eq(credentials.providerId, providerId), eq(credentials.name, name), ne(credentials.id, exceptId))
    : and(eq(credentials.providerId, providerId), eq(credentials.name, name));
  const [taken] = await d.select({ id: credentials.id }).from(credentials).where(where).limit(1);
  if (taken) throw new HubError("conflict", `This provider already has a credential named ${name}`, "name");
}

export async function requireCredential(id: string): Promise<CredentialRow> {
  const db = await getDb();
  const [row] = await db.select().from(credentials).where(eq(credentials.id, id)).limit(1);
  if (!row) throw new HubError("not_found", "No such credential; it may have been deleted.", "id");
  return row;
}

export async function addCredential(input: NewCredential, actor: Actor): Promise<CredentialRow> {
  const provider = await requireProvider(input.providerId);
  const name = checkName(input.name);
  const weight = checkWeight(input.weight ?? 1);
  const baseUrl = parseBaseUrl(input.baseUrl);
  const secret = input.apiKey?.trim() || null;
  // An unknown kind (a newer hub's data?) is treated as needing a key.
  if (!secret && (!isProviderKind(provider.kind) || getAdapter(provider.kind).needsKey)) {
    throw new HubError("invalid_input", "Enter the provider's API key", "api_key");
  }
  const db = await getDb();
  const row = await db.transaction(async (tx) => {
    await assertNameFree(tx, provider.id, name);
    const [created] = await tx
      .insert(credentials)
      .values({
        id: newId("crd"),
        providerId: provider.id,
        name,
        sealedSecret: secret ? getSecretBox().seal(secret) : null,
        secretLast4: secret ? lastFour(secret) : null,
        baseUrl,
        weight,
      })
      .returning();
    await recordAudit(tx, actor, {
      action: "credential.create",
      targetType: "credential",
      targetId: created!.id,
      after: publicCredential(created!),
    });
    return created!;
  });
  publish("catalog");
  return row;
}

export async function updateCredential(id: string, patch: CredentialPatch, actor: Actor): Promise<CredentialRow> {
  const before = await requireCredential(id);
  const set: Partial<typeof credentials.$inferInsert> = {};
  if (patch.name !== undefined) set.name = checkName(patch.name);
  if (patch.weight !== undefined) set.weight = checkWeight(patch.weight);
  if (patch.baseUrl !== undefined) set.baseUrl = parseBaseUrl(patch.baseUrl);
  if (patch.enabled !== undefined) set.enabled = patch.enabled;
  const secret = patch.apiKey?.trim();
  if (secret) {
    set.sealedSecret = getSecretBox().seal(secret);
    set.secretLast4 = lastFour(secret);
    // A new key deserves a fresh start: the old one's failures say nothing about it.
    Object.assign(set, {
      health: "healthy",
      consecutiveFailures: 0,
      cooldownUntil: null,
      lastError: null,
      lastErrorAt: null,
    });
  }
  const db = await getDb();
  const row = await db.transaction(async (tx) => {
    if (set.name) await assertNameFree(tx, before.providerId, set.name, id);
    const [updated] = await tx.update(credentials).set(set).where(eq(credentials.id, id)).returning();
    const action = secret
      ? "credential.rotate_secret"
      : patch.enabled === false && before.enabled
        ? "credential.disable"
        : "credential.update";
    await recordAudit(tx, actor, {
      action,
      targetType: "credential",
      targetId: id,
      before: publicCredential(before),
      after: publicCredential(updated!),
    });
    return updated!;
  });
  publish("catalog");
  return row;
}

export async function deleteCredential(id: string, actor: Actor): Promise<void> {
  const before = await requireCredential(id);
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx.delete(credentials).where(eq(credentials.id, id));
    await recordAudit(tx, actor, {
      action: "credential.delete",
      targetType: "credential",
      targetId: id,
      before: publicCredential(before),
    });
  });
  publish("catalog");
}
