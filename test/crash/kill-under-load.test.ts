/**
 * kill -9 under load, for real: the production process (`node bin/start.js`) on a temporary data directory, a fake
 * OpenAI upstream, a user with credit and billing on, a few dozen clients sending short calls (plain and streamed)
 * without pause, and SIGKILL at a (seeded) random moment; then a restart on the same data directory, and again.
 * After each crash and restart:
 * - every call whose client got a complete 200 answer has its final success record, with the cost it was told;
 * - the ledger's charges equal the records' costs, and initial credit − Σ record costs = balance, to the micro-credit;
 * - nothing is held and no call is left `processing` (the restart closed what the dead process left open).
 * Then the same with billing off, where final records commit after their answers through the call journal.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClient, type Client } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOpenAI } from "@test/fake-upstreams/openai";
import type { FakeUpstream } from "@test/fake-upstreams/server";
import { hubCli, startHubProcess, type HubProcess } from "@test/helpers/hub-process";
import { seededRandom } from "@test/helpers/seeded-random";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ai-hub-kill9-"));
const env = { ...process.env, HUB_DATA_DIR: dataDir, LOG_LEVEL: "info", PORT: "0", HOST: "127.0.0.1" };
const CREDIT_MICRO = 1_000_000_000; // 1,000 credits
const CLIENTS = 32;
const ROUNDS = 3;

let upstream: FakeUpstream;
let db: Client;
let key: string;
let userId: string;
let hub: HubProcess | undefined;

beforeAll(async () => {
  upstream = await startFakeOpenAI({ reply: "A short answer in a few streamed pieces.", latencyMs: 2 });
  hubCli(
    env,
    "providers",
    "add",
    "--kind",
    "openai",
    "--name",
    "up",
    "--base-url",
    `${upstream.url}/v1`,
    "--api-key",
    "sk-test",
  );
  // $1,000 / $2,000 per million tokens: every call costs a visible number of micro-credits.
  hubCli(
    env,
    "models",
    "add",
    "--provider",
    "up",
    "--model",
    "gpt-4o-mini",
    "--input-rate",
    "1000",
    "--output-rate",
    "2000",
  );
  hubCli(env, "users", "create", "--email", "load@example.com");
  key = hubCli(env, "keys", "create", "--user", "load@example.com", "--name", "load").split("\n").at(-1)!;
  hubCli(env, "credits", "grant", "--user", "load@example.com", "--amount", String(CREDIT_MICRO / 1e6));
  db = createClient({ url: `file:${path.join(dataDir, "hub.db")}`, timeout: 5_000 });
  userId = String(
    (await db.execute({ sql: "select id from users where email = ?", args: ["load@example.com"] })).rows[0]!.id,
  );
  await db.execute({
    sql: "insert into settings (key, value, updated_at) values ('billingEnabled', 'true', ?) on conflict(key) do update set value = 'true'",
    args: [Date.now()],
  });
}, 60_000);

afterAll(async () => {
  await hub?.stop();
  db?.close();
  await upstream?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

interface Completed {
  requestId: string;
  /** The cost the client was told, in micro-credits. */
  costMicro: number;
}

