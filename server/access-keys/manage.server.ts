/**
 * Access keys: `hub-sk-` + 32 random bytes (base64url), so secret scanners can match them. Stored only as a
 * SHA-256 hash plus a visible prefix; the full key is returned once, at creation (or rotation), to its creator.
 * Every change is audited and publishes "access-keys", so the gateway's key cache (authenticate.server.ts) drops
 * its entries at once and a revoked key is refused on its next request.
 */
import { and, eq } from "drizzle-orm";
import { accessKeys } from "../../drizzle/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { publish } from "../cache/invalidation.server";
import { newId, randomToken, sha256Hex } from "../crypto/tokens";
import { getDb, type Executor } from "../db/client.server";
import { HubError } from "../errors";
import { accessKeyInputSchema, type AccessKeyInput } from "./input";

const ACCESS_KEY_PREFIX = "hub-sk-";
const VISIBLE_CHARS = 6;

export function generateAccessKey(): { key: string; prefix: string; hash: string } {
  const key = ACCESS_KEY_PREFIX + randomToken(32);
  return { key, prefix: key.slice(0, ACCESS_KEY_PREFIX.length + VISIBLE_CHARS), hash: sha256Hex(key) };
}

export interface NewAccessKey extends AccessKeyInput {
  userId: string;
}

export type AccessKeyRow = typeof accessKeys.$inferSelect;

/** The audit view of a key: what it is, never its hash. */
const auditView = (row: AccessKeyRow) => ({
  name: row.name,
  prefix: row.prefix,
  userId: row.userId,
  appName: row.appName,
  expiresAt: row.expiresAt,
  allowedModels: row.allowedModels,
  limits: row.limits,
});

function validate(input: AccessKeyInput) {
  const result = accessKeyInputSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new HubError("invalid_input", issue.message, issue.path.join(".") || null);
}

async function insertKey(
  d: Executor,
  userId: string,
  input: ReturnType<typeof validate>,
  rotatedFromId: string | null,
) {
  const { key, prefix, hash } = generateAccessKey();
  const [record] = await d
    .insert(accessKeys)
    .values({
      id: newId("key"),
      userId,
      name: input.name,
      appName: input.appName,
      prefix,
      keyHash: hash,
      expiresAt: input.expiresAt,
      allowedModels: input.allowedModels,
      limits: input.limits,
      rotatedFromId,
    })
    .returning();
  return { key, record: record! };
}

/** Create a key; pass `db` to create it inside the caller's transaction (the connect flow does). */
export async function createAccessKey(
  input: NewAccessKey,
  actor: Actor,
  db?: Executor,
): Promise<{ key: string; record: AccessKeyRow }> {
  const valid = validate(input);
  const d = db ?? (await getDb());
  const created = await insertKey(d, input.userId, valid, null);
  await recordAudit(d, actor, {
    action: "key.create",
    targetType: "access_key",
    targetId: created.record.id,
    after: auditView(created.record),
  });
  return created;
}

/** The key when `userId` owns it (people manage only their own keys here; admins have their own pages). */
async function requireOwnKey(d: Executor, keyId: string, userId: string): Promise<AccessKeyRow> {
  const [row] = await d
    .select()
    .from(accessKeys)
    .where(and(eq(accessKeys.id, keyId), eq(accessKeys.userId, userId)))
    .limit(1);
  if (!row) throw new HubError("not_found", "No such access key.", "key_id");
  if (row.status === "revoked") throw new HubError("conflict", "This key is already revoked.", "key_id");
  return row;
}

export async function revokeAccessKey(keyId: string, userId: string, actor: Actor): Promise<AccessKeyRow> {
  const db = await getDb();
  const revoked = await db.transaction(async (tx) => {
    const before = await requireOwnKey(tx, keyId, userId);
    const [row] = await tx
      .update(accessKeys)
      .set({ status: "revoked", revokedAt: new Date() })
      .where(and(eq(accessKeys.id, keyId), eq(accessKeys.status, "active")))
      .returning();
    if (!row) throw new HubError("conflict", "This key is already revoked.", "key_id");
    await recordAudit(tx, actor, {
      action: "key.revoke",
      targetType: "access_key",
      targetId: keyId,
      before: { ...auditView(before), status: before.status },
    });
    return row;
  });
  // After the commit: a cache refilled before it would still see the key as active.
  publish("access-keys", keyId);
  return revoked;
}

/**
 * A new key with the same settings, the old one revoked, in one transaction. An expired key cannot be rotated:
 * its settings would carry an expiry in the past; create a new key instead.
 */
export async function rotateAccessKey(
  keyId: string,
  userId: string,
  actor: Actor,
): Promise<{ key: string; record: AccessKeyRow }> {
  const db = await getDb();
  const rotated = await db.transaction(async (tx) => {
    const old = await requireOwnKey(tx, keyId, userId);
    if (old.expiresAt && old.expiresAt.getTime() <= Date.now()) {
      throw new HubError("conflict", "This key has expired; create a new key instead.", "key_id");
    }
    const [revoked] = await tx
      .update(accessKeys)
      .set({ status: "revoked", revokedAt: new Date() })
      .where(and(eq(accessKeys.id, keyId), eq(accessKeys.status, "active")))
      .returning({ id: accessKeys.id });
    if (!revoked) throw new HubError("conflict", "This key is already revoked.", "key_id");
    const created = await insertKey(
      tx,
      userId,
      {
        name: old.name,
        appName: old.appName,
        expiresAt: old.expiresAt,
        allowedModels: old.allowedModels,
        limits: old.limits,
      },
      old.id,
    );
    await recordAudit(tx, actor, {
      action: "key.rotate",
      targetType: "access_key",
      targetId: created.record.id,
      before: { id: old.id, prefix: old.prefix },
      after: { id: created.record.id, ...auditView(created.record) },
    });
    return created;
  });
  publish("access-keys", keyId);
  return rotated;
}
