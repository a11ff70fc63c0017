/**
 * The audit log: who did what to which thing, with before/after (secrets removed), IP and time. Every admin
 * mutation and auth event calls `recordAudit`, inside the same transaction as the change when there is one.
 */
import { auditLog } from "../../drizzle/schema";
import { redactDeep } from "../crypto/redact";
import { newId } from "../crypto/tokens";
import type { Executor } from "../db/client.server";

export interface Actor {
  /** null for the CLI and the system. */
  id: string | null;
  /** Email, "cli" or "system". */
  label: string;
  ip?: string | null;
  userAgent?: string | null;
  /** A person's role, for the setting rules (server/settings/setting-permissions.ts); a person without one is a member. */
  role?: "owner" | "admin" | "member";
}

export const CLI_ACTOR: Actor = { id: null, label: "cli" };
export const SYSTEM_ACTOR: Actor = { id: null, label: "system" };

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
}

type Writer = Pick<Executor, "insert">;

export async function recordAudit(db: Writer, actor: Actor, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    id: newId("aud"),
    actorId: actor.id,
    actorLabel: actor.label,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    before: entry.before === undefined ? null : redactDeep(entry.before),
    after: entry.after === undefined ? null : redactDeep(entry.after),
    ip: actor.ip ?? null,
    userAgent: actor.userAgent?.slice(0, 300) ?? null,
  });
}
