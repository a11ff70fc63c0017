/**
 * Shared set-up and checks for the billing tests: billing settings, credit, the ledger of a call, and the
 * invariants that must hold after any load (balance = sum of the ledger, reserved = sum of open holds, never
 * below zero, every call closed once).
 */
import { eq, sql } from "drizzle-orm";
import { creditAccounts, creditHolds, creditLedger, modelCalls } from "@drizzle/schema";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { grantCredits } from "@server/billing/credits.server";
import { updateSettings, type HubSettings } from "@server/settings/settings.server";
import { callRecorder } from "@server/usage/call-recorder.server";
import type { TempHub } from "@test/helpers/temp-db";

export const PAYMENT_LINK = "https://buy.stripe.com/test_abc";

export function billingOn(extra: Partial<HubSettings> = {}) {
  return updateSettings({ billingEnabled: true, paymentLink: PAYMENT_LINK, ...extra }, CLI_ACTOR);
}

export const billingOff = () => updateSettings({ billingEnabled: false }, CLI_ACTOR);

export const grant = (userId: string, micro: number) => grantCredits(userId, micro, "test credit", CLI_ACTOR);

export async function account(hub: TempHub, userId: string) {
  const [row] = await hub.database.db.select().from(creditAccounts).where(eq(creditAccounts.userId, userId));
  return row ?? { balanceMicro: 0, reservedMicro: 0 };
}

export async function ledgerOf(hub: TempHub, reference: string) {
  return hub.database.db.select().from(creditLedger).where(eq(creditLedger.reference, reference));
}

/** Waits until no call of the user is still processing (streams close asynchronously), then returns its calls. */
export async function settledCalls(hub: TempHub, userId: string) {
  for (let i = 0; ; i++) {
    await callRecorder.flush();
    const rows = await hub.database.db.select().from(modelCalls).where(eq(modelCalls.userId, userId));
    if (rows.every((r) => r.status !== "processing")) return rows;
    if (i > 200)
      throw new Error(`calls still processing: ${rows.filter((r) => r.status === "processing").map((r) => r.id)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function callByRequestId(
  hub: TempHub,
  requestId: string,
  column: "requestId" | "clientRequestId" = "requestId",
) {
  for (let i = 0; ; i++) {
    await callRecorder.flush();
    const [row] = await hub.database.db.select().from(modelCalls).where(eq(modelCalls[column], requestId));
    if (row && row.status !== "processing") return row;
    if (i > 200) throw new Error(`no finished call for ${requestId}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The ledger's and the account's books agree, nothing is held, and each call has one reserve and one release. */
export async function expectBooksBalanced(hub: TempHub, userId: string) {
  const db = hub.database.db;
  const acct = await account(hub, userId);
  const [sum] = await db
    .select({ total: sql<number>`coalesce(sum(${creditLedger.amountMicro}), 0)` })
    .from(creditLedger)
    .where(eq(creditLedger.userId, userId));
  const holds = await db.select().from(creditHolds).where(eq(creditHolds.userId, userId));
  const perCall = await db
    .select({ reference: creditLedger.reference, kind: creditLedger.kind, n: sql<number>`count(*)` })
    .from(creditLedger)
    .where(sql`${creditLedger.userId} = ${userId} and ${creditLedger.kind} in ('reserve', 'release', 'settle')`)
    .groupBy(creditLedger.reference, creditLedger.kind);
  const negative = await db
    .select()
    .from(creditLedger)
    .where(sql`${creditLedger.userId} = ${userId} and ${creditLedger.balanceAfterMicro} < 0`);
  return {
    balanceMatchesLedger: acct.balanceMicro === Number(sum!.total),
    nothingHeld: acct.reservedMicro === 0 && holds.length === 0,
    eachOnce: perCall.every((r) => Number(r.n) === 1),
    neverNegative: negative.length === 0 && acct.balanceMicro >= 0,
    balanceMicro: acct.balanceMicro,
  };
}
