/**
 * Every write to the credit ledger, each one libSQL batch: one write transaction that runs without yielding to the
 * event loop (docs/decisions/004-credit-billing.md). An interactive transaction would hold SQLite's write lock
 * across awaits, and under concurrency the next BEGIN IMMEDIATE blocks the only thread until the busy timeout.
 * The batches chain on row existence and SQLite's changes(), so each entry is applied at most once:
 * - reserve: balance −R and reserved +R only if balance ≥ R; a hold row and a `reserve` entry;
 * - close: `release` +R and, when the call cost something, `settle` −min(cost, what the account holds), then the
 *   hold row is deleted; a second close finds no hold and changes nothing;
 * - credit: grant / purchase / adjustment / refund, optionally guarded by a new `payments` row, audited.
 */
import type { InStatement, ResultSet } from "@libsql/client";
import type { LedgerKind } from "../../drizzle/schema";
import type { Actor } from "../audit/audit.server";
import { redactDeep } from "../crypto/redact";
import { newId } from "../crypto/tokens";
import { getDatabase } from "../db/client.server";

type Arg = string | number | null;

async function run(statements: InStatement[]): Promise<ResultSet[]> {
  const { client } = await getDatabase();
  return client.batch(statements, "write");
}

const ensureAccount = (userId: string, now: number): InStatement => ({
  sql: "insert into credit_accounts (user_id, balance_micro, reserved_micro, initial_grant_done, updated_at) values (?, 0, 0, 0, ?) on conflict(user_id) do nothing",
  args: [userId, now],
});

const LEDGER_COLUMNS = "id, user_id, kind, amount_micro, balance_after_micro, reason, actor_id, reference, created_at";

export interface ReserveInput {
  userId: string;
  callId: string;
  amountMicro: number;
  reason: string;
  /** The hub process taking the hold: when it stops, another releases the hold. */
  instanceId?: string | null;
  /** Written first in the same transaction: the call's `processing` record, so no hold exists without its call. */
  before?: InStatement[];
  now?: number;
}

/** Takes the hold if the balance covers it. Returns whether it did, and the spendable balance after. */
export async function reserveHold(input: ReserveInput): Promise<{ ok: boolean; balanceMicro: number }> {
  const now = input.now ?? Date.now();
  const { userId, callId, amountMicro: r } = input;
  const before = input.before ?? [];
  const results = await run([
    ...before,
    ensureAccount(userId, now),
    {
      sql: "update credit_accounts set balance_micro = balance_micro - ?, reserved_micro = reserved_micro + ?, updated_at = ? where user_id = ? and balance_micro >= ?",
      args: [r, r, now, userId, r],
    },
    {
      sql: "insert into credit_holds (call_id, user_id, amount_micro, instance_id, created_at) select ?, ?, ?, ?, ? where changes() = 1",
      args: [callId, userId, r, input.instanceId ?? null, now],
    },
    {
      sql: `insert into credit_ledger (${LEDGER_COLUMNS}) select ?, user_id, 'reserve', ?, balance_micro, ?, ?, ?, ? from credit_accounts where user_id = ? and changes() = 1`,
      args: [newId("led"), -r, input.reason, userId, callId, now, userId],
    },
    { sql: "select balance_micro from credit_accounts where user_id = ?", args: [userId] },
  ]);
  const [, updated, , , balance] = results.slice(before.length);
  return { ok: updated?.rowsAffected === 1, balanceMicro: Number(balance?.rows[0]?.balance_micro ?? 0) };
}

export interface CloseInput {
  callId: string;
  /** The call's price in micro-credits (0: nothing to charge, the hold is only released). */
  costMicro: number;
  releaseReason: string;
  settleReason: string;
  /** The user the entries are written for (the caller), or null for the system (stale-call job). */
  actorId: string | null;
  now?: number;
}

export interface CloseResult {
  /** False when the hold was already closed (or never taken): nothing was written. */
  closed: boolean;
  heldMicro: number;
  /** What was taken from the balance; below costMicro only if the balance could not cover an overrun. */
  chargedMicro: number;
  userId: string | null;
}

/** Settles a call's hold to its cost and releases the rest, exactly once. */
export async function closeHold(input: CloseInput): Promise<CloseResult> {
  const close = closeHoldStatements(input);
  return close.read(await run(close.statements));
}

/** Statements that do something in a larger transaction, and how to read their results (given just theirs). */
export interface LedgerStatements<T> {
  statements: InStatement[];
  read(results: ResultSet[]): T;
}

