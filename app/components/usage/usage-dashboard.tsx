/** A usage page: filters, totals, charts and the breakdown, for the signed-in user ("mine") or everyone ("all"). */
import { Link } from "@remix-run/react";
import { useQuery } from "@tanstack/react-query";
import { EmptyState } from "~/components/ui/empty-state";
import { useTRPC } from "~/lib/trpc";
import { useHydrated } from "~/lib/use-hydrated";
import { BreakdownTable } from "./breakdown-table";
import { CsvLink } from "./csv-link";
import { FiltersBar } from "./filters-bar";
import { StatCards } from "./stat-cards";
import { UsageCharts } from "./usage-charts.client";
import { hasFilters, useUsageFilters, type Scope } from "./use-usage-filters";

export function UsageDashboard({ scope, callsHref }: { scope: Scope; callsHref: string }) {
  const trpc = useTRPC();
  const filters = useUsageFilters(scope);
  // The charts' module is left out of the server build (./usage-charts.client.tsx).
  const hydrated = useHydrated();
  const totals = useQuery(trpc.usage.totals.queryOptions(filters.input));
  const series = useQuery(trpc.usage.series.queryOptions({ ...filters.input, granularity: filters.granularity }));
  const error = totals.error ?? series.error;
  const filtered = hasFilters(filters);
  return (
    <div data-from={filters.input.from} data-to={filters.input.to} data-testid="usage-dashboard">
      <FiltersBar filters={filters} />
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3 text-sm text-ink-muted">
        <p>
          To see failed or aborted calls one by one, open the{" "}
          <Link
            className="text-brand-600 underline"
            to={`${callsHref}${callsHref.includes("?") ? "&" : "?"}${filters.rangeQuery}`}
          >
            call log
          </Link>
          .
        </p>
        <CsvLink href={`/api/usage/export/calls?${filters.query()}`} empty={totals.data?.requests === 0}>
          Download calls (CSV)
        </CsvLink>
      </div>
      {error ? <p className="card mb-6 border-danger bg-danger-soft p-4 text-sm text-danger">{error.message}</p> : null}
      {totals.isPending ? <p className="card mb-6 p-6 text-sm text-ink-faint">Loading usage…</p> : null}
      {totals.data && totals.data.requests === 0 ? (
        <EmptyState title="No calls in this range">
          {scope === "mine" ? (
            <>
              Calls made with your access keys appear here within a few seconds. Create a key on the{" "}
              <Link className="text-brand-600 underline" to="/keys">
                Keys
              </Link>{" "}
              page, or widen the time range{filtered ? " and clear the filters" : ""}.
            </>
          ) : (
            <>
              {filtered
                ? "Nobody called a model in this range with these filters. Widen the time range or clear the filters."
                : "Nobody called a model in this range. Widen the time range."}
            </>
          )}
        </EmptyState>
      ) : null}
      {totals.data && totals.data.requests > 0 ? (
        <>
          <StatCards totals={totals.data} />
          {series.data && hydrated ? <UsageCharts series={series.data} granularity={filters.granularity} /> : null}
          <BreakdownTable filters={filters} />
        </>
      ) : null}
    </div>
  );
}
