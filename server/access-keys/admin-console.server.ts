/**
 * Every access key in the hub for the console: filter by person or app, and revoke. Shows the visible prefix,
 * never the hash. Revoking goes through `revokeAccessKey` (./manage.server.ts: audited, publishes
 * "access-keys" so the gateway refuses the key on its next request).
 */
import { and, asc, desc, eq, isNotNull, or, sql, type SQL } from "drizzle-orm";
import { accessKeys, users, type KeyLimits } from "../../drizzle/schema";
import type { Actor } from "../audit/audit.server";
import { revokeAccessKey } from "./manage.server";
import { keyStatus, type KeyStatus } from "./owner-list.server";
import { getDb } from "../db/client.server";
import { HubError } from "../errors";

export interface AdminKey {
  id: string;
  name: string;
  prefix: string;
  appName: string | null;
  status: KeyStatus;
  user: { id: string; email: string; name: string };
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  allowedModels: string[] | null;
  limits: KeyLimits | null;
}

export interface KeyQuery {
  userId?: string;
  /** Part of the owner's email or name. */
  user?: string;
  appName?: string;
  status?: KeyStatus;
  limit?: number;
  offset?: number;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function listKeysForAdmin(query: KeyQuery = {}, now = Date.now()): Promise<AdminKey[]> {
  const db = await getDb();
  const where: SQL[] = [];
  if (query.userId) where.push(eq(accessKeys.userId, query.userId));
  const user = query.user?.trim().toLowerCase();
  if (user) {
    const pattern = `%${user.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(
      or(sql`${users.email} like ${pattern} escape '\\'`, sql`lower(${users.name}) like ${pattern} escape '\\'`)!,
    );
  }
  if (query.appName) where.push(eq(accessKeys.appName, query.appName));
  if (query.status === "revoked") where.push(eq(accessKeys.status, "revoked"));
  if (query.status === "active")
    where.push(
      and(eq(accessKeys.status, "active"), sql`(${accessKeys.expiresAt} is null or ${accessKeys.expiresAt} > ${now})`)!,
    );
  if (query.status === "expired")
    where.push(and(eq(accessKeys.status, "active"), sql`${accessKeys.expiresAt} <= ${now}`)!);
  const rows = await db
    .select({ key: accessKeys, user: { id: users.id, email: users.email, name: users.name } })
    .from(accessKeys)
    .innerJoin(users, eq(users.id, accessKeys.userId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(accessKeys.createdAt))
    .limit(query.limit ?? 200)
    .offset(query.offset ?? 0);
  return rows.map(({ key: k, user: u }) => ({
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    appName: k.appName,
    status: keyStatus(k, now),
    user: u,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: iso(k.lastUsedAt),
    expiresAt: iso(k.expiresAt),
    revokedAt: iso(k.revokedAt),
    allowedModels: k.allowedModels,
    limits: k.limits,
  }));
}

export async function listAppNames(): Promise<string[]> {
  const db = await getDb();
  const rows = await db
    .selectDistinct({ app: accessKeys.appName })
    .from(accessKeys)
    .where(isNotNull(accessKeys.appName))
    .orderBy(asc(accessKeys.appName));
  return rows.map((r) => r.app!).filter(Boolean);
}

export async function revokeKeyAsAdmin(keyId: string, actor: Actor): Promise<void> {
  const db = await getDb();
  const [row] = await db
    .select({ userId: accessKeys.userId, status: accessKeys.status })
    .from(accessKeys)
    .where(eq(accessKeys.id, keyId))
    .limit(1);
  if (!row) throw new HubError("not_found", "No such access key", "id");
  if (row.status === "revoked") throw new HubError("conflict", "This key is already revoked", "id");
  await revokeAccessKey(keyId, row.userId, actor);
}
