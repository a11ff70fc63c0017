/**
 * Credit grants and adjustments by people (admins, the CLI, the welcome grant). Each changes the account row and
 * appends a ledger entry and an audit entry in one write batch (ledger.server.ts), so the balance always equals
 * the sum of the ledger.
 */
import { and, eq, inArray } from "drizzle-orm";
import { creditAccounts, creditLedger, modelCalls } from "../../drizzle/schema";
import type { Actor } from "../audit/audit.server";
import { getDb } from "../db/client.server";
import { HubError } from "../errors";
import { applyCredit, refundCharge } from "./ledger.server";
import { formatMicro } from "./money";

function checkAmount(amountMicro: number, positive: boolean): void {
  if (!Number.isSafeInteger(amountMicro) || amountMicro === 0 || (positive && amountMicro < 0)) {
    throw new HubError(
      "invalid_input",
      positive ? "The amount must be a positive number of credits" : "The amount must be a non-zero number of credits",
      "amount",
    );
  }
}

function checkReason(reason: string): string {
  const r = reason.trim();
  if (!r) throw new HubError("invalid_input", "Give a reason: it is kept in the ledger and the audit log.", "reason");
  return r.slice(0, 500);
}

export async function grantCredits(userId: string, amountMicro: number, reason: string, actor: Actor): Promise<number> {
  checkAmount(amountMicro, true);
  const why = checkReason(reason);
  const { balanceMicro } = await applyCredit({
    userId,
    kind: "grant",
    amountMicro,
    reason: why,
    actor,
    audit: { action: "credits.grant", targetType: "user", targetId: userId, after: { amountMicro, reason: why } },
  });
  return balanceMicro;
}

/** A signed correction by an admin. Refused when it would take the balance below zero. */
export async function adjustCredits(
  userId: string,
  amountMicro: number,
  reason: string,
  actor: Actor,
): Promise<number> {
  checkAmount(amountMicro, false);
  const why = checkReason(reason);
  const { applied, balanceMicro } = await applyCredit({
    userId,
    kind: "adjustment",
    amountMicro,
    reason: why,
    actor,
    audit: { action: "credits.adjust", targetType: "user", targetId: userId, after: { amountMicro, reason: why } },
  });
  if (!applied) {
    throw new HubError(
      "invalid_input",
      `The balance is ${formatMicro(balanceMicro)} credits; an adjustment of ${formatMicro(amountMicro)} would take it below zero.`,
      "amount",
    );
  }
  return balanceMicro;
}

export async function getBalanceMicro(userId: string): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .select({ b: creditAccounts.balanceMicro })
    .from(creditAccounts)
    .where(eq(creditAccounts.userId, userId));
  return row?.b ?? 0;
}

export async function getAccount(userId: string): Promise<{ balanceMicro: number; reservedMicro: number }> {
  const db = await getDb();
  const [row] = await db
    .select({ balanceMicro: creditAccounts.balanceMicro, reservedMicro: creditAccounts.reservedMicro })
    .from(creditAccounts)
    .where(eq(creditAccounts.userId, userId));
  return row ?? { balanceMicro: 0, reservedMicro: 0 };
}

/** What a call was charged (its settle entries) and what was refunded of it, in micro-credits. */
export async function callCharges(callId: string): Promise<{ chargedMicro: number; refundedMicro: number }> {
  const db = await getDb();
  const rows = await db
    .select({ kind: creditLedger.kind, amountMicro: creditLedger.amountMicro })
    .from(creditLedger)
    .where(and(eq(creditLedger.reference, callId), inArray(creditLedger.kind, ["settle", "refund"])));
  let chargedMicro = 0;
  let refundedMicro = 0;
  for (const r of rows) {
    if (r.kind === "settle") chargedMicro -= r.amountMicro;
    else refundedMicro += r.amountMicro;
  }
  return { chargedMicro, refundedMicro };
}

/**
 * An admin gives back what a call was charged (a bad answer, an outage the provider billed anyway): the whole
 * charge, once, with a reason, audited. Refused for a call that was not charged or was refunded already.
 */
export async function refundCall(
  callId: string,
  reason: string,
  actor: Actor,
): Promise<{ refundedMicro: number; balanceMicro: number }> {
  const why = checkReason(reason);
  const db = await getDb();
  const [call] = await db
    .select({ userId: modelCalls.userId })
    .from(modelCalls)
    .where(eq(modelCalls.id, callId))
    .limit(1);
  if (!call?.userId) throw new HubError("not_found", "No such call", "call_id");
  const { chargedMicro, refundedMicro } = await callCharges(callId);
  if (refundedMicro > 0) throw new HubError("conflict", "This call was refunded already.", "call_id");
  if (chargedMicro <= 0)
    throw new HubError(
      "invalid_input",
      "This call was not charged any credit, so there is nothing to refund.",
      "call_id",
    );
  const refunded = await refundCharge({ userId: call.userId, callId, amountMicro: chargedMicro, reason: why, actor });
  if (refunded === 0) throw new HubError("conflict", "This call was refunded already.", "call_id");
  return { refundedMicro: refunded, balanceMicro: await getBalanceMicro(call.userId) };
}
