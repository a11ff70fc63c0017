/**
 * The tool's side: polling a connect session until the person answers, then collecting the key.
 *
 * RFC 8628 hands the key out exactly once: one conditional UPDATE moves approved → consumed and wipes the sealed
 * copy, so of two racing polls only one gets it.
 *
 * AIGNE's CLI (@aigne/cli 1.59, utils/aigne-hub/credential.js `fetchConfigs`) reads the session once more after
 * the poll that first shows the key, then sends DELETE, and its fetch throws on any non-2xx answer. So the first
 * read consumes the session and shortens its life to AIGNE_CONFIRM_GRACE_MS; until then, or until DELETE, the same
 * key is answered again (each time freshly encrypted), and never after.
 */
import { and, eq } from "drizzle-orm";
import { connectSessions } from "../../../drizzle/schema";
import { getSecretBox } from "../../crypto/secret-key.server";
import { getDb } from "../../db/client.server";
import { encryptAccessKeySecret } from "./crypto-js-aes";
import {
  endSession,
  findAigneSession,
  findDeviceSessionByDeviceCode,
  isExpired,
  POLL_INTERVAL_SECONDS,
} from "./sessions.server";

const AIGNE_CONFIRM_GRACE_MS = 30_000;

export type Ended = "not_found" | "denied" | "expired" | "consumed";

export type AigneRead =
  | { state: "pending"; id: string }
  | { state: "approved"; accessKeyId: string; accessKeySecret: string; challenge: string }
  | { state: Ended };

export async function readAigneSession(id: string, now = Date.now()): Promise<AigneRead> {
  const row = await findAigneSession(id);
  if (!row) return { state: "not_found" };
  if (isExpired(row, now)) {
    if (row.status === "pending" || row.status === "approved" || row.sealedKey) await endSession(row);
    return { state: row.status === "consumed" || row.status === "denied" ? row.status : "expired" };
  }
  if (row.status === "pending") return { state: "pending", id: row.id };
  if (row.status === "denied" || row.status === "expired") return { state: row.status };
  if (!row.sealedKey || !row.accessKeyId || !row.challenge) return { state: "consumed" };
  if (row.status === "approved") {
    const db = await getDb();
    await db
      .update(connectSessions)
      .set({ status: "consumed", expiresAt: new Date(now + AIGNE_CONFIRM_GRACE_MS), lastPolledAt: new Date(now) })
      .where(and(eq(connectSessions.id, row.id), eq(connectSessions.status, "approved")));
  }
  const key = getSecretBox().open(row.sealedKey);
  return {
    state: "approved",
    accessKeyId: row.accessKeyId,
    accessKeySecret: encryptAccessKeySecret(key, row.challenge, row.accessKeyId),
    challenge: row.challenge,
  };
}

/** DELETE from the tool: it has the key (or gave up); nothing more is handed out for this session. */
export async function endAigneSession(id: string): Promise<{ id: string; status: string } | null> {
  const row = await findAigneSession(id);
  if (!row) return null;
  return { id: row.id, status: await endSession(row) };
}

export type DeviceTokenError =
  "authorization_pending" | "slow_down" | "access_denied" | "expired_token" | "invalid_grant";
export type DeviceTokenResult =
  { ok: true; accessToken: string; keyId: string } | { ok: false; error: DeviceTokenError; description: string };

const fail = (error: DeviceTokenError, description: string): DeviceTokenResult => ({ ok: false, error, description });

/** RFC 8628 §3.4/§3.5: one poll of the token endpoint. */
export async function exchangeDeviceCode(deviceCode: string, now = Date.now()): Promise<DeviceTokenResult> {
  const row = await findDeviceSessionByDeviceCode(deviceCode);
  if (!row) return fail("invalid_grant", "Unknown device_code.");
  if (row.status === "consumed") return fail("invalid_grant", "This device_code was already used.");
  if (row.status === "denied") return fail("access_denied", "The request was denied.");
  if (row.status === "expired" || isExpired(row, now)) {
    if (row.status !== "expired") await endSession(row);
    return fail("expired_token", "The device_code has expired. Start again.");
  }
  const db = await getDb();
  if (row.status === "pending") {
    // Polling faster than `interval` earns slow_down (§3.5); every poll counts as the last one seen.
    const tooFast = row.lastPolledAt !== null && now - row.lastPolledAt.getTime() < POLL_INTERVAL_SECONDS * 1000;
    await db
      .update(connectSessions)
      .set({ lastPolledAt: new Date(now) })
      .where(eq(connectSessions.id, row.id));
    return tooFast
      ? fail(
          "slow_down",
          `Polling too fast: wait at least ${POLL_INTERVAL_SECONDS} seconds between polls, plus 5 more after each slow_down (RFC 8628 §3.5).`,
        )
      : fail("authorization_pending", "Waiting for the person to approve the request.");
  }
  const [claimed] = await db
    .update(connectSessions)
    .set({ status: "consumed", sealedKey: null, lastPolledAt: new Date(now) })
    .where(and(eq(connectSessions.id, row.id), eq(connectSessions.status, "approved")))
    .returning({ sealedKey: connectSessions.sealedKey });
  // The RETURNING row carries the new (null) value, so the key is opened from the row read before the claim.
  if (!claimed || !row.sealedKey || !row.accessKeyId)
    return fail("invalid_grant", "This device_code was already used.");
  return { ok: true, accessToken: getSecretBox().open(row.sealedKey), keyId: row.accessKeyId };
}
