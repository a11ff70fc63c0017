/**
 * `npm run bench:usage`: times each dashboard query (server/usage/dashboard.server.ts) on the configured
 * database, for the whole hub and for one user, over the last 30 days (whole days, and ending at the next hour as
 * the pages ask) by day and by hour and the last 24 hours; the call log's first page and filtered pages
 * (server/usage/call-log.server.ts); and the calls CSV export through its real route function, in rows per second
 * and memory. Seed first: `HUB_DATA_DIR=/tmp/usage npm run seed:usage -- --rows 1000000`, then the same env here.
 * Times are wall clock: on a shared machine, run it when it is quiet, or read the CPU time printed beside them.
 * `-- --export model` exports only one model's and one provider's calls (a quicker run), `--export none` skips the
 * exports.
 */
import { parseArgs } from "node:util";
import { CLI_ACTOR } from "../server/audit/audit.server";
import { createUserSession } from "../server/auth/session.server";
import { createUser, getUserByEmail } from "../server/auth/users.server";
import { getAdminHome } from "../server/admin/home.server";
import { getDatabase } from "../server/db/client.server";
import { listCalls, type CallFilters } from "../server/usage/call-log.server";
import { usageBreakdown, usageSeries, usageTotals, type UsageFilters } from "../server/usage/dashboard.server";
import { exportCallsResponse } from "../server/usage/usage-export.server";

