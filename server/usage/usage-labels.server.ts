/** Readable names for the ids in breakdowns and filter menus: user emails and access key names. */
import { inArray } from "drizzle-orm";
import { accessKeys, users } from "../../drizzle/schema";
import { getDb } from "../db/client.server";
import type { BreakdownBy } from "./dashboard.server";

export async function labelsFor(by: BreakdownBy, ids: string[]): Promise<Map<string, string>> {
  const wanted = ids.filter(Boolean);
  if (!wanted.length || (by !== "user" && by !== "key")) return new Map();
  const db = await getDb();
  if (by === "user") {
    const rows = await db.select({ id: users.id, label: users.email }).from(users).where(inArray(users.id, wanted));
    return new Map(rows.map((r) => [r.id, r.label]));
  }
  const rows = await db
    .select({ id: accessKeys.id, label: accessKeys.name })
    .from(accessKeys)
    .where(inArray(accessKeys.id, wanted));
  return new Map(rows.map((r) => [r.id, r.label]));
}