/**
 * closeHold's batch, to run inside another transaction: the call recorder writes it with the call's final record,
 * so a call's charge and its record commit together (docs/decisions/008-crash-safe-records.md).
 */
export function closeHoldStatements(input: CloseInput): LedgerStatements<CloseResult> {
  const now = input.now ?? Date.now();
  const { callId } = input;
  const cost = Math.max(0, Math.trunc(input.costMicro));
  const holder = "(select user_id from credit_holds where call_id = ?)";
  const held = "(select amount_micro from credit_holds where call_id = ?)";
  const statements: InStatement[] = [
    {
      sql: `insert into credit_ledger (${LEDGER_COLUMNS}) select ?, h.user_id, 'release', h.amount_micro, a.balance_micro + h.amount_micro, ?, ?, h.call_id, ? from credit_holds h join credit_accounts a on a.user_id = h.user_id where h.call_id = ?`,
      args: [newId("led"), input.releaseReason, input.actorId, now, callId],
    },
    {
      sql: `update credit_accounts set balance_micro = balance_micro + ${held}, reserved_micro = reserved_micro - ${held}, updated_at = ? where user_id = ${holder}`,
      args: [callId, callId, now, callId],
    },
    {
      sql: `insert into credit_ledger (${LEDGER_COLUMNS}) select ?, a.user_id, 'settle', -min(?, a.balance_micro), a.balance_micro - min(?, a.balance_micro), ?, ?, ?, ? from credit_accounts a where a.user_id = ${holder} and ? > 0 returning amount_micro`,
      args: [newId("led"), cost, cost, input.settleReason, input.actorId, callId, now, callId, cost],
    },
    {
      sql: `update credit_accounts set balance_micro = balance_micro - min(?, balance_micro) where user_id = ${holder} and ? > 0`,
      args: [cost, callId, cost],
    },
    { sql: "delete from credit_holds where call_id = ? returning user_id, amount_micro", args: [callId] },
  ];
  const read = (results: ResultSet[]): CloseResult => {
    const deleted = results[4]!.rows[0];
    if (!deleted) return { closed: false, heldMicro: 0, chargedMicro: 0, userId: null };
    const settled = results[2]!.rows[0];
    return {
      closed: true,
      heldMicro: Number(deleted.amount_micro),
      chargedMicro: settled ? -Number(settled.amount_micro) : 0,
      userId: String(deleted.user_id),
    };
  };
  return { statements, read };
}

export interface CreditInput {
  userId: string;
  kind: Extract<LedgerKind, "grant" | "purchase" | "adjustment" | "refund">;
  /** Signed; a change that would take the balance below zero is refused (applied: false). */
  amountMicro: number;
  reason: string;
  reference?: string | null;
  actor: Actor;
  audit?: { action: string; targetType: string; targetId: string | null; after: Record<string, unknown> };
  /** A payments row to insert first; when one with this id exists already, nothing is applied. */
  payment?: { id: string; provider: string; status: string; raw: unknown };
  now?: number;
}

function auditStatement(actor: Actor, audit: NonNullable<CreditInput["audit"]>, now: number): InStatement {
  const args: Arg[] = [
    newId("aud"),
    actor.id,
    actor.label,
    audit.action,
    audit.targetType,
    audit.targetId,
    JSON.stringify(redactDeep(audit.after)),
    actor.ip ?? null,
    actor.userAgent?.slice(0, 300) ?? null,
    now,
  ];
  return {
    sql: "insert into audit_log (id, actor_id, actor_label, action, target_type, target_id, after, ip, user_agent, created_at) select ?, ?, ?, ?, ?, ?, ?, ?, ?, ? where changes() = 1",
    args,
  };
}

/** Grants, purchases, adjustments and refunds. Returns whether it was applied and the balance after. */
export async function applyCredit(input: CreditInput): Promise<{ applied: boolean; balanceMicro: number }> {
  const now = input.now ?? Date.now();
  const { userId, amountMicro: a } = input;
  const statements: InStatement[] = [ensureAccount(userId, now)];
  if (input.payment) {
    const p = input.payment;
    statements.push({
      sql: "insert into payments (id, user_id, provider, amount_micro, status, raw, created_at) values (?, ?, ?, ?, ?, ?, ?) on conflict(id) do nothing",
      args: [p.id, userId, p.provider, a, p.status, JSON.stringify(p.raw ?? null), now],
    });
  }
  const guard = input.payment ? " and changes() = 1" : "";
  statements.push(
    {
      sql: `update credit_accounts set balance_micro = balance_micro + ?, updated_at = ? where user_id = ? and balance_micro + ? >= 0${guard}`,
      args: [a, now, userId, a],
    },
    {
      sql: `insert into credit_ledger (${LEDGER_COLUMNS}) select ?, user_id, ?, ?, balance_micro, ?, ?, ?, ? from credit_accounts where user_id = ? and changes() = 1`,
      args: [newId("led"), input.kind, a, input.reason, input.actor.id, input.reference ?? null, now, userId],
    },
  );
  if (input.audit) statements.push(auditStatement(input.actor, input.audit, now));
  statements.push({ sql: "select balance_micro from credit_accounts where user_id = ?", args: [userId] });
  const results = await run(statements);
  const applied = results[input.payment ? 2 : 1]!.rowsAffected === 1;
  return { applied, balanceMicro: Number(results.at(-1)!.rows[0]?.balance_micro ?? 0) };
}

