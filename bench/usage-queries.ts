/**
 * `npm run bench:usage`: times each dashboard query (server/usage/dashboard.server.ts) on the configured
 * database, for the whole hub and for one user, over the last 30 days by day and by hour and the last 24 hours;
 * and the admin home's whole load (server/admin/home.server.ts), which must stay under 300 ms at a million calls.
 * Seed first: `HUB_DATA_DIR=/tmp/usage npm run seed:usage -- --rows 1000000`, then the same env here.
 */
import { getAdminHome } from "../server/admin/home.server";
import { getDatabase } from "../server/db/client.server";
import { usageBreakdown, usageSeries, usageTotals, type UsageFilters } from "../server/usage/dashboard.server";

async function time(label: string, run: () => Promise<unknown>) {
  await run(); // warm the page cache
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(`${label.padEnd(48)} median ${times[2]!.toFixed(1)} ms, max ${times[4]!.toFixed(1)} ms`);
  return times[2]!;
}

async function main() {
  const { client } = await getDatabase();
  const calls = Number((await client.execute("select count(*) as n from model_calls")).rows[0]!.n);
  const topUser = String((await client.execute("select user_id from usage_rollups where bucket = 'day' group by user_id order by sum(requests) desc limit 1")).rows[0]!.user_id);
  console.log(`${calls} calls in model_calls`);
  const day = 86_400_000;
  const today = Date.now() - (Date.now() % day) + day;
  const month: UsageFilters = { from: new Date(today - 30 * day), to: new Date(today) };
  const hour = 3_600_000;
  const nowHour = Date.now() - (Date.now() % hour) + hour;
  const last24h: UsageFilters = { from: new Date(nowHour - 24 * hour), to: new Date(nowHour) };
  const results: Record<string, number> = {};
  for (const [scope, extra] of [["all users", {}], ["one user", { userId: topUser }]] as const) {
    const m = { ...month, ...extra };
    results[`${scope}: totals 30 d`] = await time(`${scope}: totals, 30 days`, () => usageTotals(m));
    results[`${scope}: series 30 d by day`] = await time(`${scope}: series, 30 days by day`, () => usageSeries(m, "day"));
    results[`${scope}: series 30 d by hour`] = await time(`${scope}: series, 30 days by hour`, () => usageSeries(m, "hour"));
    results[`${scope}: series 24 h by hour`] = await time(`${scope}: series, 24 hours by hour`, () => usageSeries({ ...last24h, ...extra }, "hour"));
    for (const by of ["model", "provider", "user", "key", "app"] as const) {
      results[`${scope}: by ${by}`] = await time(`${scope}: breakdown by ${by}, 30 days`, () => usageBreakdown(m, by));
    }
  }
  const worst = Math.max(...Object.values(results));
  console.log(`slowest dashboard query: ${worst.toFixed(1)} ms`);
  const home = await time("admin home: everything /admin shows", () => getAdminHome());
  console.log(`admin home: ${home.toFixed(1)} ms (budget 300 ms)`);
  client.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
