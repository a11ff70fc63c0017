/**
 * Rollups kept up to date by the call recorder equal a fresh aggregate of the raw calls: over random calls
 * spread across hours and days, finished in the same batch or later ("late"), successful, failed or aborted,
 * with unknown token counts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";
import { seededRandom } from "@test/helpers/seeded-random";
import { callRecorder } from "./call-recorder.server";
import { usageBreakdown, usageSeries, usageTotals } from "./dashboard.server";
import { rebuildRollups, rebuildRollupsWithoutSketches } from "./rebuild-rollups.server";
import { exactQuantile, withinAccuracy } from "@test/helpers/exact-quantile";
import { SKETCH_RELATIVE_ACCURACY } from "./latency-sketch";
import { bucketStart, ROLLUP_METRICS, rollupDeltas } from "./rollup-delta";

let hub: TempHub;
beforeAll(async () => {
  hub = await createTempHub();
});
afterAll(async () => {
  await hub.cleanup();
});

async function rollupRows() {
  const rs = await hub.database.client.execute(
    "select * from usage_rollups order by bucket, bucket_start, user_id, access_key_id, app_name, provider_name, model",
  );
  return rs.rows.map((r) => ({ ...r }));
}

describe("rollup deltas", () => {
  it("bucket by the call's start in UTC hours and days, and merge equal keys", () => {
    const t = Date.UTC(2026, 10, 23, 14, 37, 5);
    expect(bucketStart(t, "hour")).toBe(Date.UTC(2026, 10, 23, 14));
    expect(bucketStart(t, "day")).toBe(Date.UTC(2026, 10, 23));
    const call = {
      createdAt: t,
      status: "failed",
      userId: "u",
      inputTokens: null,
      outputTokens: 5,
      ttftMs: null,
      durationMs: 30,
    };
    const merged = rollupDeltas([call, { ...call, status: "success", inputTokens: 7, ttftMs: 12 }]);
    expect(merged.map((d) => d.bucket)).toEqual([
      "hour",
      "hour_user",
      "hour_all",
      "hour_model",
      "hour_key",
      "day",
      "day_user",
      "day_all",
      "day_model",
      "day_key",
    ]);
    expect(merged[1]).toMatchObject({ userId: "u", model: "", accessKeyId: "" });
    expect(merged[0]).toMatchObject({ durValues: [30, 30], ttftValues: [12] });
    const counters = Object.fromEntries(ROLLUP_METRICS.map((m, i) => [m, merged[0]?.sums[i]]));
    expect(merged[0]?.bucket).toBe("hour");
    expect(counters).toMatchObject({
      requests: 2,
      failed: 1,
      inputTokens: 7,
      outputTokens: 10,
      durationMsSum: 60,
      ttftMsSum: 12,
      ttftCount: 1,
    });
  });
});

describe("rollups maintained by the recorder", () => {
  it("equal the aggregate of the raw calls", async () => {
    const random = seededRandom(42);
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
    const base = Date.UTC(2026, 10, 20);
    const pendingFinish: Array<() => Promise<void>> = [];
    const finishing: Array<Promise<void>> = [];
    for (let i = 0; i < 600; i++) {
      const createdAt = new Date(base + Math.floor(random() * 4 * 86_400_000));
      const id = callRecorder.start({
        requestId: `req-${i}`,
        type: "chat",
        endpoint: "/api/v2/chat/completions",
        userId: pick(["usr_a", "usr_b", "usr_c"]),
        accessKeyId: pick(["key_1", "key_2", null]),
        appName: pick(["app-x", null]),
        createdAt,
      });
      const finish = () =>
        callRecorder.finish(id, {
          status: pick(["success", "success", "success", "failed", "aborted"]),
          providerName: pick(["openai", "anthropic"]),
          model: pick(["m1", "m2"]),
          inputTokens: random() < 0.1 ? null : Math.floor(random() * 500),
          outputTokens: random() < 0.1 ? null : Math.floor(random() * 300),
          cachedInputTokens: random() < 0.5 ? null : Math.floor(random() * 50),
          costMicro: Math.floor(random() * 10_000),
          durationMs: Math.floor(random() * 4_000),
          ttftMs: random() < 0.3 ? null : Math.floor(random() * 900),
        });
      // Some finish in the same batch as their start, others after it was written ("late").
      if (random() < 0.5) finishing.push(finish());
      else pendingFinish.push(finish);
      if (i % 97 === 0) await callRecorder.flush();
    }
    await callRecorder.flush();
    for (const finish of pendingFinish.slice(0, -20)) finishing.push(finish()); // 20 stay open: not in any rollup yet
    await callRecorder.flush();
    await Promise.all(finishing);

    const maintained = await rollupRows();
    expect(maintained.length).toBeGreaterThan(50);
    await rebuildRollups();
    expect(await rollupRows()).toEqual(maintained);
    // Rows from before the sketches (migration 0007) are rebuilt at boot: wipe some, as the migration leaves them.
    await hub.database.client.execute(
      "update usage_rollups set dur_sketch = null, ttft_sketch = null, dur_min = null, dur_max = null where bucket like 'day%'",
    );
    await rebuildRollupsWithoutSketches();
    expect(await rollupRows()).toEqual(maintained);

    for (const bucket of [
      "day",
      "day_user",
      "day_all",
      "day_model",
      "day_key",
      "hour",
      "hour_user",
      "hour_all",
      "hour_model",
      "hour_key",
    ]) {
      const total = await hub.database.client.execute({
        sql: "select sum(requests) as n from usage_rollups where bucket = ?",
        args: [bucket],
      });
      expect(Number(total.rows[0]!.n), bucket).toBe(580);
    }

    // The dashboard queries, whichever rollup family answers them, agree with the raw calls.
    const range = { from: new Date(base), to: new Date(base + 4 * 86_400_000) };
    const raw = async (where: string, args: string[] = []) =>
      (
        await hub.database.client.execute({
          sql: `select count(*) as n, sum(case when status = 'success' then 0 else 1 end) as failed, coalesce(sum(input_tokens), 0) as input, coalesce(sum(cost_micro), 0) as cost from model_calls where status != 'processing' ${where}`,
          args,
        })
      ).rows[0]!;
    for (const [filters, sql, args] of [
      [{}, "", []],
      [{ userId: "usr_b" }, "and user_id = ?", ["usr_b"]],
      [{ model: "m2" }, "and model = ?", ["m2"]],
      [{ userId: "usr_a", providerName: "anthropic" }, "and user_id = ? and provider_name = ?", ["usr_a", "anthropic"]],
    ] as const) {
      const totals = await usageTotals({ ...range, ...filters });
      const expected = await raw(sql, [...args]);
      expect(totals, JSON.stringify(filters)).toMatchObject({
        requests: Number(expected.n),
        failed: Number(expected.failed),
        inputTokens: Number(expected.input),
        costMicro: Number(expected.cost),
      });
      const series = await usageSeries({ ...range, ...filters }, "hour");
      expect(series.reduce((a, p) => a + p.requests, 0)).toBe(Number(expected.n));
      expect(series).toHaveLength(4 * 24);
      // Percentiles, whichever family and however many rows were merged, are within the sketch's accuracy.
      const latencies = async (column: string) =>
        (
          await hub.database.client.execute({
            sql: `select ${column} as v from model_calls where status != 'processing' and ${column} is not null ${sql}`,
            args: [...args],
          })
        ).rows.map((r) => Number(r.v));
      const durations = await latencies("duration_ms");
      const ttfts = await latencies("ttft_ms");
      for (const [shown, exact] of [
        [totals.p50DurationMs, exactQuantile(durations, 0.5)],
        [totals.p95DurationMs, exactQuantile(durations, 0.95)],
        [totals.p99DurationMs, exactQuantile(durations, 0.99)],
        [totals.p50TtftMs, exactQuantile(ttfts, 0.5)],
        [totals.p95TtftMs, exactQuantile(ttfts, 0.95)],
        [totals.p99TtftMs, exactQuantile(ttfts, 0.99)],
      ] as const) {
        expect(
          withinAccuracy(shown, exact, SKETCH_RELATIVE_ACCURACY, 0.5),
          `${JSON.stringify(filters)}: ${shown} vs ${exact}`,
        ).toBe(true);
      }
      expect(totals.p99DurationMs).toBeLessThanOrEqual(Math.max(...durations));
    }
    const byUser = await usageBreakdown(range, "user");
    expect(byUser.reduce((a, r) => a + r.requests, 0)).toBe(580);
    const byModel = await usageBreakdown({ ...range, userId: "usr_c" }, "model");
    expect(byModel.reduce((a, r) => a + r.requests, 0)).toBe(Number((await raw("and user_id = ?", ["usr_c"])).n));
  });
});
