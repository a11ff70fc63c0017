/**
 * Reading the audit log: newest first, filtered by actor (email or id, partial), action (exact, or a prefix
 * ending in "." such as "provider."), and time; paged by a cursor so the list stays stable while new entries
 * arrive. Entries were redacted when written (server/audit/audit.server.ts); nothing is unmasked here.
 */
import { and, asc, desc, eq, gte, like, lt, lte, or, sql, type SQL } from "drizzle-orm";
import { auditLog } from "../../drizzle/schema";
import { getDb } from "../db/client.server";
import { HubError } from "../errors";

export interface AuditQuery {
  actor?: string;
  action?: string;
  from?: Date;
  to?: Date;
  /** The last entry of the previous page: "<createdAt ms>:<id>". */
  cursor?: string;
  limit?: number;
}

export interface AuditSummary {
  id: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  createdAt: string;
}

export interface AuditDetail extends AuditSummary {
  userAgent: string | null;
  before: unknown;
  after: unknown;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function summary(row: typeof auditLog.$inferSelect): AuditSummary {
  return {
    id: row.id,
    actorId: row.actorId,
    actorLabel: row.actorLabel,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    ip: row.ip,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listAuditEntries(
  query: AuditQuery = {},
): Promise<{ entries: AuditSummary[]; nextCursor: string | null }> {
  const limit = query.limit ?? 50;
  const where: SQL[] = [];
  const actor = query.actor?.trim().toLowerCase();
  if (actor)
    where.push(
      or(eq(auditLog.actorId, actor), sql`lower(${auditLog.actorLabel}) like ${`%${escapeLike(actor)}%`} escape '\\'`)!,
    );
  const action = query.action?.trim();
  if (action)
    where.push(action.endsWith(".") ? like(auditLog.action, `${escapeLike(action)}%`) : eq(auditLog.action, action));
  if (query.from) where.push(gte(auditLog.createdAt, query.from));
  if (query.to) where.push(lte(auditLog.createdAt, query.to));
  if (query.cursor) {
    const m = /^(\d+):(.+)$/.exec(query.cursor);
    if (!m) throw new HubError("invalid_input", "Bad page cursor", "cursor");
    const at = new Date(Number(m[1]));
    where.push(or(lt(auditLog.createdAt, at), and(eq(auditLog.createdAt, at), lt(auditLog.id, m[2]!)))!);
  }
  const db = await getDb();
  const rows = await db
    .select()
    .from(auditLog)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    entries: page.map(summary),
    nextCursor: rows.length > limit && last ? `${last.createdAt.getTime()}:${last.id}` : null,
  };
}

export async function getAuditEntry(id: string): Promise<AuditDetail> {
  const db = await getDb();
  const [row] = await db.select().from(auditLog).where(eq(auditLog.id, id)).limit(1);
  if (!row) throw new HubError("not_found", "No such audit entry", "id");
  return { ...summary(row), userAgent: row.userAgent, before: row.before, after: row.after };
}

export async function listAuditActions(): Promise<string[]> {
  const db = await getDb();
  const rows = await db.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(asc(auditLog.action));
  return rows.map((r) => r.action);
}
