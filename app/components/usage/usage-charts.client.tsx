/**
 * The time series as four recharts panels: requests and errors, tokens in and out, cost, and latency (p50/p95 of
 * duration and time to first token). One point per hour or day of the range, empty ones included; lines show their
 * points so a lone one is visible. Axes carry units (k/M for tokens, "< 0.01" for slivers of credit).
 * A client module: the server build leaves it empty, so recharts is never loaded in the server process
 * (docs/decisions/021-server-memory.md).
 */
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { RouterOutputs } from "~/lib/trpc";
import { compact, count, creditsAxis, msText, msTick, timeTick, timeZoneName } from "./format";

/** Tokens in a tooltip: exact up to a million, then 1.2M-style. */
const tokens = (n: number) => (n < 1_000_000 ? count(n) : compact(n));

type Series = RouterOutputs["usage"]["series"];
type Granularity = "hour" | "day";

const COLORS = {
  ok: "#4f6ef7",
  failed: "#b91c1c",
  input: "#4f6ef7",
  output: "#15803d",
  cost: "#b45309",
  p50: "#4f6ef7",
  p95: "#1e2a6e",
  t50: "#15803d",
  t95: "#b45309",
};
const AXIS = { fontSize: 11, fill: "#6b7280" };

function Panel({ title, unit, children }: { title: string; unit: string; children: React.ReactElement }) {
  return (
    <section className="card p-4" aria-label={title}>
      <h3 className="mb-3 text-sm font-semibold text-ink">
        {title} <span className="font-normal text-ink-faint">({unit})</span>
      </h3>
      <div className="h-56">
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </section>
  );
}

function axes(granularity: Granularity, yTick: (v: number) => string) {
  return [
    <CartesianGrid key="g" strokeDasharray="3 3" stroke="#e5e7eb" vertical={false} />,
    <XAxis
      key="x"
      dataKey="bucketStart"
      tick={AXIS}
      tickFormatter={(v: number) => timeTick(v, granularity)}
      minTickGap={28}
      tickLine={false}
    />,
    <YAxis
      key="y"
      tick={AXIS}
      tickFormatter={yTick}
      width={64}
      tickLine={false}
      axisLine={false}
      allowDecimals={false}
    />,
    <Legend key="l" iconType="circle" wrapperStyle={{ fontSize: 12 }} />,
  ];
}

const DOT = { r: 2.5 };

const tooltip = (granularity: Granularity, value: (v: number) => string) => (
  <Tooltip
    labelFormatter={(v) =>
      granularity === "day"
        ? new Date(Number(v)).toLocaleDateString(undefined, { dateStyle: "medium", timeZone: "UTC" })
        : timeTick(Number(v), "hour")
    }
    formatter={(v) => value(Number(v))}
    contentStyle={{ fontSize: 12, borderRadius: 8 }}
  />
);

export function UsageCharts({ series, granularity }: { series: Series; granularity: Granularity }) {
  const data = series.map((b) => ({
    bucketStart: b.bucketStart,
    succeeded: b.requests - b.failed,
    failed: b.failed,
    input: b.inputTokens,
    output: b.outputTokens,
    cost: b.costMicro,
    p50: b.p50DurationMs,
    p95: b.p95DurationMs,
    t50: b.p50TtftMs,
    t95: b.p95TtftMs,
  }));
  return (
    <div>
      <p className="mb-2 text-xs text-ink-faint">
        {granularity === "hour"
          ? `One point per hour, in your time zone (${timeZoneName()}).`
          : "One point per day; days run midnight to midnight UTC."}
      </p>
      <div className="mb-6 grid gap-4 lg:grid-cols-2">
        <Panel title="Requests" unit="calls">
          <BarChart data={data}>
            {axes(granularity, compact)}
            {tooltip(granularity, count)}
            <Bar dataKey="succeeded" name="Succeeded" stackId="r" fill={COLORS.ok} isAnimationActive={false} />
            <Bar dataKey="failed" name="Failed" stackId="r" fill={COLORS.failed} isAnimationActive={false} />
          </BarChart>
        </Panel>
        <Panel title="Tokens" unit="tokens">
          <AreaChart data={data}>
            {axes(granularity, compact)}
            {tooltip(granularity, tokens)}
            <Area
              dataKey="input"
              name="Input"
              type="monotone"
              stroke={COLORS.input}
              fill={COLORS.input}
              fillOpacity={0.15}
              isAnimationActive={false}
            />
            <Area
              dataKey="output"
              name="Output"
              type="monotone"
              stroke={COLORS.output}
              fill={COLORS.output}
              fillOpacity={0.15}
              isAnimationActive={false}
            />
          </AreaChart>
        </Panel>
        <Panel title="Cost" unit="credits">
          <BarChart data={data}>
            {axes(granularity, creditsAxis)}
            {tooltip(granularity, creditsAxis)}
            <Bar dataKey="cost" name="Cost" fill={COLORS.cost} isAnimationActive={false} />
          </BarChart>
        </Panel>
        <Panel title="Latency" unit="p50 and p95">
          <LineChart data={data}>
            {axes(granularity, msTick)}
            {tooltip(granularity, msText)}
            <Line dataKey="p50" name="Duration p50" stroke={COLORS.p50} dot={DOT} isAnimationActive={false} />
            <Line dataKey="p95" name="Duration p95" stroke={COLORS.p95} dot={DOT} isAnimationActive={false} />
            <Line
              dataKey="t50"
              name="TTFT p50"
              stroke={COLORS.t50}
              dot={DOT}
              strokeDasharray="4 3"
              isAnimationActive={false}
            />
            <Line
              dataKey="t95"
              name="TTFT p95"
              stroke={COLORS.t95}
              dot={DOT}
              strokeDasharray="4 3"
              isAnimationActive={false}
            />
          </LineChart>
        </Panel>
      </div>
    </div>
  );
}
