/**
 * Rebuild the usage rollups from the raw calls (after an import, a restore, or to check them): one write
 * transaction that empties the table and aggregates every finished call again, by hour and by day of its start.
 */
import { LATENCY_BUCKETS_MS } from "../../drizzle/schema/usage";
import { getDatabase } from "../db/client.server";

/** `sum(case ...)` per histogram bucket of a latency column, as the recorder counts them. */
function histogramSql(column: string): string {
  const bounds = [...LATENCY_BUCKETS_MS];
  return bounds
    .map((bound, i) => `sum(case when ${column} is not null and ${column} <= ${bound}${i ? ` and ${column} > ${bounds[i - 1]}` : ""} then 1 else 0 end)`)
    .concat(`sum(case when ${column} > ${bounds.at(-1)} then 1 else 0 end)`)
    .join(", ");
}
const histogramColumns = (prefix: string) => Array.from({ length: LATENCY_BUCKETS_MS.length + 1 }, (_, i) => `${prefix}_b${i}`).join(", ");

/** Grouping expressions per rollup family: every dimension, the user alone, or none. */
const FAMILIES = {
  "": ["coalesce(user_id, '')", "coalesce(access_key_id, '')", "coalesce(app_name, '')", "coalesce(provider_name, '')", "coalesce(model, '')"],
  _user: ["coalesce(user_id, '')", "''", "''", "''", "''"],
  _all: ["''", "''", "''", "''", "''"],
} as const;

const aggregate = (bucket: "hour" | "day", ms: number, family: keyof typeof FAMILIES) => `
  insert into usage_rollups (bucket, bucket_start, user_id, access_key_id, app_name, provider_name, model,
    requests, failed, input_tokens, output_tokens, cached_input_tokens, images, cost_micro, duration_ms_sum,
    ttft_ms_sum, ttft_count, ${histogramColumns("dur")}, ${histogramColumns("ttft")})
  select '${bucket}${family}', created_at - (created_at % ${ms}), ${FAMILIES[family].join(", ")},
    count(*), sum(case when status = 'success' then 0 else 1 end), coalesce(sum(input_tokens), 0),
    coalesce(sum(output_tokens), 0), coalesce(sum(cached_input_tokens), 0), coalesce(sum(images), 0),
    coalesce(sum(cost_micro), 0), coalesce(sum(duration_ms), 0), coalesce(sum(ttft_ms), 0), count(ttft_ms),
    ${histogramSql("duration_ms")}, ${histogramSql("ttft_ms")}
  from model_calls where status != 'processing'
  group by 2, 3, 4, 5, 6, 7`;

export async function rebuildRollups(): Promise<void> {
  const { client } = await getDatabase();
  const statements = (["", "_user", "_all"] as const).flatMap((family) => [aggregate("hour", 3_600_000, family), aggregate("day", 86_400_000, family)]);
  await client.batch(["delete from usage_rollups", ...statements], "write");
}
