/**
 * A call whose process died between its record and its rollups (rolled_up = 0) is added by the sweep exactly
 * once; a call the recorder already rolled up is never counted again, whoever tries. Calls closed by the stale-call
 * job or an instance recovery are counted once too, even when their own process finishes them late.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";
import { recoverStoppedInstances } from "../instances/recover-instances.server";
import { failStaleCalls, STALE_AFTER_MS } from "../jobs/stale-calls.server";
import { callRecorder } from "./call-recorder.server";
import { rollUpCalls, sweepRollups } from "./roll-up.server";

let hub: TempHub;
beforeAll(async () => {
  hub = await createTempHub();
});
afterAll(async () => {
  await hub.cleanup();
});

const at = Date.UTC(2026, 10, 23, 14, 5);

async function hourRequests(): Promise<number> {
  return (await hourTotals()).requests;
}

async function hourTotals(): Promise<{ requests: number; failed: number }> {
  const rs = await hub.database.client.execute({
    sql: `select coalesce(sum(requests), 0) as requests, coalesce(sum(failed), 0) as failed from usage_rollups
          where bucket = 'hour_all' and bucket_start = ?`,
    args: [Date.UTC(2026, 10, 23, 14)],
  });
  return { requests: Number(rs.rows[0]?.requests ?? 0), failed: Number(rs.rows[0]?.failed ?? 0) };
}

/** A call started through the recorder whose start row is written, as it is while a stream runs. */
async function openCall(requestId: string, instanceId: string, createdAt: number): Promise<string> {
  const id = callRecorder.start({
    requestId,
    userId: "u1",
    instanceId,
    type: "chat",
    endpoint: "/v1/chat/completions",
    createdAt: new Date(createdAt),
  });
  await callRecorder.flush();
  return id;
}

const finishLate = (id: string) =>
  callRecorder
    .finish(id, { status: "success", inputTokens: 10, outputTokens: 5, durationMs: 900_000, costMicro: 7 })
    .then(() => callRecorder.flush());

describe("rolling up finished calls", () => {
  it("the recorder rolls up what it finishes, once, and leaves nothing for the sweep", async () => {
    const id = callRecorder.start({
      requestId: "r1",
      userId: "u1",
      type: "chat",
      endpoint: "/v1/chat/completions",
      createdAt: new Date(at),
    });
    await callRecorder.finish(id, {
      status: "success",
      inputTokens: 10,
      outputTokens: 5,
      durationMs: 120,
      costMicro: 7,
    });
    await callRecorder.flush();
    expect(await hourRequests()).toBe(1);
    const row = await hub.database.client.execute({
      sql: "select rolled_up from model_calls where id = ?",
      args: [id],
    });
    expect(Number(row.rows[0]?.rolled_up)).toBe(1);
    expect(await rollUpCalls([id])).toBe(0);
    expect(await sweepRollups()).toBe(0);
    expect(await hourRequests()).toBe(1);
  });

  it("a recorded call left without rollups (a crash in between) is swept in exactly once", async () => {
    await hub.database.client.execute({
      sql: `insert into model_calls (id, request_id, user_id, type, endpoint, status, input_tokens, output_tokens, duration_ms, cost_micro,
              created_at, finished_at, rolled_up) values ('call_crashed', 'r2', 'u1', 'chat', '/v1/chat/completions', 'success', 3, 4, 80, 2, ?, ?, 0)`,
      args: [at + 1000, at + 1080],
    });
    expect(await hourRequests()).toBe(1);
    expect(await sweepRollups()).toBe(1);
    expect(await hourRequests()).toBe(2);
    expect(await sweepRollups()).toBe(0);
    expect(await rollUpCalls(["call_crashed"])).toBe(0);
    expect(await hourRequests()).toBe(2);
  });

  it("a call the stale-call job closes is counted once, as failed, and its late end does not count it again", async () => {
    const before = await hourTotals();
    const id = await openCall("r3", "inst_stale", at + 2000);
    expect(await failStaleCalls(at + 2000 + STALE_AFTER_MS + 1)).toBe(1);
    expect(await hourTotals()).toEqual({ requests: before.requests + 1, failed: before.failed + 1 });
    await finishLate(id);
    expect(await sweepRollups()).toBe(0);
    expect(await hourTotals()).toEqual({ requests: before.requests + 1, failed: before.failed + 1 });
  });

  it("a call an instance recovery closes is counted once, as failed, and its late end does not count it again", async () => {
    const before = await hourTotals();
    // An instance with no row left in hub_instances: its calls are closed once three beats old.
    const id = await openCall("r4", "inst_gone", at + 3000);
    const recovered = await recoverStoppedInstances({ self: "inst_me", heartbeatMs: 1000, now: at + 60_000 });
    expect(recovered.calls).toBe(1);
    const row = await hub.database.client.execute({
      sql: "select status, rolled_up from model_calls where id = ?",
      args: [id],
    });
    expect(row.rows[0]).toMatchObject({ status: "aborted", rolled_up: 1 });
    expect(await hourTotals()).toEqual({ requests: before.requests + 1, failed: before.failed + 1 });
    await finishLate(id);
    expect(await sweepRollups()).toBe(0);
    expect(await hourTotals()).toEqual({ requests: before.requests + 1, failed: before.failed + 1 });
  });

  it("a closed call whose end arrives before the sweep is counted once, as it ended", async () => {
    const before = await hourTotals();
    const id = await openCall("r5", "inst_slow", at + 4000);
    // Closed as the stale-call job does, but not yet swept (the job died before its sweep).
    await hub.database.client.execute({
      sql: "update model_calls set status = 'failed', error_code = 'stale_call', rolled_up = 0 where id = ?",
      args: [id],
    });
    await finishLate(id);
    expect(await sweepRollups()).toBe(0);
    expect(await hourTotals()).toEqual({ requests: before.requests + 1, failed: before.failed });
  });
});
