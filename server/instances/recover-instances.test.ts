/**
 * Recovery of stopped instances on the database alone: an instance on another host whose heartbeat is three beats
 * old has its open calls closed as aborted ("instance stopped") and its credit holds released, once; an instance
 * still beating keeps its calls; holds of an instance with no row are released once they are as old.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reserveHold } from "@server/billing/ledger.server";
import { grantCredits } from "@server/billing/credits.server";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";
import { seedUserWithKey } from "@test/helpers/seed";
import { INSTANCE_STOPPED, MISSED_BEATS, recoverStoppedInstances } from "./recover-instances.server";

let hub: TempHub;
beforeAll(async () => {
  hub = await createTempHub();
});
afterAll(async () => {
  await hub.cleanup();
});

const HEARTBEAT = 1_000;
const sql = (statement: string, args: Array<string | number> = []) =>
  hub.database.client.execute({ sql: statement, args });

async function openCall(id: string, userId: string, instanceId: string, createdAt: number) {
  await sql(
    "insert into model_calls (id, request_id, user_id, type, endpoint, status, instance_id, created_at) " +
      "values (?, ?, ?, 'chat', '/v1/chat/completions', 'processing', ?, ?)",
    [id, `req-${id}`, userId, instanceId, createdAt],
  );
  const held = await reserveHold({
    userId,
    callId: id,
    amountMicro: 1_000,
    reason: "test hold",
    instanceId,
    now: createdAt,
  });
  expect(held.ok).toBe(true);
}

const rowOf = async (id: string) => (await sql("select * from model_calls where id = ?", [id])).rows[0]!;
const holdOf = async (id: string) => (await sql("select * from credit_holds where call_id = ?", [id])).rows[0];

describe("recovering stopped instances", () => {
  it("closes the calls and releases the holds of an instance that stopped beating, and only those", async () => {
    const { user } = await seedUserWithKey("recover@example.com");
    await grantCredits(user.id, 100_000, "test", CLI_ACTOR);
    const now = Date.now();
    const beat = (id: string, at: number) =>
      sql(
        "insert into hub_instances (id, host, pid, started_at, beat_at) values (?, 'elsewhere/boot/pid:[1]', 4242, ?, ?)",
        [id, at, at],
      );
    await beat("ins_dead", now - MISSED_BEATS * HEARTBEAT - 1);
    await beat("ins_live", now - HEARTBEAT);
    await openCall("call_dead", user.id, "ins_dead", now - 5_000);
    await openCall("call_live", user.id, "ins_live", now - 5_000);
    await openCall("call_orphan_old", user.id, "ins_gone", now - MISSED_BEATS * HEARTBEAT - 1);
    await openCall("call_orphan_new", user.id, "ins_new", now - 10);

    const recovered = await recoverStoppedInstances({ self: "ins_me", heartbeatMs: HEARTBEAT, now });
    expect(recovered).toEqual({ instances: 2, calls: 2, holds: 2, replayed: 0 });
    // What the dead process had generated is unknown here: null, not 0.
    const dead = await rowOf("call_dead");
    expect(dead).toMatchObject({
      status: "aborted",
      error_code: INSTANCE_STOPPED,
      finished_at: now,
      output_tokens: null,
    });
    expect(String((await rowOf("call_dead")).error_message)).toContain("instance stopped");
    expect(await rowOf("call_orphan_old")).toMatchObject({ status: "aborted", error_code: INSTANCE_STOPPED });
    expect(await holdOf("call_dead")).toBeUndefined();
    expect(await holdOf("call_orphan_old")).toBeUndefined();
    // Still beating, or too young to tell: untouched.
    expect(await rowOf("call_live")).toMatchObject({ status: "processing" });
    expect(await rowOf("call_orphan_new")).toMatchObject({ status: "processing" });
    expect(await holdOf("call_live")).toBeDefined();
    expect(await holdOf("call_orphan_new")).toBeDefined();

    const releases = "select * from credit_ledger where kind = 'release' and reference in (?, ?)";
    const released = (await sql(releases, ["call_dead", "call_orphan_old"])).rows;
    expect(released.map((r) => Number(r.amount_micro))).toEqual([1_000, 1_000]);
    const account = (
      await sql("select balance_micro, reserved_micro from credit_accounts where user_id = ?", [user.id])
    ).rows[0]!;
    // The two live holds are still held; the two released ones are back in the balance.
    expect({ balance: Number(account.balance_micro), reserved: Number(account.reserved_micro) }).toEqual({
      balance: 98e3,
      reserved: 2e3,
    });
    const instances = (await sql("select id from hub_instances order by id")).rows.map((r) => r.id);
    expect(instances).toEqual(["ins_live"]);

    // Exactly once: a second pass finds nothing left to do.
    const again = await recoverStoppedInstances({ self: "ins_me", heartbeatMs: HEARTBEAT, now });
    expect(again).toEqual({ instances: 0, calls: 0, holds: 0, replayed: 0 });
  });
});