async function time(label: string, run: () => Promise<unknown>) {
  await run(); // warm the page cache
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await run();
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(58)} median ${times[2]!.toFixed(1).padStart(6)} ms, max ${times[4]!.toFixed(1).padStart(6)} ms (cpu median ${cpu[2]!.toFixed(1)} ms)`,
  );
  return times[2]!;
}

async function exportRate(cookie: string, query: string) {
  const request = new Request(`http://localhost/api/usage/export/calls?${query}`, { headers: { cookie } });
  const heap0 = process.memoryUsage().heapUsed;
  let peakHeap = heap0;
  const rss0 = process.memoryUsage().rss;
  let peakRss = rss0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const response = await exportCallsResponse(request);
  const reader = response.body!.getReader();
  let lines = 0;
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
    for (const b of value) if (b === 10) lines++;
    const m = process.memoryUsage();
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
    if (m.rss > peakRss) peakRss = m.rss;
  }
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const rows = lines - 1;
  console.log(
    `calls CSV (${query.replace(/from=\d+&to=\d+&?/, "") || "everyone, 30 days"}): ${rows} rows, ${(bytes / 2 ** 20).toFixed(0)} MiB in ${seconds.toFixed(1)} s = ` +
      `${Math.round(rows / seconds)} rows/s (cpu ${((c.user + c.system) / 1e6).toFixed(1)} s); heap grew at most ` +
      `${((peakHeap - heap0) / 2 ** 20).toFixed(0)} MiB; rss ${(rss0 / 2 ** 20).toFixed(0)} MiB before, ` +
      `peak ${(peakRss / 2 ** 20).toFixed(0)}, after ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
  );
  return rows / seconds;
}

async function main() {
  const { client } = await getDatabase();
  const calls = Number((await client.execute("select count(*) as n from model_calls")).rows[0]!.n);
  const topUser = String(
    (
      await client.execute(
        "select user_id from usage_rollups where bucket = 'day_user' group by user_id order by sum(requests) desc limit 1",
      )
    ).rows[0]!.user_id,
  );
  const someModel = String(
    (
      await client.execute(
        "select model from usage_rollups where bucket = 'day' group by model order by sum(requests) desc limit 1",
      )
    ).rows[0]!.model,
  );
  const someKey = String(
    (
      await client.execute("select access_key_id from usage_rollups where bucket = 'day' and user_id = ? limit 1", [
        topUser,
      ])
    ).rows[0]!.access_key_id,
  );
  console.log(`${calls} calls in model_calls`);
  const day = 86_400_000;
  const hour = 3_600_000;
  const today = Date.now() - (Date.now() % day) + day;
  const nowHour = Date.now() - (Date.now() % hour) + hour;
  const month: UsageFilters = { from: new Date(today - 30 * day), to: new Date(today) };
  // What the pages ask for: the range ends at the next full hour.
  const pageMonth: UsageFilters = { from: new Date(nowHour - 30 * day), to: new Date(nowHour) };
  const last24h: UsageFilters = { from: new Date(nowHour - 24 * hour), to: new Date(nowHour) };
  const results: Record<string, number> = {};
  for (const [scope, extra] of [
    ["all users", {}],
    ["one user", { userId: topUser }],
  ] as const) {
    const m = { ...month, ...extra };
    const p = { ...pageMonth, ...extra };
    results[`${scope}: totals 30 d`] = await time(`${scope}: totals, 30 days`, () => usageTotals(m));
    results[`${scope}: totals 30 d to the hour`] = await time(`${scope}: totals, 30 days to the next hour`, () =>
      usageTotals(p),
    );
    results[`${scope}: series 30 d by day`] = await time(`${scope}: series, 30 days by day`, () =>
      usageSeries(m, "day"),
    );
    results[`${scope}: series 30 d by hour`] = await time(`${scope}: series, 30 days by hour`, () =>
      usageSeries(p, "hour"),
    );
    results[`${scope}: series 24 h by hour`] = await time(`${scope}: series, 24 hours by hour`, () =>
      usageSeries({ ...last24h, ...extra }, "hour"),
    );
    for (const by of ["model", "provider", "user", "key", "app"] as const) {
      results[`${scope}: by ${by}`] = await time(`${scope}: breakdown by ${by}, 30 days`, () => usageBreakdown(m, by));
      results[`${scope}: by ${by} to the hour`] = await time(
        `${scope}: breakdown by ${by}, 30 days to the next hour`,
        () => usageBreakdown(p, by),
      );
    }
    results[`${scope}: model filter by key`] = await time(`${scope}: one model, breakdown by key, 30 days`, () =>
      usageBreakdown({ ...p, model: someModel }, "key"),
    );
  }
  const worst = Math.max(...Object.values(results));
  console.log(`slowest dashboard query: ${worst.toFixed(1)} ms`);
  const home = await time("admin home: everything /admin shows", () => getAdminHome());
  console.log(`admin home: ${home.toFixed(1)} ms (budget 300 ms)`);

  const log: Record<string, number> = {};
  const page = (label: string, filters: CallFilters) =>
    time(`call log: ${label}`, () => listCalls(filters, { limit: 50 })).then((ms) => (log[label] = ms));
  await page("first page, everyone, 30 days", pageMonth);
  const first = await listCalls(pageMonth, { limit: 50 });
  await time("call log: second page (cursor), everyone", () =>
    listCalls(pageMonth, { cursor: first.nextCursor, limit: 50 }),
  ).then((ms) => (log.second = ms));
  await page("one user", { ...pageMonth, userId: topUser });
  await page("one model", { ...pageMonth, model: someModel });
  await page("one provider", { ...pageMonth, providerName: "anthropic" });
  await page("one key", { ...pageMonth, accessKeyId: someKey });
  await page("one app", { ...pageMonth, appName: "search" });
  await page("failed calls", { ...pageMonth, status: "failed" });
  await page("one api (Anthropic Messages)", { ...pageMonth, api: "messages" });
  await page("one user's failed calls", { ...pageMonth, userId: topUser, status: "failed" });
  await page("one user, one model", { ...pageMonth, userId: topUser, model: someModel });
  await page("a rare model (mock-chat), one user", { ...pageMonth, userId: topUser, model: "mock-chat" });
  console.log(`slowest call log page: ${Math.max(...Object.values(log)).toFixed(1)} ms`);

  const email = "bench-owner@example.com";
  const owner = (await getUserByEmail(email)) ?? (await createUser({ email, role: "owner" }, CLI_ACTOR));
  const cookie = (await createUserSession(owner.id, new Request("http://localhost/"))).split(";")[0]!;
  const range = `from=${pageMonth.from.getTime()}&to=${pageMonth.to.getTime()}`;
  const { values } = parseArgs({ options: { export: { type: "string", default: "all" } } });
  if (values.export !== "none") {
    await exportRate(cookie, `${range}&scope=all&model=${someModel}`);
    await exportRate(cookie, `${range}&scope=all&providerName=anthropic`);
  }
  if (values.export === "all") await exportRate(cookie, `${range}&scope=all`);
  client.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
