import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { timestamp } from "./columns";

/**
 * One row per running hub process, beating every HUB_HEARTBEAT_MS. An instance whose beat is too old (or, on its
 * own host, whose process is gone) has stopped: a live instance closes its open calls and releases its credit
 * holds (server/instances/recover-instances.server.ts, docs/decisions/008-crash-safe-records.md).
 */
export const hubInstances = sqliteTable("hub_instances", {
  id: text("id").primaryKey(),
  host: text("host").notNull(),
  pid: integer("pid").notNull(),
  startedAt: timestamp("started_at").notNull(),
  beatAt: timestamp("beat_at").notNull(),
});