/** One call; its hub request id and told cost when the client got the complete answer, else null. */
async function call(url: string, n: number): Promise<Completed | null> {
  const stream = n % 2 === 1;
  const res = await fetch(`${url}/api/v2/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({
      model: "up/gpt-4o-mini",
      max_tokens: 50,
      messages: [{ role: "user", content: `short call ${n}` }],
      ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    }),
  });
  const text = await res.text();
  const requestId = res.headers.get("x-request-id");
  if (res.status !== 200 || !requestId) return null;
  if (!stream)
    return { requestId, costMicro: Math.round((JSON.parse(text) as { usage: { cost: number } }).usage.cost * 1e6) };
  if (!text.trimEnd().endsWith("data: [DONE]")) return null;
  const usage = /"usage":\{[^}]*"cost":([0-9.e-]+)/.exec(text);
  return usage ? { requestId, costMicro: Math.round(Number(usage[1]) * 1e6) } : null;
}

/** Clients calling without pause until the hub dies; the calls they saw complete. */
function load(url: string): { stop(): void; seen(): number; done: Promise<Completed[]> } {
  let stopped = false;
  let n = 0;
  const completed: Completed[] = [];
  const client = async () => {
    while (!stopped) {
      const result = await call(url, n++).catch(() => null); // calls cut by the kill fail: only answers are checked
      if (result) completed.push(result);
    }
  };
  const done = Promise.all(Array.from({ length: CLIENTS }, client)).then(() => completed);
  return { stop: () => (stopped = true), seen: () => completed.length, done };
}

const one = async (sql: string, args: Array<string | number> = []) => (await db.execute({ sql, args })).rows[0]!;

describe("kill -9 under load", () => {
  /**
   * ROUNDS times: load, kill -9 at a random moment, restart on the same data directory (which closes what the dead
   * process left open before it serves); then every call whose client got a complete answer has its success record
   * with the cost it was told, nothing is left `processing`, and `check` holds.
   */
  async function killRounds(seed: number, check: () => Promise<void>): Promise<Completed[]> {
    const random = seededRandom(seed);
    const completed: Completed[] = [];
    hub = await startHubProcess(env);
    for (let round = 0; round < ROUNDS; round++) {
      const running = load(hub.url);
      // Wait for some answers, then kill at a random moment 0–400 ms later.
      await expect.poll(() => running.seen(), { timeout: 60_000 }).toBeGreaterThanOrEqual(40);
      await new Promise((r) => setTimeout(r, Math.floor(random() * 400)));
      await hub.kill9();
      running.stop();
      completed.push(...(await running.done));
      hub = await startHubProcess(env);

      const rows = (
        await db.execute({
          sql: "select request_id, status, cost_micro from model_calls where user_id = ?",
          args: [userId],
        })
      ).rows;
      const byRequest = new Map(rows.map((r) => [String(r.request_id), r]));
      const missing = completed.filter((c) => {
        const row = byRequest.get(c.requestId);
        return !row || row.status !== "success" || Number(row.cost_micro) !== c.costMicro;
      });
      expect(missing, `round ${round}: ${completed.length} completed calls`).toEqual([]);
      expect(rows.filter((r) => r.status === "processing")).toEqual([]);
      await check();
    }
    await hub.stop();
    hub = undefined;
    return completed;
  }

  it("loses no record and no charge: every completed call is recorded with its cost, and the books reconcile", async () => {
    const completed = await killRounds(13, async () => {
      const costs = Number(
        (await one("select coalesce(sum(cost_micro), 0) as s from model_calls where user_id = ?", [userId])).s,
      );
      const settled =
        "select coalesce(sum(amount_micro), 0) as s from credit_ledger where user_id = ? and kind = 'settle'";
      const charged = -Number((await one(settled, [userId])).s);
      const account = await one("select balance_micro, reserved_micro from credit_accounts where user_id = ?", [
        userId,
      ]);
      const ledger = Number(
        (await one("select sum(amount_micro) as s from credit_ledger where user_id = ?", [userId])).s,
      );
      const holds = Number((await one("select count(*) as n from credit_holds")).n);
      expect({
        charged,
        balance: Number(account.balance_micro),
        ledger,
        reserved: Number(account.reserved_micro),
        holds,
      }).toEqual({
        charged: costs,
        balance: CREDIT_MICRO - costs,
        ledger: CREDIT_MICRO - costs,
        reserved: 0,
        holds: 0,
      });
      expect(costs).toBeGreaterThan(0);
    });
    expect(completed.length).toBeGreaterThanOrEqual(ROUNDS * 40);
  }, 600_000);

  // Without a charge to settle, final records go through the call journal and commit after the answer
  // (docs/decisions/020-call-journal.md): a kill between the two must lose none of them either.
  it("loses no record with billing off, where records commit after their answers through the journal", async () => {
    await db.execute("update settings set value = 'false' where key = 'billingEnabled'");
    const completed = await killRounds(29, async () => {
      const unrolled = await one(
        "select count(*) as n from model_calls where rolled_up = 0 and status != 'processing'",
      );
      expect(Number(unrolled.n)).toBe(0);
    });
    expect(completed.length).toBeGreaterThanOrEqual(ROUNDS * 40);
  }, 600_000);
});