/**
 * A charge for a call whose hold is gone (the stale-call job released it while a very long call was still running).
 * Once per call (the `settle` entry is unique per reference), never below a zero balance.
 */
export async function settleLate(input: LateInput): Promise<number> {
  const late = settleLateStatements(input);
  return late.read(await run(late.statements));
}

export interface LateInput {
  userId: string;
  callId: string;
  costMicro: number;
  reason: string;
  actorId: string | null;
  now?: number;
}

/** settleLate's batch, for a larger transaction: after closeHoldStatements it charges only if no settle was written. */
export function settleLateStatements(input: LateInput): LedgerStatements<number> {
  const now = input.now ?? Date.now();
  const cost = Math.max(0, Math.trunc(input.costMicro));
  const statements: InStatement[] = [
    {
      sql: `insert into credit_ledger (${LEDGER_COLUMNS}) select ?, user_id, 'settle', -min(?, balance_micro), balance_micro - min(?, balance_micro), ?, ?, ?, ? from credit_accounts where user_id = ? and not exists (select 1 from credit_ledger where kind = 'settle' and reference = ?) returning amount_micro`,
      args: [newId("led"), cost, cost, input.reason, input.actorId, input.callId, now, input.userId, input.callId],
    },
    {
      sql: "update credit_accounts set balance_micro = balance_micro - min(?, balance_micro), updated_at = ? where user_id = ? and changes() = 1",
      args: [cost, now, input.userId],
    },
  ];
  const read = (results: ResultSet[]): number => {
    const row = results[0]!.rows[0];
    return row ? -Number(row.amount_micro) : 0;
  };
  return { statements, read };
}

/**
 * Gives back what a call was charged, once per call: the balance rises by the charge, a `refund` entry referencing
 * the call is appended, and the audit entry written, in one batch guarded by "no refund for this call yet" (two
 * admins clicking at once refund it once). Returns the amount refunded, 0 when it had been refunded already.
 */
export async function refundCharge(input: {
  userId: string;
  callId: string;
  amountMicro: number;
  reason: string;
  actor: Actor;
  now?: number;
}): Promise<number> {
  const now = input.now ?? Date.now();
  const amount = Math.trunc(input.amountMicro);
  if (amount <= 0) return 0;
  const notYet = "not exists (select 1 from credit_ledger where kind = 'refund' and reference = ?)";
  const results = await run([
    {
      sql: `update credit_accounts set balance_micro = balance_micro + ?, updated_at = ? where user_id = ? and ${notYet}`,
      args: [amount, now, input.userId, input.callId],
    },
    {
      sql: `insert into credit_ledger (${LEDGER_COLUMNS}) select ?, user_id, 'refund', ?, balance_micro, ?, ?, ?, ? from credit_accounts where user_id = ? and changes() = 1`,
      args: [newId("led"), amount, input.reason, input.actor.id, input.callId, now, input.userId],
    },
    auditStatement(
      input.actor,
      {
        action: "credits.refund",
        targetType: "call",
        targetId: input.callId,
        after: { userId: input.userId, amountMicro: amount, reason: input.reason },
      },
      now,
    ),
  ]);
  return results[0]!.rowsAffected === 1 ? amount : 0;
}

/** Holds older than the cutoff: their calls never settled (the process died, or a settlement was lost). */
export async function staleHolds(
  olderThan: number,
  limit = 500,
): Promise<Array<{ callId: string; userId: string; amountMicro: number }>> {
  const { client } = await getDatabase();
  const rs = await client.execute({
    sql: "select call_id, user_id, amount_micro from credit_holds where created_at < ? order by created_at limit ?",
    args: [olderThan, limit],
  });
  return rs.rows.map((r) => ({
    callId: String(r.call_id),
    userId: String(r.user_id),
    amountMicro: Number(r.amount_micro),
  }));
}
