/**
 * Calls a dead process left open reach the usage rollups exactly once, for real: the production process
 * (`node bin/start.js`) answers some calls and has streams in flight when it is killed (SIGKILL); the restart on the
 * same data directory closes those streams as aborted, "instance stopped" (docs/decisions/008-crash-safe-records.md)
 * and rolls them up with the calls whose rollups the dead process had not written yet. Then every rollup family's
 * totals equal the call records', and a second restart changes nothing.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClient, type Client } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addPricedMockChat, createUserWithKey, startHubProcess, type HubProcess } from "@test/helpers/hub-process";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ai-hub-recovered-usage-"));
const env = { ...process.env, HUB_DATA_DIR: dataDir, LOG_LEVEL: "info", PORT: "0", HOST: "127.0.0.1" };
const FAMILIES = ["hour", "day", "hour_user", "day_user", "hour_all", "day_all", "hour_model", "day_model"];
let db: Client;
let key: string;
let hub: HubProcess | undefined;

beforeAll(async () => {
  addPricedMockChat(env);
  key = createUserWithKey(env, "usage@example.com");
  db = createClient({ url: `file:${path.join(dataDir, "hub.db")}`, timeout: 5_000 });
}, 120_000);

afterAll(async () => {
  await hub?.stop();
  db?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const chat = (url: string, content: string, stream: boolean) =>
  fetch(`${url}/api/v2/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "mock/mock-chat", stream, max_tokens: 100, messages: [{ role: "user", content }] }),
  });

const TOTALS = `count(*) as requests, sum(status != 'success') as failed, coalesce(sum(input_tokens), 0) as inputTokens,
  coalesce(sum(output_tokens), 0) as outputTokens, coalesce(sum(cost_micro), 0) as costMicro,
  coalesce(sum(duration_ms), 0) as durationMs`;
const ROLLUP_TOTALS = `coalesce(sum(requests), 0) as requests, coalesce(sum(failed), 0) as failed,
  coalesce(sum(input_tokens), 0) as inputTokens, coalesce(sum(output_tokens), 0) as outputTokens,
  coalesce(sum(cost_micro), 0) as costMicro, coalesce(sum(duration_ms_sum), 0) as durationMs`;

async function totals(sql: string, args: string[] = []) {
  const row = (await db.execute({ sql, args })).rows[0]!;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
}

async function expectRollupsEqualRecords() {
  const records = await totals(`select ${TOTALS} from model_calls where status != 'processing'`);
  for (const family of FAMILIES)
    expect(await totals(`select ${ROLLUP_TOTALS} from usage_rollups where bucket = ?`, [family]), family).toEqual(
      records,
    );
  return records;
}

describe("calls closed by an instance recovery", () => {
  it("are in the usage rollups exactly once, like every other finished call", async () => {
    hub = await startHubProcess(env);
    for (let i = 0; i < 6; i++) expect((await chat(hub.url, `a quick call ${i}`, i % 2 === 0)).status).toBe(200);
    const streams = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        chat(hub!.url, `[[delay=500]] a slow stream ${i} that outlives its hub`, true),
      ),
    );
    // Each stream has begun (its processing record is written) before the kill.
    const readers = streams.map((s) => s.body!.getReader());
    for (const reader of readers) await reader.read();
    await expect
      .poll(async () => (await totals("select count(*) as n from model_calls where status = 'processing'")).n)
      .toBe(4);
    await hub.kill9();
    await Promise.all(readers.map((r) => r.read().catch(() => undefined)));

    // The restart closes the dead process's streams before it serves, and rolls them up.
    hub = await startHubProcess(env);
    const closed = await totals(
      "select count(*) as n, sum(rolled_up) as rolled from model_calls where error_code = 'instance_stopped'",
    );
    expect(closed).toEqual({ n: 4, rolled: 4 });
    const records = await expectRollupsEqualRecords();
    expect(records).toMatchObject({ requests: 10, failed: 4 });
    expect(records.costMicro).toBeGreaterThan(0);

    // Nothing is counted twice by a later sweep or recovery.
    await hub.stop();
    hub = await startHubProcess(env);
    expect(await expectRollupsEqualRecords()).toEqual(records);
  }, 300_000);
});
