import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "./client.server";
import { migrateDatabase, migrationStatus } from "./migrate.server";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ai-hub-migrate-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("migrations on an empty database", () => {
  it("create every table of the data model, in WAL mode, and run idempotently", async () => {
    const database = await openDatabase(`file:${path.join(dir, "nested", "hub.db")}`);
    expect(await migrationStatus(database)).toMatchObject({ applied: 0 });
    await migrateDatabase(database);
    await migrateDatabase(database); // a second boot applies nothing new

    const tables = (await database.client.execute("select name from sqlite_master where type = 'table'")).rows.map(
      (r) => r.name,
    );
    for (const table of [
      "users",
      "sessions",
      "oauth_accounts",
      "setup_tokens",
      "access_keys",
      "connect_sessions",
      "providers",
      "credentials",
      "models",
      "model_aliases",
      "model_rates",
      "model_calls",
      "credit_accounts",
      "credit_ledger",
      "payments",
      "usage_rollups",
      "quotas",
      "ip_rules",
      "audit_log",
      "settings",
      "job_leases",
      "playground_conversations",
      "playground_messages",
    ]) {
      expect(tables).toContain(table);
    }
    const status = await migrationStatus(database);
    expect(status.applied).toBe(status.expected);
    expect(status.expected).toBeGreaterThan(0);

    const mode = await database.client.execute("pragma journal_mode");
    expect(String(mode.rows[0]?.journal_mode)).toBe("wal");
    const busy = await database.client.execute("pragma busy_timeout");
    expect(Number(Object.values(busy.rows[0]!)[0])).toBeGreaterThanOrEqual(1000);
    database.client.close();
  });

  it("stores money as integers", async () => {
    const database = await openDatabase(`file:${path.join(dir, "money.db")}`);
    await migrateDatabase(database);
    for (const [table, column] of [
      ["credit_ledger", "amount_micro"],
      ["credit_accounts", "balance_micro"],
      ["model_calls", "cost_micro"],
      ["model_rates", "input_per_million"],
    ]) {
      const cols = (await database.client.execute(`pragma table_info(${table})`)).rows;
      expect(cols.find((c) => c.name === column)?.type).toMatch(/^integer$/i);
    }
    database.client.close();
  });
});
