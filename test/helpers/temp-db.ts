/**
 * A fresh, migrated SQLite database in a temporary data directory, wired in as the process database and
 * configuration. Call once per test file (vitest runs each file in its own process).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, useDatabase, closeDatabase, type Database } from "@server/db/client.server";
import { migrateDatabase } from "@server/db/migrate.server";
import { parseEnv, setEnvForProcess, type HubEnv } from "@server/env.server";
import { resetSecretBoxForTests } from "@server/crypto/secret-key.server";
import { setLogLevel } from "@server/log.server";

export interface TempHub {
  dir: string;
  env: HubEnv;
  database: Database;
  cleanup(): Promise<void>;
}

export async function createTempHub(extraEnv: Record<string, string> = {}): Promise<TempHub> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ai-hub-test-"));
  const env = parseEnv({ HUB_DATA_DIR: dir, LOG_LEVEL: "silent", PUBLIC_URL: "http://localhost:3999", ...extraEnv });
  setEnvForProcess(env);
  setLogLevel("silent");
  resetSecretBoxForTests();
  const database = await openDatabase(env.DATABASE_URL);
  await migrateDatabase(database);
  useDatabase(database);
  return {
    dir,
    env,
    database,
    async cleanup() {
      await closeDatabase();
      setEnvForProcess(undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
