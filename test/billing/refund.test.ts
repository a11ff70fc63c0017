/**
 * Refunding a call (Admin, from the call drawer): the whole charge goes back once, with a ledger entry that names
 * the call and the reason; a second refund, a call that cost nothing and an empty reason are refused; parallel
 * refunds of one call give it back once; the books stay balanced and the call's detail shows both amounts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { createUser, type UserRow } from "@server/auth/users.server";
import { callRecorder } from "@server/usage/call-recorder.server";
import { getCall } from "@server/usage/call-log.server";
import { account, expectBooksBalanced, grant, ledgerOf } from "@test/billing/billing-helpers";
import { chargedCall } from "@test/helpers/charged-call";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";
import { callerFor, codeOf } from "@test/helpers/trpc-caller";

let hub: TempHub;
let admin: UserRow;
let member: UserRow;

beforeAll(async () => {
  hub = await createTempHub();
  admin = await createUser({ email: "admin@example.com", role: "admin" }, CLI_ACTOR);
  member = await createUser({ email: "member@example.com" }, CLI_ACTOR);
  await grant(member.id, 10_000_000);
});
afterAll(() => hub.cleanup());

describe("refunding a call", () => {
  it("gives the charge back once, with a ledger entry naming the call", async () => {
    const callId = await chargedCall(member.id, 1_234_567);
    const before = (await account(hub, member.id)).balanceMicro;
    const result = await callerFor(admin).users.refundCall({ callId, reason: "Truncated answer" });
    expect(result).toEqual({ refundedMicro: 1_234_567, balanceMicro: before + 1_234_567 });
    const refund = (await ledgerOf(hub, callId)).filter((e) => e.kind === "refund");
    expect(refund).toEqual([
      expect.objectContaining({
        amountMicro: 1_234_567,
        reason: "Truncated answer",
        actorId: admin.id,
        balanceAfterMicro: before + 1_234_567,
      }),
    ]);
    expect(await getCall(callId, null)).toMatchObject({ chargedMicro: 1_234_567, refundedMicro: 1_234_567 });

    expect(await codeOf(callerFor(admin).users.refundCall({ callId, reason: "again" }))).toBe("CONFLICT");
    expect((await account(hub, member.id)).balanceMicro).toBe(before + 1_234_567);
    expect(await expectBooksBalanced(hub, member.id)).toMatchObject({
      balanceMatchesLedger: true,
      nothingHeld: true,
      neverNegative: true,
    });
  });

  it("refunds once when two admins click at the same time", async () => {
    const callId = await chargedCall(member.id, 500_000);
    const before = (await account(hub, member.id)).balanceMicro;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, () => callerFor(admin).users.refundCall({ callId, reason: "double click" })),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    expect((await account(hub, member.id)).balanceMicro).toBe(before + 500_000);
    expect((await ledgerOf(hub, callId)).filter((e) => e.kind === "refund")).toHaveLength(1);
  });

  it("refuses a call that was not charged, an unknown call, an empty reason, and a member", async () => {
    const free = callRecorder.start({
      requestId: "free-call",
      userId: member.id,
      type: "chat",
      endpoint: "/api/v2/chat/completions",
      status: "processing",
    });
    await callRecorder.finish(free, { status: "success", httpStatus: 200, costMicro: 0 });
    await callRecorder.flush();
    await expect(callerFor(admin).users.refundCall({ callId: free, reason: "nothing" })).rejects.toThrow(/not charged/);
    expect(await codeOf(callerFor(admin).users.refundCall({ callId: "call_nope", reason: "x" }))).toBe("NOT_FOUND");
    const callId = await chargedCall(member.id, 100_000);
    expect(await codeOf(callerFor(admin).users.refundCall({ callId, reason: "  " }))).toBe("BAD_REQUEST");
    expect(await codeOf(callerFor(member).users.refundCall({ callId, reason: "please" }))).toBe("FORBIDDEN");
    expect(await getCall(callId, null)).toMatchObject({ chargedMicro: 100_000, refundedMicro: 0 });
  });
});
