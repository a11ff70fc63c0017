/**
 * Users as the console manages them: search, role changes (the owner's call), disabling (which ends the person's
 * sessions and stops their keys at once), and credit grants when billing is on. Guard rails: nobody changes
 * their own role or disables themselves, the last owner stays an owner, and admins cannot disable owners or
 * other admins.
 */
import { and, count, desc, eq, or, sql, type SQL } from "drizzle-orm";
import { accessKeys, creditAccounts, users, type Role } from "../../drizzle/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { endAllSessions } from "../auth/session.server";
import { grantCredits } from "../billing/credits.server";
import { publish } from "../cache/invalidation.server";
import { getDb } from "../db/client.server";
import { HubError } from "../errors";
import { getSettings } from "../settings/settings.server";

export interface AdminUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: "active" | "disabled";
  createdAt: string;
  lastSignInAt: string | null;
  activeKeys: number;
  /** Micro-credits; null when billing is off. */
  balanceMicro: number | null;
}

export interface UserQuery {
  search?: string;
  role?: Role;
  status?: "active" | "disabled";
  limit?: number;
  offset?: number;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function listUsers(
  query: UserQuery = {},
): Promise<{ users: AdminUser[]; total: number; billingEnabled: boolean }> {
  const db = await getDb();
  const where: SQL[] = [];
  const search = query.search?.trim().toLowerCase();
  if (search) {
    const pattern = `%${escapeLike(search)}%`;
    where.push(
      or(sql`${users.email} like ${pattern} escape '\\'`, sql`lower(${users.name}) like ${pattern} escape '\\'`)!,
    );
  }
  if (query.role) where.push(eq(users.role, query.role));
  if (query.status) where.push(eq(users.status, query.status));
  const condition = where.length ? and(...where) : undefined;
  const keyCount = db
    .select({ userId: accessKeys.userId, n: count().as("n") })
    .from(accessKeys)
    .where(eq(accessKeys.status, "active"))
    .groupBy(accessKeys.userId)
    .as("key_count");
  const [rows, [total], settings] = await Promise.all([
    db
      .select({ user: users, balance: creditAccounts.balanceMicro, keys: keyCount.n })
      .from(users)
      .leftJoin(creditAccounts, eq(creditAccounts.userId, users.id))
      .leftJoin(keyCount, eq(keyCount.userId, users.id))
      .where(condition)
      .orderBy(desc(users.createdAt))
      .limit(query.limit ?? 50)
      .offset(query.offset ?? 0),
    db.select({ n: count() }).from(users).where(condition),
    getSettings(),
  ]);
  return {
    billingEnabled: settings.billingEnabled,
    total: total?.n ?? 0,
    users: rows.map(({ user: u, balance, keys }) => ({
      id: u.id,
      email: u.email,
      name: u.name,
      role: u.role,
      status: u.status,
      createdAt: u.createdAt.toISOString(),
      lastSignInAt: u.lastSignInAt?.toISOString() ?? null,
      activeKeys: Number(keys ?? 0),
      balanceMicro: settings.billingEnabled ? (balance ?? 0) : null,
    })),
  };
}

export async function requireUserById(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  if (!row) throw new HubError("not_found", "No such user", "id");
  return row;
}

export async function setUserRole(id: string, role: Role, actor: Actor) {
  if (id === actor.id)
    throw new HubError("invalid_input", "You cannot change your own role; ask another owner", "role");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(users).where(eq(users.id, id)).limit(1);
    if (!before) throw new HubError("not_found", "No such user", "id");
    if (before.role === "owner" && role !== "owner") {
      const [owners] = await tx
        .select({ n: count() })
        .from(users)
        .where(and(eq(users.role, "owner"), eq(users.status, "active")));
      if ((owners?.n ?? 0) <= 1)
        throw new HubError("conflict", "The hub needs at least one owner; make someone else owner first", "role");
    }
    const [after] = await tx.update(users).set({ role }).where(eq(users.id, id)).returning();
    await recordAudit(tx, actor, {
      action: "user.role",
      targetType: "user",
      targetId: id,
      before: { email: before.email, role: before.role },
      after: { email: after!.email, role },
    });
    return after!;
  });
}

/** Disable or enable an account. Disabling ends every session and makes the person's keys fail at once. */
export async function setUserStatus(id: string, status: "active" | "disabled", actor: Actor & { role: Role }) {
  if (id === actor.id) throw new HubError("invalid_input", "You cannot disable your own account", "status");
  const db = await getDb();
  const after = await db.transaction(async (tx) => {
    const [before] = await tx.select().from(users).where(eq(users.id, id)).limit(1);
    if (!before) throw new HubError("not_found", "No such user", "id");
    if (actor.role !== "owner" && before.role !== "member")
      throw new HubError("forbidden", "Only the owner can disable or enable owners and admins", "status");
    if (before.role === "owner" && status === "disabled") {
      const [owners] = await tx
        .select({ n: count() })
        .from(users)
        .where(and(eq(users.role, "owner"), eq(users.status, "active")));
      if ((owners?.n ?? 0) <= 1) throw new HubError("conflict", "The last active owner cannot be disabled", "status");
    }
    const [row] = await tx.update(users).set({ status }).where(eq(users.id, id)).returning();
    await recordAudit(tx, actor, {
      action: status === "disabled" ? "user.disable" : "user.enable",
      targetType: "user",
      targetId: id,
      before: { email: before.email, status: before.status },
      after: { email: row!.email, status },
    });
    return row!;
  });
  if (status === "disabled") await endAllSessions(id);
  // The gateway caches key → principal; a disabled owner's keys must fail on their next call.
  publish("access-keys", id);
  return after;
}

export async function grantUserCredits(id: string, amountMicro: number, reason: string, actor: Actor): Promise<number> {
  if (!(await getSettings()).billingEnabled)
    throw new HubError("conflict", "Billing is off; turn it on in Settings to grant credits", "amount");
  await requireUserById(id);
  return grantCredits(id, amountMicro, reason.trim() || "granted by an admin", actor);
}
