/**
 * The admin home (`/admin`): the operator's numbers in one call. Requests, spend, error rate and p95 latency for
 * today, yesterday and the last 7 days (UTC days, the dashboards' own query, so the p95 is the one the Usage page
 * shows); each provider's credentials with their health and the last 24 hours' error rate; the top users, keys and
 * models by spend over the 7 days; the latest failed calls; and the credit outstanding when billing is on.
 *
 * Everything reads the rollups except the latest failures, which walk the calls' created_at index from the newest
 * end and stop after a few rows. bench/usage-queries.ts times it at a million calls.
 */
import { getDatabase } from "../db/client.server";
import { getSettings } from "../settings/settings.server";
import { listCalls, type CallSummary } from "../usage/call-log.server";
import { usageTotals, type UsageMetrics } from "../usage/dashboard.server";
import { topBySpend, type SpendBy, type SpendRow } from "../usage/top-spend.server";
import { labelsFor } from "../usage/usage-labels.server";
import { providerHealth, recentWindow, type ProviderHealthView } from "./provider-health.server";

const DAY = 86_400_000;

export interface Range {
  from: number;
  to: number;
}

export type PeriodNumbers = Pick<UsageMetrics, "requests" | "failed" | "errorRate" | "costMicro" | "p95DurationMs">;

export interface AdminHome {
  ranges: { today: Range; yesterday: Range; week: Range; recent: Range };
  today: PeriodNumbers;
  yesterday: PeriodNumbers;
  week: PeriodNumbers;
  providers: ProviderHealthView[];
  top: Record<SpendBy, Array<SpendRow & { label: string }>>;
  /** The newest failed calls of the 7 days, newest first. */
  failures: CallSummary[];
  /** Credit people hold (spendable balance, and what open calls have on hold), when billing is on. */
  billing: { balanceMicro: number; reservedMicro: number; accounts: number } | null;
}

/** Today, yesterday and the 7 days ending today, as whole UTC days (the day rollups answer them exactly). */
export function homeRanges(now: number): AdminHome["ranges"] {
  const today = now - (now % DAY);
  const recent = recentWindow(now);
  return {
    today: { from: today, to: today + DAY },
    yesterday: { from: today - DAY, to: today },
    week: { from: today - 6 * DAY, to: today + DAY },
    recent: { from: recent.from.getTime(), to: recent.to.getTime() },
  };
}

const dates = (r: Range) => ({ from: new Date(r.from), to: new Date(r.to) });

async function period(r: Range): Promise<PeriodNumbers> {
  const m = await usageTotals(dates(r));
  return {
    requests: m.requests,
    failed: m.failed,
    errorRate: m.errorRate,
    costMicro: m.costMicro,
    p95DurationMs: m.p95DurationMs,
  };
}

async function top(r: Range, by: SpendBy): Promise<Array<SpendRow & { label: string }>> {
  const rows = await topBySpend(dates(r), by);
  const labels =
    by === "model"
      ? new Map<string, string>()
      : await labelsFor(
          by,
          rows.map((x) => x.key),
        );
  return rows.map((x) => ({
    ...x,
    label: labels.get(x.key) ?? (by === "model" ? `${x.providerName}/${x.key}` : x.key),
  }));
}

async function outstandingCredit(): Promise<AdminHome["billing"]> {
  if (!(await getSettings()).billingEnabled) return null;
  const { client } = await getDatabase();
  const rs = await client.execute(
    `select coalesce(sum(balance_micro), 0) as balance, coalesce(sum(reserved_micro), 0) as reserved,
      coalesce(sum(balance_micro > 0), 0) as accounts from credit_accounts`,
  );
  const r = rs.rows[0];
  return {
    balanceMicro: Number(r?.balance ?? 0),
    reservedMicro: Number(r?.reserved ?? 0),
    accounts: Number(r?.accounts ?? 0),
  };
}

export async function getAdminHome(now = Date.now()): Promise<AdminHome> {
  const ranges = homeRanges(now);
  const [today, yesterday, week, providers, users, keys, models, failures, billing] = await Promise.all([
    period(ranges.today),
    period(ranges.yesterday),
    period(ranges.week),
    providerHealth(now),
    top(ranges.week, "user"),
    top(ranges.week, "key"),
    top(ranges.week, "model"),
    listCalls({ ...dates(ranges.week), status: "failed" }, { limit: 5 }),
    outstandingCredit(),
  ]);
  return {
    ranges,
    today,
    yesterday,
    week,
    providers,
    top: { user: users, key: keys, model: models },
    failures: failures.calls,
    billing,
  };
}
