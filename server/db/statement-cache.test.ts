import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "./client.server";
import { statementCacheStats } from "./statement-cache.server";

/**
 * The prepared-statement cache under @libsql/client (./statement-cache.server.ts): the same SQL reused with other
 * arguments, after a failure, inside transactions and across a schema change must behave as freshly prepared.
 */
describe("prepared statements reused per connection", () => {
  let dir: string;
  let database: Database;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hub-stmt-cache-"));
    database = await openDatabase(`file:${path.join(dir, "t.db")}`);
    await database.client.execute("create table t (id integer primary key, name text not null unique)");
  });

  afterEach(() => {
    database.client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const insert = "insert into t (id, name) values (?, ?)";
  const byId = "select name from t where id = ?";

  it("binds each execution's own arguments, for writes and reads", async () => {
    const { client } = database;
    for (let i = 1; i <= 5; i++) {
      const r = await client.execute({ sql: insert, args: [i, `n${i}`] });
      expect(r.rowsAffected).toBe(1);
      expect(Number(r.lastInsertRowid)).toBe(i);
    }
    for (let i = 5; i >= 1; i--) {
      const r = await client.execute({ sql: byId, args: [i] });
      expect(r.rows.map((row) => row.name)).toEqual([`n${i}`]);
    }
    expect((await client.execute({ sql: byId, args: [99] })).rows).toEqual([]);
  });

  it("compiles a repeated statement once per connection", async () => {
    const { client } = database;
    await client.execute({ sql: byId, args: [1] });
    const before = { ...statementCacheStats };
    for (let i = 0; i < 20; i++) await client.execute({ sql: byId, args: [i] });
    expect(statementCacheStats.prepared - before.prepared).toBe(0);
    expect(statementCacheStats.reused - before.reused).toBe(20);
  });

  it("is usable again after a statement failed", async () => {
    const { client } = database;
    await client.execute({ sql: insert, args: [1, "a"] });
    await expect(client.execute({ sql: insert, args: [2, "a"] })).rejects.toThrow(/UNIQUE/);
    await client.execute({ sql: insert, args: [2, "b"] });
    const all = await client.execute("select id, name from t order by id");
    expect(all.rows.map((r) => [Number(r.id), r.name])).toEqual([
      [1, "a"],
      [2, "b"],
    ]);
  });

  it("keeps batches and interactive transactions atomic", async () => {
    const { client } = database;
    await client.batch([{ sql: insert, args: [1, "a"] }], "write");
    await expect(
      client.batch(
        [
          { sql: insert, args: [2, "b"] },
          { sql: insert, args: [3, "a"] },
        ],
        "write",
      ),
    ).rejects.toThrow(/UNIQUE/);
    const tx = await client.transaction("write");
    await tx.execute({ sql: insert, args: [4, "d"] });
    await tx.rollback();
    const tx2 = await client.transaction("write");
    await tx2.execute({ sql: insert, args: [5, "e"] });
    await tx2.commit();
    const ids = await client.execute("select id from t order by id");
    expect(ids.rows.map((r) => Number(r.id))).toEqual([1, 5]);
  });

  it("sees a schema change made after the statement was cached", async () => {
    const { client } = database;
    await client.execute({ sql: insert, args: [1, "a"] });
    const star = "select * from t where id = ?";
    expect(Object.keys((await client.execute({ sql: star, args: [1] })).rows[0] ?? {})).toEqual(["id", "name"]);
    await client.execute("alter table t add column note text default 'x'");
    const after = await client.execute({ sql: star, args: [1] });
    expect(after.columns).toEqual(["id", "name", "note"]);
    expect(after.rows[0]?.note).toBe("x");
  });

  it("tells reads from writes the way the client expects (rows for reads, counts for writes)", async () => {
    const { client } = database;
    const write = await client.execute({ sql: insert, args: [1, "a"] });
    expect(write.columns).toEqual([]);
    const again = await client.execute({ sql: "insert into t (id, name) values (?, ?) returning id", args: [2, "b"] });
    expect(again.rows.map((r) => Number(r.id))).toEqual([2]);
    const again2 = await client.execute({ sql: "insert into t (id, name) values (?, ?) returning id", args: [3, "c"] });
    expect(again2.rows.map((r) => Number(r.id))).toEqual([3]);
  });
});
