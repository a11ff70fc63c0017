/**
 * Two real instances (`node bin/start.js`) on one SQLite database with a short heartbeat: one is killed (SIGKILL)
 * with a stream in flight; the other closes that call as aborted, "instance stopped", and releases its credit hold,
 * uncharged, within the heartbeat window, while its own stream runs to the end undisturbed.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClient, type Client } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addPricedMockChat,
  createUserWithKey,
  hubCli,
  startHubProcess,
  type HubProcess,
} from "@test/helpers/hub-process";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ai-hub-instances-"));
const HEARTBEAT_MS = 300;
const env = {
  ...process.env,
  HUB_DATA_DIR: dataDir,
  LOG_LEVEL: "info",
  PORT: "0",
  HOST: "127.0.0.1",
  HUB_HEARTBEAT_MS: String(HEARTBEAT_MS),
};
const CREDIT_MICRO = 100_000_000;
let db: Client;
let key: string;
let userId: string;
const hubs: HubProcess[] = [];

beforeAll(async () => {
  addPricedMockChat(env);
  key = createUserWithKey(env, "streams@example.com");
  hubCli(env, "credits", "grant", "--user", "streams@example.com", "--amount", String(CREDIT_MICRO / 1e6));
  db = createClient({ url: `file:${path.join(dataDir, "hub.db")}`, timeout: 5_000 });
  userId = String(
    (await db.execute({ sql: "select id from users where email = ?", args: ["streams@example.com"] })).rows[0]!.id,
  );
  await db.execute({
    sql: "insert into settings (key, value, updated_at) values ('billingEnabled', 'true', ?) on conflict(key) do update set value = 'true'",
    args: [Date.now()],
  });
  hubs.push(await startHubProcess(env));
  hubs.push(await startHubProcess(env));
}, 300_000);

afterAll(async () => {
  await Promise.all(hubs.map((h) => (h.child.exitCode === null && h.child.signalCode === null ? h.stop() : null)));
  db?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const stream = (url: string, requestId: string) =>
  fetch(`${url}/api/v2/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "x-request-id": requestId },
    body: JSON.stringify({
      model: "mock/mock-chat",
      stream: true,
      max_tokens: 100,
      messages: [{ role: "user", content: "[[delay=250]] one two three four five six seven eight" }],
    }),
  });

const callOf = async (clientRequestId: string) =>
  (await db.execute({ sql: "select * from model_calls where client_request_id = ?", args: [clientRequestId] })).rows[0];

describe("an instance that stops", () => {
  it("has its stream closed as aborted, 'instance stopped', and its hold released by the other instance", async () => {
    const [doomed, survivor] = hubs as [HubProcess, HubProcess];
    const dying = await stream(doomed.url, "dies-with-its-instance");
    const living = await stream(survivor.url, "lives-on");
    const reader = dying.body!.getReader();
    await reader.read(); // the stream has begun: its hold and its processing record are written
    const held = (
      await db.execute({ sql: "select amount_micro, instance_id from credit_holds where user_id = ?", args: [userId] })
    ).rows;
    expect(held).toHaveLength(2);
    const doomedCall = await callOf("dies-with-its-instance");
    expect(doomedCall).toMatchObject({ status: "processing" });
    const doomedInstance = String(doomedCall!.instance_id);
    expect(held.map((h) => h.instance_id)).toContain(doomedInstance);

    await doomed.kill9();
    await reader.read().catch(() => undefined); // the stream dies with its instance, which is the point

    await expect
      .poll(async () => (await callOf("dies-with-its-instance"))?.status, { timeout: 60_000, interval: 100 })
      .toBe("aborted");
    expect(await callOf("dies-with-its-instance")).toMatchObject({ error_code: "instance_stopped", cost_micro: null });
    const holds = (
      await db.execute({ sql: "select instance_id from credit_holds where instance_id = ?", args: [doomedInstance] })
    ).rows;
    expect(holds).toEqual([]);
    const releases = "select amount_micro, reason from credit_ledger where kind = 'release' and reference = ?";
    const release = (await db.execute({ sql: releases, args: [String(doomedCall!.id)] })).rows;
    expect(release).toHaveLength(1);
    expect(String(release[0]!.reason)).toContain("instance stopped");
    expect(
      (await db.execute({ sql: "select id from hub_instances where id = ?", args: [doomedInstance] })).rows,
    ).toEqual([]);

    // The survivor's own stream was not touched, and it settled normally.
    expect((await living.text()).trimEnd().endsWith("data: [DONE]")).toBe(true);
    await expect.poll(async () => (await callOf("lives-on"))?.status, { timeout: 10_000 }).toBe("success");
    const survived = await callOf("lives-on");
    expect(Number(survived!.cost_micro)).toBeGreaterThan(0);
    const accounts = "select balance_micro, reserved_micro from credit_accounts where user_id = ?";
    const account = (await db.execute({ sql: accounts, args: [userId] })).rows[0]!;
    expect({ balance: Number(account.balance_micro), reserved: Number(account.reserved_micro) }).toEqual({
      balance: CREDIT_MICRO - Number(survived!.cost_micro),
      reserved: 0,
    });
  }, 120_000);
});
