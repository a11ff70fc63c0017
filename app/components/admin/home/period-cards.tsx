/** Requests, spend, error rate and p95 latency: today, beside yesterday and the last 7 days, each a link. */
import { Link } from "@remix-run/react";
import { count, creditsShort, creditsText, msText, percentText } from "~/components/usage/format";
import { failuresHref, usageHref, type AdminHomeData, type Range } from "./links";

type Period = AdminHomeData["today"];
type Metric = {
  id: string;
  label: string;
  value(p: Period): string;
  title?(p: Period): string;
  href(r: Range): string;
};

const METRICS: Metric[] = [
  { id: "requests", label: "Requests", value: (p) => count(p.requests), href: (r) => usageHref(r) },
  {
    id: "spend",
    label: "Spend (credits)",
    value: (p) => creditsShort(p.costMicro),
    title: (p) => `${creditsText(p.costMicro)} credits`,
    href: (r) => usageHref(r),
  },
  {
    id: "errors",
    label: "Error rate",
    value: (p) => (p.requests ? percentText(p.errorRate) : "—"),
    title: (p) => `${count(p.failed)} of ${count(p.requests)} failed`,
    href: (r) => failuresHref(r),
  },
  {
    id: "p95",
    label: "Latency p95",
    value: (p) => msText(p.p95DurationMs),
    href: (r) => usageHref(r, { granularity: "hour" }),
  },
];

function Compare({ label, period, range, metric }: { label: string; period: Period; range: Range; metric: Metric }) {
  return (
    <Link
      to={metric.href(range)}
      className="flex justify-between gap-2 rounded px-1 hover:bg-surface-sunken"
      title={metric.title?.(period)}
    >
      <span className="text-ink-faint">{label}</span>
      <span
        className="whitespace-nowrap tabular-nums text-ink-muted"
        data-testid={`home-${metric.id}-${label === "Yesterday" ? "yesterday" : "week"}`}
      >
        {metric.value(period)}
      </span>
    </Link>
  );
}

export function PeriodCards({ data }: { data: AdminHomeData }) {
  return (
    <section aria-label="Today" className="grid grid-cols-2 gap-3 lg:grid-cols-4">
      {METRICS.map((m) => (
        <div key={m.id} className="card flex flex-col p-4">
          <h2 className="text-xs font-medium uppercase tracking-wide text-ink-faint">{m.label}</h2>
          <Link
            to={m.href(data.ranges.today)}
            className="mt-1 self-start text-2xl font-semibold tabular-nums text-ink hover:text-brand-700 hover:underline"
            title={m.title?.(data.today)}
            data-testid={`home-${m.id}-today`}
          >
            {m.value(data.today)}
          </Link>
          <p className="text-xs text-ink-faint">today (UTC)</p>
          <div className="mt-3 space-y-0.5 border-t border-line pt-2 text-sm">
            <Compare label="Yesterday" period={data.yesterday} range={data.ranges.yesterday} metric={m} />
            <Compare label="Last 7 days" period={data.week} range={data.ranges.week} metric={m} />
          </div>
        </div>
      ))}
    </section>
  );
}
