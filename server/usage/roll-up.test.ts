/**
 * A call whose process died between its record and its rollups (rolled_up = 0) is added by the sweep exactly
 * once; a call the recorder already rolled up is never counted again, whoever tries.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";
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
  const rs = await hub.database.client.execute({
    sql: "select coalesce(sum(requests), 0) as n from usage_rollups where bucket = 'hour_all' and bucket_start = ?",
    args: [Date.UTC(2026, 10, 23, 14)],
  });
  return Number(rs.rows[0]?.n ?? 0);
}

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
});
