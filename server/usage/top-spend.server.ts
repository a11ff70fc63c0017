/**
 * Who and what spent the most in a range of whole UTC days: users, access keys or models ranked by cost, from the
 * day rollups (a few thousand rows a month at most, whatever the number of calls). The dashboards' breakdowns
 * (./dashboard.server.ts) rank by requests and carry latency; this answers "where did the money go" alone.
 */
import { getDatabase } from "../db/client.server";

export type SpendBy = "user" | "key" | "model";

export interface SpendRow {
  /** The user id or access key id; for models the provider's model id. */
  key: string;
  /** For models: the provider it was called at (a model id may exist at several). */
  providerName: string | null;
  requests: number;
  failed: number;
  costMicro: number;
}

/** The rollup family and columns per ranking: one user is a row of day_user; keys and models need every dimension. */
const SHAPE: Record<SpendBy, { bucket: string; columns: string[] }> = {
  user: { bucket: "day_user", columns: ["user_id"] },
  key: { bucket: "day", columns: ["access_key_id"] },
  model: { bucket: "day", columns: ["provider_name", "model"] },
};

export async function topBySpend(range: { from: Date; to: Date }, by: SpendBy, limit = 5): Promise<SpendRow[]> {
  const { client } = await getDatabase();
  const { bucket, columns } = SHAPE[by];
  const dims = columns.join(", ");
  // Calls without the dimension (no key: signed-in Playground calls; no model: refused before routing) rank nowhere.
  const known = columns.map((c) => `${c} != ''`).join(" and ");
  const rs = await client.execute({
    sql: `select ${dims}, sum(requests) as requests, sum(failed) as failed, sum(cost_micro) as cost_micro from usage_rollups
      where bucket = ? and bucket_start >= ? and bucket_start < ? and ${known}
      group by ${dims} order by sum(cost_micro) desc, sum(requests) desc limit ?`,
    args: [bucket, range.from.getTime(), range.to.getTime(), limit],
  });
  return rs.rows.map((r) => ({
    key: String(r[columns.at(-1) ?? ""] ?? ""),
    providerName: by === "model" ? String(r.provider_name ?? "") : null,
    requests: Number(r.requests ?? 0),
    failed: Number(r.failed ?? 0),
    costMicro: Number(r.cost_micro ?? 0),
  }));
}
