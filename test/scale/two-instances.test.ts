/**
 * Scaled out for real: two production processes (`node bin/start.js`) on one database and one Redis, called in
 * turn. A per-minute quota counts the calls of both; credit holds taken by both never overdraw the shared balance;
 * and every call either instance served is in the shared call records.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClient, type Client } from "@libsql/client";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis, type TestRedis } from "@test/helpers/redis-server";
import { addPricedMockChat, createUserWithKey } from "@test/helpers/hub-process";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ai-hub-two-"));
let redis: TestRedis;
let db: Client;
const children: ChildProcess[] = [];
const urls: string[] = [];
let quotaKey: string;
let billedKey: string;

function startInstance(env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(process.execPath, ["bin/start.js"], { env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let out = "";
  child.stderr.on("data", (c: Buffer) => (out += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`instance did not start:\n${out}`)), 120_000);
    child.once("exit", (code) => reject(new Error(`instance exited with ${code}:\n${out}`)));
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /"msg":"AI Hub listening","url":"([^"]+)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
}

beforeAll(async () => {
  redis = await startRedis();
  const env = {
    ...process.env,
    HUB_DATA_DIR: dataDir,
    REDIS_URL: redis.url,
    LOG_LEVEL: "info",
    PORT: "0",
    HOST: "127.0.0.1",
  };
  addPricedMockChat(env);
  quotaKey = createUserWithKey(env, "quota@example.com");
  billedKey = createUserWithKey(env, "billed@example.com");
  // Waits for the write lock like the hub does: both instances write rollups and records at any moment.
  db = createClient({ url: `file:${path.join(dataDir, "hub.db")}`, timeout: 5_000 });
  const keyId = String(
    (
      await db.execute({
        sql: "select id from access_keys where user_id = (select id from users where email = ?)",
        args: ["quota@example.com"],
      })
    ).rows[0]!.id,
  );
  await db.execute({
    sql: "insert into quotas (id, scope, scope_id, requests_per_minute, created_at, updated_at) values ('quo_two', 'key', ?, 6, ?, ?)",
    args: [keyId, Date.now(), Date.now()],
  });
  // One after the other: the first start builds the app when needed, the second finds it built.
  urls.push(await startInstance(env));
  urls.push(await startInstance(env));
}, 300_000);

afterAll(async () => {
  for (const child of children) child.kill("SIGTERM");
  await Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once("exit", r)))));
  db?.close();
  await redis?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const chat = (url: string, key: string, body: Record<string, unknown> = {}) =>
  fetch(`${url}/api/v2/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({
      model: "mock/mock-chat",
      messages: [{ role: "user", content: "Hello from a scaled-out client" }],
      ...body,
    }),
  });

describe("two instances on one database and one Redis", () => {
  it("count a key's requests per minute together", async () => {
    const statuses: number[] = [];
    // Alternate between the instances: each alone would allow 6, together they allow 6.
    for (let i = 0; i < 10; i++) {
      const res = await chat(urls[i % 2]!, quotaKey);
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(6);
    expect(statuses.slice(6).every((s) => s === 429)).toBe(true);
  });

  it("never overdraw one balance from both: 20 parallel streams on credit for 5 holds get 5 through", async () => {
    await db.batch([
      {
        sql: "insert into settings (key, value, updated_at) values ('billingEnabled', 'true', ?) on conflict(key) do update set value = 'true'",
        args: [Date.now()],
      },
    ]);
    // Made behind the instances' backs: announce it the way an instance would, on the invalidation channel.
    const announcer = new Redis(redis.url);
    await announcer.publish("ai-hub:invalidate", JSON.stringify({ topic: "settings" }));
    announcer.disconnect();
    const userId = String(
      (await db.execute({ sql: "select id from users where email = ?", args: ["billed@example.com"] })).rows[0]!.id,
    );
    await db.execute({
      sql: "insert into credit_accounts (user_id, balance_micro, reserved_micro, initial_grant_done, updated_at) values (?, 100000000, 0, 1, ?) on conflict(user_id) do update set balance_micro = 100000000",
      args: [userId, Date.now()],
    });
    // Learn one call's hold, then leave exactly five holds' worth.
    const probe = {
      max_tokens: 100,
      stream: true,
      messages: [{ role: "user", content: "[[delay=500]] one two three four five six seven eight" }],
    };
    await expect
      .poll(
        async () => {
          const res = await chat(urls[0]!, billedKey, probe);
          await res.text();
          return (
            await db.execute({
              sql: "select count(*) as n from credit_ledger where user_id = ? and kind = 'reserve'",
              args: [userId],
            })
          ).rows[0]!.n;
        },
        { timeout: 15_000 },
      )
      .toBeGreaterThan(0);
    const hold = -Number(
      (
        await db.execute({
          sql: "select amount_micro from credit_ledger where user_id = ? and kind = 'reserve' order by created_at desc limit 1",
          args: [userId],
        })
      ).rows[0]!.amount_micro,
    );
    expect(hold).toBeGreaterThan(0);
    await db.execute({
      sql: "update credit_accounts set balance_micro = ? where user_id = ?",
      args: [hold * 5, userId],
    });

    // Each stream holds its credit for about 4 s (8 words, 500 ms apart): all 20 ask while the first 5 hold theirs.
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => chat(urls[i % 2]!, billedKey, probe)));
    const statuses = responses.map((r) => r.status);
    await Promise.all(responses.map((r) => r.text()));
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 402)).toHaveLength(15);
    const negative = await db.execute({
      sql: "select count(*) as n from credit_ledger where user_id = ? and balance_after_micro < 0",
      args: [userId],
    });
    expect(Number(negative.rows[0]!.n)).toBe(0);
  });

  it("both instances' calls are in the shared records", async () => {
    await expect
      .poll(
        async () =>
          (await db.execute("select count(distinct request_id) as n from model_calls where status != 'processing'"))
            .rows[0]!.n,
        { timeout: 10_000 },
      )
      .toBeGreaterThanOrEqual(6 + 5);
  });
});
