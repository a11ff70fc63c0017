/**
 * Writes owner settings straight into the `settings` table and drops the settings cache. (updateSettings would
 * do, but with zod 4 its `.partial()` schema fills in every default, writing a null paymentLink into a NOT NULL
 * column; reported, and not this test's subject.)
 */
import { settings } from "@drizzle/schema";
import { publish } from "@server/cache/invalidation.server";
import { getDb } from "@server/db/client.server";
import type { HubSettings } from "@server/settings/settings.server";

export async function setSettings(patch: Partial<HubSettings>): Promise<void> {
  const db = await getDb();
  for (const [key, value] of Object.entries(patch)) {
    await db.insert(settings).values({ key, value }).onConflictDoUpdate({ target: settings.key, set: { value } });
  }
  publish("settings");
}
