/**
 * The usage pages' filters live in the URL (shareable, back button works): a range preset, granularity and the
 * dimension filters. The time range ends at the next full hour (by hour) or the next UTC midnight (by day), so the
 * rollups answer exactly and "Last 7 days" by day is seven whole days.
 */
import { useSearchParams } from "@remix-run/react";
import { useEffect, useMemo, useRef } from "react";

export const RANGES = { "24h": 1, "7d": 7, "30d": 30, "90d": 90 } as const;
export type RangeKey = keyof typeof RANGES;
export const DIMENSIONS = ["model", "providerName", "accessKeyId", "appName", "userId"] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export type Scope = "mine" | "all";

const HOUR = 3_600_000;

/** An exact range from the URL (`from` and `to` in epoch ms, whole hours), as the admin home's links give. */
function customRange(params: URLSearchParams): { from: number; to: number } | null {
  const from = Number(params.get("from") ?? "");
  const to = Number(params.get("to") ?? "");
  const ok =
    Number.isSafeInteger(from) &&
    Number.isSafeInteger(to) &&
    from > 0 &&
    from < to &&
    from % HOUR === 0 &&
    to % HOUR === 0;
  return ok ? { from, to } : null;
}

export function useUsageFilters(scope: Scope) {
  const [params, setParams] = useSearchParams();
  const rawRange = params.get("range") ?? "";
  const custom = customRange(params);
  const preset: RangeKey = rawRange in RANGES ? (rawRange as RangeKey) : "7d";
  const range: RangeKey | "custom" = custom ? "custom" : preset;
  const days = custom ? (custom.to - custom.from) / (24 * HOUR) : RANGES[preset];
  const asked = params.get("granularity");
  const granularity: "hour" | "day" = asked === "hour" || (asked !== "day" && days <= 2) ? "hour" : "day";
  const dims = Object.fromEntries(DIMENSIONS.map((d) => [d, params.get(d) || null])) as Record<
    Dimension,
    string | null
  >;
  const status = params.get("status") || null;
  const api = params.get("api") || null;
  const step = granularity === "day" ? 24 * HOUR : HOUR;
  const presetTo = useMemo(() => Math.ceil((Date.now() + 1) / step) * step, [range, step]);
  const to = custom ? custom.to : presetTo;
  const from = custom ? custom.from : to - RANGES[preset] * 24 * HOUR;
  const input = { scope, from, to, ...dims, userId: scope === "all" ? dims.userId : null };

  // A second change made before the first navigation lands must build on the first, not on the URL still shown:
  // setSearchParams' functional form only sees the params of the last render, so keep the latest asked-for ones.
  const pending = useRef<URLSearchParams | null>(null);
  useEffect(() => {
    if (pending.current?.toString() === params.toString()) pending.current = null;
  }, [params]);
  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(pending.current ?? params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    pending.current = next;
    setParams(next, { replace: true, preventScrollReset: true });
  };

  /** The same filters as a query string for the CSV exports. */
  const query = (extra: Record<string, string> = {}) => {
    const q = new URLSearchParams({ scope, from: String(from), to: String(to), ...extra });
    for (const d of DIMENSIONS) if (input[d]) q.set(d, input[d]);
    if (status) q.set("status", status);
    if (api) q.set("api", api);
    return q.toString();
  };

  /** The range alone as a query string, for links to the other usage page. */
  const rangeQuery = custom ? `from=${custom.from}&to=${custom.to}` : `range=${preset}`;

  return { range, granularity, input, status, api, set, query, rangeQuery };
}

export type UsageFilterState = ReturnType<typeof useUsageFilters>;

/** Whether anything narrows the range (a dimension or a status): the empty states say "clear the filters" only then. */
export const hasFilters = (f: UsageFilterState) => DIMENSIONS.some((d) => f.input[d]) || Boolean(f.status);
