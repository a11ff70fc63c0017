/**
 * The production process (`node bin/start.js`) under SIGTERM: requests in flight finish, and every call that
 * reached the gateway is in model_calls afterwards, although records are written in batches.
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClient } from "@libsql/client";
import { afterAll, describe, expect, it } from "vitest";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ai-hub-shutdown-"));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const env = { ...process.env, HUB_DATA_DIR: dataDir, LOG_LEVEL: "info", PORT: "0", HOST: "127.0.0.1" };
const hub = (...args: string[]) =>
  execFileSync(process.execPath, ["bin/hub.js", ...args], { env, encoding: "utf8" }).trim();

describe("graceful shutdown", () => {
  it("drains requests in flight and loses no call record", async () => {
    hub("users", "create", "--email", "ops@example.com");
    const key = hub("keys", "create", "--user", "ops@example.com", "--name", "ops").split("\n").at(-1)!;
    hub("providers", "add", "--kind", "mock", "--name", "mock");

    const child = spawn(process.execPath, ["bin/start.js"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(out)), 90_000);
      child.stdout.on("data", () => {
        const m = /"msg":"AI Hub listening","url":"([^"]+)"/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });

    const post = (content: string, stream = false) =>
      fetch(`${url}/api/v2/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "mock/mock-chat", stream, messages: [{ role: "user", content }] }),
      });

    // 100 quick calls, then 5 slow streams that are still running when SIGTERM arrives.
    const quick = await Promise.all(Array.from({ length: 100 }, (_, i) => post(`quick ${i}`).then((r) => r.status)));
    expect(quick.every((s) => s === 200)).toBe(true);
    const slow = Array.from({ length: 5 }, (_, i) =>
      post(`[[delay=60]] slow stream number ${i} with several words to send`, true),
    );
    const responses = await Promise.all(slow);
    const bodies = responses.map((r) => r.text());
    child.kill("SIGTERM");
    const texts = await Promise.all(bodies);
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));

    expect(code, out).toBe(0);
    for (const text of texts) expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true); // drained, not cut

    const db = createClient({ url: `file:${path.join(dataDir, "hub.db")}`, timeout: 5_000 });
    const rows = (await db.execute("select status, count(*) as n from model_calls group by status")).rows;
    db.close();
    expect(Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]))).toEqual({ success: 105 });
  });
});
