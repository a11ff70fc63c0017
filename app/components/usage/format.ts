/**
 * Formatting for the usage pages: counts with thousands separators, compact axis ticks, credits from exact
 * micro-units, durations in ms or s, and times in the browser's own time zone (the data is rendered client-side).
 */
import { formatMicro, readableCredits } from "@server/billing/money";

const COUNT = new Intl.NumberFormat("en-US");
const COMPACT = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

export const count = (n: number | null | undefined) => (n === null || n === undefined ? "—" : COUNT.format(n));
export const compact = (n: number) => COMPACT.format(n);
export const creditsText = (micro: number | null | undefined) =>
  micro === null || micro === undefined ? "—" : formatMicro(micro);
/** Credits rounded for reading (exact value in the tooltip, the call's details and the CSV). */
export const creditsShort = (micro: number | null | undefined) =>
  micro === null || micro === undefined ? "—" : readableCredits(micro);
/**
 * Credits rounded for a chart (exact value on the cards, in the table and the CSV): "< 0.01" for a sliver, two
 * decimals up to 100, whole numbers to 100,000, then 1.2M-style.
 */
export const creditsAxis = (micro: number) => {
  const c = micro / 1e6;
  if (c === 0) return "0";
  if (Math.abs(c) < 0.01) return c > 0 ? "< 0.01" : "> -0.01";
  if (Math.abs(c) < 100) return c.toFixed(2);
  return Math.abs(c) < 100_000 ? COUNT.format(Math.round(c)) : COMPACT.format(c);
};
export const percentText = (rate: number) => (rate === 0 ? "0 %" : `${(rate * 100).toFixed(rate < 0.1 ? 2 : 1)} %`);
export function msText(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  return ms >= 1_000 ? `${(ms / 1000).toFixed(ms >= 10_000 ? 1 : 2)} s` : `${COUNT.format(Math.round(ms))} ms`;
}
export const msTick = (ms: number) =>
  ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 ? 1 : 0)} s` : `${Math.round(ms)} ms`;
/** p50 / p95 / p99 with the unit once when all are under a second: "74 / 565 / 812 ms". */
export function msTriple(values: Array<number | null>): string {
  if (values.every((v) => v === null)) return "—";
  if (values.every((v) => v === null || v < 1_000)) {
    return `${values.map((v) => (v === null ? "—" : COUNT.format(Math.round(v)))).join(" / ")} ms`;
  }
  return values.map(msText).join(" / ");
}

/** Hours in the browser's time zone; days are UTC days (as the data is bucketed), so they are named in UTC. */
export function timeTick(ms: number, granularity: "hour" | "day"): string {
  const d = new Date(ms);
  return granularity === "day"
    ? d.toLocaleDateString(undefined, { month: "short", day: "numeric", timeZone: "UTC" })
    : d.toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}
export const dateTime = (ms: number) =>
  new Date(ms).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
export const timeZoneName = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
