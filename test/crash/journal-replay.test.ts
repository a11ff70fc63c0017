/**
 * The call journal across a real kill -9 (docs/decisions/020-call-journal.md). The production process runs with
 * HUB_CALL_JOURNAL=journal-only, which keeps finished calls' records in the journal and never commits them: the
 * state a SIGKILL leaves for a call between its answer and its commit, held for as long as the test needs. After the
 * kill, a restart on the same data directory commits them before it serves: every call whose client got a complete
 * answer has its success record with its tokens, counted once in the usage, and the dead process's journal is gone.
 * A graceful stop commits everything and leaves no journal behind.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClient, type Client } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOpenAI } from "@test/fake-upstreams/openai";
import type { FakeUpstream } from "@test/fake-upstreams/server";
import { createUserWithKey, hubCli, startHubProcess, type HubProcess } from "@test/helpers/hub-process";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ai-hub-journal-"));
const journalDir = path.join(dataDir, "hub.db-calls");
const env = { ...process.env, HUB_DATA_DIR: dataDir, LOG_LEVEL: "info", PORT: "0", HOST: "127.0.0.1" };

let upstream: FakeUpstream;
let db: Client;
let key: string;
let hub: HubProcess | undefined;

beforeAll(async () => {
  upstream = await startFakeOpenAI({ reply: "Four words, then done." });
  hubCli(env, "providers", "add", "--kind", "openai", "--name", "up", "--base-url", `${upstream.url}/v1`, "--api-key", "sk-test"); // prettier-ignore
  hubCli(env, "models", "add", "--provider", "up", "--model", "gpt-4o-mini", "--input-rate", "1", "--output-rate", "2"); // prettier-ignore
  key = createUserWithKey(env, "journal@example.com");
  db = createClient({ url: `file:${path.join(dataDir, "hub.db")}`, timeout: 5_000 });
}, 60_000);

afterAll(async () => {
  await hub?.stop();
  db?.close();
  await upstream?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A complete call: its hub request id and the output tokens its answer reported. */
async function call(url: string, stream: boolean): Promise<{ requestId: string; outputTokens: number }> {
  const res = await fetch(`${url}/api/v2/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({
      model: "up/gpt-4o-mini",
      messages: [{ role: "user", content: "Say four words." }],
      ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    }),
  });
  const text = await res.text();
  expect(res.status).toBe(200);
  if (stream) expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
  const usage = stream
    ? (JSON.parse(/data: (\{.*"usage":\{"prompt.*)\n/.exec(text)![1]!) as { usage: { completion_tokens: number } })
    : (JSON.parse(text) as { usage: { completion_tokens: number } });
  return { requestId: res.headers.get("x-request-id")!, outputTokens: usage.usage.completion_tokens };
}

async function records(requestIds: string[]) {
  const rows = (
    await db.execute({
      sql: `select request_id, status, output_tokens, rolled_up from model_calls
            where request_id in (${requestIds.map(() => "?").join(", ")})`,
      args: requestIds,
    })
  ).rows;
  return new Map(rows.map((r) => [String(r.request_id), r]));
}

const journalFiles = () => (fs.existsSync(journalDir) ? fs.readdirSync(journalDir) : []);
const requestsCounted = async () =>
  Number(
    (await db.execute("select coalesce(sum(requests), 0) as n from usage_rollups where bucket = 'hour_all'")).rows[0]!
      .n,
  );

describe("the call journal across kill -9", () => {
  it("commits the answered calls a killed process had only journaled, once, before the restart serves", async () => {
    hub = await startHubProcess({ ...env, HUB_CALL_JOURNAL: "journal-only" });
    const calls = [];
    for (let i = 0; i < 6; i++) calls.push(await call(hub.url, i % 2 === 1));
    const countedBefore = await requestsCounted();
    // Answered, and only in the journal.
    const before = await records(calls.map((c) => c.requestId));
    expect(calls.filter((c) => before.get(c.requestId)?.status === "success")).toEqual([]);
    expect(journalFiles()).toHaveLength(1);
    const lines = fs.readFileSync(path.join(journalDir, journalFiles()[0]!), "utf8").trim().split("\n");
    expect(lines).toHaveLength(6);

    await hub.kill9();
    hub = await startHubProcess(env);

    const after = await records(calls.map((c) => c.requestId));
    for (const c of calls) {
      expect(after.get(c.requestId), c.requestId).toMatchObject({
        status: "success",
        output_tokens: c.outputTokens,
        rolled_up: 1,
      });
    }
    expect(await requestsCounted()).toBe(countedBefore + 6);
    // The dead process's journal is gone; the new process has its own, empty.
    expect(journalFiles()).toHaveLength(1);
    expect(fs.readFileSync(path.join(journalDir, journalFiles()[0]!), "utf8")).toBe("");

    // A graceful stop commits what it answered and removes its journal.
    const more = [await call(hub.url, false), await call(hub.url, true)];
    expect(await hub.stop()).toBe(0);
    hub = undefined;
    const stopped = await records(more.map((c) => c.requestId));
    for (const c of more) expect(stopped.get(c.requestId)).toMatchObject({ status: "success", rolled_up: 1 });
    expect(journalFiles()).toEqual([]);
    expect(await requestsCounted()).toBe(countedBefore + 8);
  }, 300_000);
});
