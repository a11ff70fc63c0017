/**
 * Formatting for the usage pages: counts with thousands separators, compact axis ticks, credits from exact
 * micro-units, durations in ms or s, and times in the browser's own time zone (the data is rendered client-side).
 */
import { formatMicro, readableCredits } from "@server/billing/money";

const COUNT = new Intl.NumberFormat("en-US");
const COMPACT = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

export const count = (n: number | null | undefined) => (n === null || n === undefined ? "—" : COUNT.format(n));
export const compact = (n: number) => COMPACT.format(n);
export const creditsText = (micro: number | null | undefined) => (micro === null || micro === undefined ? "—" : formatMicro(micro));
/** Credits rounded for reading (exact value in the tooltip, the call's details and the CSV). */
export const creditsShort = (micro: number | null | undefined) => (micro === null || micro === undefined ? "—" : readableCredits(micro));
export const percentText = (rate: number) => (rate === 0 ? "0 %" : `${(rate * 100).toFixed(rate < 0.1 ? 2 : 1)} %`);
export function msText(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  return ms >= 1_000 ? `${(ms / 1000).toFixed(ms >= 10_000 ? 1 : 2)} s` : `${COUNT.format(Math.round(ms))} ms`;
}
export const msTick = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 ? 1 : 0)} s` : `${ms} ms`);

export function timeTick(ms: number, granularity: "hour" | "day"): string {
  const d = new Date(ms);
  return granularity === "day"
    ? d.toLocaleDateString(undefined, { month: "short", day: "numeric" })
    : d.toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}
export const dateTime = (ms: number) => new Date(ms).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
export const timeZoneName = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
