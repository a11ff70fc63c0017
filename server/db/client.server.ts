/**
 * The database: one libSQL client per process. A local SQLite file (the default) runs in WAL mode with a busy
 * timeout so readers never block the writer; a libsql:// or http(s):// URL talks to a libSQL server when the hub
 * is scaled out. The same drizzle code runs on both.
 */
import fs from "node:fs";
import path from "node:path";
import { createClient, type Client, type ResultSet } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import * as schema from "../../drizzle/schema";
import { getEnv } from "../env.server";
import { cachePreparedStatements } from "./statement-cache.server";

export type Db = LibSQLDatabase<typeof schema>;
/** The database or a transaction on it: what shared functions accept so callers can compose transactions. */
export type Executor = BaseSQLiteDatabase<"async", ResultSet, typeof schema>;
export interface Database {
  client: Client;
  db: Db;
  url: string;
}

const BUSY_TIMEOUT_MS = 5_000;
const CONNECTIONS = 4;

export async function openDatabase(url: string, authToken?: string): Promise<Database> {
  const isFile = url.startsWith("file:");
  if (isFile) {
    fs.mkdirSync(path.dirname(sqliteFilePath(url)), { recursive: true });
    cachePreparedStatements();
  }
  const client = createClient({
    url,
    authToken,
    ...(isFile ? { timeout: BUSY_TIMEOUT_MS, concurrency: CONNECTIONS } : {}),
  });
  if (isFile) {
    // WAL is a property of the file and sticks; the busy timeout is set per connection by the client (`timeout`).
    await client.execute("PRAGMA journal_mode = WAL");
    // synchronous and foreign_keys are per connection, and the client's pool opens a connection whenever calls
    // overlap, up to CONNECTIONS: set them on every one. As many overlapping calls open them all now; left to the
    // defaults, every commit on the others was an fsync (synchronous=FULL), several milliseconds each, and the
    // call's final record now waits for its commit (docs/decisions/008-crash-safe-records.md).
    const settings = "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";
    await Promise.all(Array.from({ length: CONNECTIONS }, () => client.executeMultiple(settings)));
  }
  return { client, db: drizzle(client, { schema }), url };
}

/** "file:./data/hub.db", "file:/abs/hub.db" or "file:///abs/hub.db" → a filesystem path. */
export function sqliteFilePath(url: string): string {
  const rest = url.slice("file:".length).split("?")[0] ?? "";
  return path.resolve(rest.startsWith("//") ? rest.slice(2) : rest);
}

let current: Promise<Database> | undefined;

/** The process database from DATABASE_URL, opened on first use. */
export function getDatabase(): Promise<Database> {
  if (!current) {
    const env = getEnv();
    current = openDatabase(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN);
  }
  return current;
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

/** Close the process database (graceful shutdown, tests). */
export async function closeDatabase(): Promise<void> {
  const db = current;
  current = undefined;
  if (db) (await db).client.close();
}

/** Point the process at another database (tests). */
export function useDatabase(database: Database): void {
  current = Promise.resolve(database);
}
