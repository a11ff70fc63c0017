/**
 * The person's answer to a connect request, in the browser. Approving creates an access key for that person,
 * bound to the app that asked (its name becomes the key's app name), and keeps it sealed with the hub's secret
 * box until the tool collects it. The pending → approved/denied step is one conditional UPDATE, so two tabs (or
 * two people) answering at once cannot both win.
 */
import { and, eq, gt } from "drizzle-orm";
import { connectSessions } from "../../../drizzle/schema";
import { recordAudit, type Actor } from "../../audit/audit.server";
import { getSecretBox } from "../../crypto/secret-key.server";
import { getDb } from "../../db/client.server";
import { HubError } from "../../errors";
import { createAccessKey, type AccessKeyRow } from "../../access-keys/manage.server";
import { cleanAppLogo, cleanAppName, kindOf, type ConnectSession } from "./sessions.server";

export interface Approver {
  id: string;
  email: string;
}

const ANSWERED = "This connect request was already answered, or it has expired. Start again from the app.";

/** `app` overrides what the session knows (AIGNE sends its name and logo to the approval page, not the API). */
export async function approveConnectSession(
  session: ConnectSession,
  user: Approver,
  actor: Actor,
  app: { name?: string | null; logo?: string | null } = {},
): Promise<AccessKeyRow> {
  const appName = cleanAppName(app.name) ?? session.appName ?? "Connected app";
  const appLogo = cleanAppLogo(app.logo) ?? session.appLogo;
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(connectSessions)
      .set({ status: "approved", userId: user.id, appName, appLogo })
      .where(
        and(
          eq(connectSessions.id, session.id),
          eq(connectSessions.status, "pending"),
          gt(connectSessions.expiresAt, new Date()),
        ),
      )
      .returning({ id: connectSessions.id });
    if (!claimed) throw new HubError("conflict", ANSWERED);
    const { key, record } = await createAccessKey(
      { userId: user.id, name: `${appName} (connected)`, appName },
      actor,
      tx,
    );
    await tx
      .update(connectSessions)
      .set({ accessKeyId: record.id, sealedKey: getSecretBox().seal(key) })
      .where(eq(connectSessions.id, session.id));
    await recordAudit(tx, actor, {
      action: "connect.approve",
      targetType: "connect_session",
      targetId: session.id,
      after: { kind: kindOf(session), appName, keyId: record.id, keyPrefix: record.prefix },
    });
    return record;
  });
}

export async function denyConnectSession(session: ConnectSession, user: Approver, actor: Actor): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(connectSessions)
      .set({ status: "denied", userId: user.id })
      .where(
        and(
          eq(connectSessions.id, session.id),
          eq(connectSessions.status, "pending"),
          gt(connectSessions.expiresAt, new Date()),
        ),
      )
      .returning({ id: connectSessions.id });
    if (!claimed) throw new HubError("conflict", ANSWERED);
    await recordAudit(tx, actor, {
      action: "connect.deny",
      targetType: "connect_session",
      targetId: session.id,
      after: { kind: kindOf(session), appName: session.appName },
    });
  });
}
