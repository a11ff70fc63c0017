/**
 * Every pooled connection to a SQLite file runs with synchronous=NORMAL and foreign keys on, not only the first:
 * the client opens more connections whenever calls overlap.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "./client.server";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ai-hub-db-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the SQLite connection pool", () => {
  it("sets synchronous=NORMAL and foreign_keys=ON on every connection", async () => {
    const { client } = await openDatabase(`file:${path.join(dir, "hub.db")}`);
    // Overlapping calls spread over all the pool's connections.
    const sync = await Promise.all(Array.from({ length: 20 }, () => client.execute("PRAGMA synchronous")));
    const keys = await Promise.all(Array.from({ length: 20 }, () => client.execute("PRAGMA foreign_keys")));
    client.close();
    expect(sync.map((r) => Number(r.rows[0]!.synchronous))).toEqual(Array(20).fill(1));
    expect(keys.map((r) => Number(r.rows[0]!.foreign_keys))).toEqual(Array(20).fill(1));
  });
});
