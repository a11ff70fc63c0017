/**
 * Job leases: a background job runs on one instance at a time when the hub is scaled out. The holder takes or
 * renews the row only if it is free or expired, in one statement, so two instances cannot both win.
 */
import { sql } from "drizzle-orm";
import { jobLeases } from "../../drizzle/schema";
import { getDb } from "../db/client.server";

export async function tryTakeLease(name: string, holder: string, ttlMs: number, now = Date.now()): Promise<boolean> {
  const db = await getDb();
  const rows = await db
    .insert(jobLeases)
    .values({ name, holder, expiresAt: new Date(now + ttlMs) })
    .onConflictDoUpdate({
      target: jobLeases.name,
      set: { holder, expiresAt: new Date(now + ttlMs) },
      setWhere: sql`${jobLeases.holder} = ${holder} or ${jobLeases.expiresAt} <= ${now}`,
    })
    .returning({ holder: jobLeases.holder });
  return rows.length === 1 && rows[0]?.holder === holder;
}
