/**
 * Applies the committed drizzle-kit migrations (drizzle/migrations). Run at every boot and by
 * `npm run db:migrate`; drizzle records what ran in __drizzle_migrations, so this is idempotent.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/libsql/migrator";
import type { Database } from "./client.server";

/** Found by walking up from this module, so it works from the sources, the build and the installed bin. */
export function findMigrationsFolder(start = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = start;
  for (;;) {
    const candidate = path.join(dir, "drizzle", "migrations");
    if (fs.existsSync(path.join(candidate, "meta", "_journal.json"))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("drizzle/migrations not found above " + start);
    dir = parent;
  }
}

export async function migrateDatabase(database: Database): Promise<void> {
  await migrate(database.db, { migrationsFolder: findMigrationsFolder() });
}

/** Names of the migrations in the folder, and whether each has been applied (for /readyz). */
export async function migrationStatus(database: Database): Promise<{ expected: number; applied: number }> {
  const journal = JSON.parse(fs.readFileSync(path.join(findMigrationsFolder(), "meta", "_journal.json"), "utf8")) as {
    entries: unknown[];
  };
  let applied: number;
  try {
    const rs = await database.client.execute("select count(*) as n from __drizzle_migrations");
    applied = Number(rs.rows[0]?.n ?? 0);
  } catch {
    applied = 0; // no migrations table: a database that has never been migrated
  }
  return { expected: journal.entries.length, applied };
}
