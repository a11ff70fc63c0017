/**
 * Connect sessions: how a local tool gets an access key without copy and paste. Two wire formats share one
 * table and one life cycle (approve.server.ts, collect.server.ts):
 *   - "aigne": AIGNE CLI's access-key session (docs/aigne-protocol.md, "The CLI's connect flow"), polled by its random id;
 *   - "device": RFC 8628 device authorization, polled with a device_code whose SHA-256 alone is stored.
 * pending → approved (a key is created for the approving person, sealed until collected) → consumed (handed
 * out; sealed copy wiped), or → denied, or → expired after SESSION_TTL_MS. An approved key that is never
 * collected is revoked when its session expires, so no key exists that nobody holds.
 */
import { and, eq, inArray, isNotNull, lt, or } from "drizzle-orm";
import { accessKeys, connectSessions } from "../../../drizzle/schema";
import { recordAudit, SYSTEM_ACTOR } from "../../audit/audit.server";
import { publish } from "../../cache/invalidation.server";
import { randomToken, sha256Hex } from "../../crypto/tokens";
import { getDb } from "../../db/client.server";
import { generateUserCode } from "./user-code";

export const SESSION_TTL_MS = 10 * 60_000;
/** RFC 8628 §3.2 `interval`: the slowest a device may poll without being told to slow down. */
export const POLL_INTERVAL_SECONDS = 5;
/** Rows stay this long after they end, for support questions, then the purge job deletes them. */
const KEEP_ENDED_MS = 24 * 60 * 60_000;

export type ConnectSession = typeof connectSessions.$inferSelect;
export type ConnectKind = "aigne" | "device";

export const kindOf = (row: ConnectSession): ConnectKind => (row.deviceCodeHash ? "device" : "aigne");
export const isExpired = (row: ConnectSession, now = Date.now()) => row.expiresAt.getTime() <= now;

/** App names and logos come from the tool: keep them short and printable. */
export function cleanAppName(value: string | null | undefined): string | null {
  const name = (value ?? "")
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u001f\u007f]/g, "")
    .trim()
    .slice(0, 80);
  return name || null;
}

export function cleanAppLogo(value: string | null | undefined): string | null {
  if (!value || value.length > 2000) return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.toString() : null;
  } catch {
    return null;
  }
}

async function insertSession(values: {
  id: string;
  deviceCodeHash?: string;
  appName?: string | null;
  challenge?: string;
}) {
  const db = await getDb();
  // The user code is unique; a clash among 2.6e10 codes is rare but possible, so draw again.
  for (let attempt = 0; ; attempt++) {
    try {
      const [row] = await db
        .insert(connectSessions)
        .values({ ...values, userCode: generateUserCode(), expiresAt: new Date(Date.now() + SESSION_TTL_MS) })
        .returning();
      return row!;
    } catch (error) {
      if (attempt >= 3 || !/UNIQUE constraint failed: connect_sessions\.user_code/.test(String(error))) throw error;
    }
  }
}

/** AIGNE: the session id is what the tool polls with, so it is as unguessable as a key (192 random bits). */
export async function startAigneSession(): Promise<ConnectSession> {
  return insertSession({ id: `cs_${randomToken(24)}`, challenge: randomToken(24) });
}

/** RFC 8628: returns the device_code once; only its hash is kept. */
export async function startDeviceSession(appName: string | null): Promise<{ row: ConnectSession; deviceCode: string }> {
  const deviceCode = randomToken(32);
  const row = await insertSession({
    id: `cs_${randomToken(24)}`,
    deviceCodeHash: sha256Hex(deviceCode),
    appName: cleanAppName(appName),
  });
  return { row, deviceCode };
}

export async function findAigneSession(id: string): Promise<ConnectSession | null> {
  if (!id || id.length > 100) return null;
  const db = await getDb();
  const [row] = await db.select().from(connectSessions).where(eq(connectSessions.id, id)).limit(1);
  return row && kindOf(row) === "aigne" ? row : null;
}

export async function findDeviceSessionByUserCode(userCode: string): Promise<ConnectSession | null> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(connectSessions)
    .where(and(eq(connectSessions.userCode, userCode), isNotNull(connectSessions.deviceCodeHash)))
    .limit(1);
  return row ?? null;
}

export async function findDeviceSessionByDeviceCode(deviceCode: string): Promise<ConnectSession | null> {
  if (!deviceCode || deviceCode.length > 200) return null;
  const db = await getDb();
  const [row] = await db
    .select()
    .from(connectSessions)
    .where(eq(connectSessions.deviceCodeHash, sha256Hex(deviceCode)))
    .limit(1);
  return row ?? null;
}

/** A key created on approval that no tool ever collected: nobody holds it, so it must not stay usable. */
async function revokeUncollectedKey(keyId: string, sessionId: string): Promise<void> {
  const db = await getDb();
  const revoked = await db
    .update(accessKeys)
    .set({ status: "revoked", revokedAt: new Date() })
    .where(and(eq(accessKeys.id, keyId), eq(accessKeys.status, "active")))
    .returning({ id: accessKeys.id });
  if (!revoked.length) return;
  await recordAudit(db, SYSTEM_ACTOR, {
    action: "key.revoke",
    targetType: "access_key",
    targetId: keyId,
    after: { reason: "connect session ended before the key was collected", sessionId },
  });
  publish("access-keys", keyId);
}

/**
 * End a session: pending → expired; approved (key never collected) → expired with its key revoked; consumed and
 * denied keep their status. The sealed key is wiped in every case. `at` lets DELETE end a session early.
 */
export async function endSession(row: ConnectSession, at = new Date()): Promise<ConnectSession["status"]> {
  const status = row.status === "pending" || row.status === "approved" ? "expired" : row.status;
  const db = await getDb();
  const [updated] = await db
    .update(connectSessions)
    .set({ status, sealedKey: null, expiresAt: row.expiresAt < at ? row.expiresAt : at })
    .where(and(eq(connectSessions.id, row.id), eq(connectSessions.status, row.status)))
    .returning({ id: connectSessions.id });
  if (updated && row.status === "approved" && row.accessKeyId) await revokeUncollectedKey(row.accessKeyId, row.id);
  return status;
}

/** Background job: end expired sessions (revoking uncollected keys) and delete long-ended rows. */
export async function purgeConnectSessions(now = Date.now()): Promise<{ ended: number; deleted: number }> {
  const db = await getDb();
  const stale = await db
    .select()
    .from(connectSessions)
    .where(
      and(
        lt(connectSessions.expiresAt, new Date(now)),
        or(inArray(connectSessions.status, ["pending", "approved"]), isNotNull(connectSessions.sealedKey)),
      ),
    )
    .limit(500);
  for (const row of stale) await endSession(row, new Date(now));
  const deleted = await db
    .delete(connectSessions)
    .where(lt(connectSessions.expiresAt, new Date(now - KEEP_ENDED_MS)))
    .returning({ id: connectSessions.id });
  return { ended: stale.length, deleted: deleted.length };
}
