/** Time range, granularity and dimension filters; the menus list what was used in the range. */
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/lib/trpc";
import { RANGES, type Dimension, type RangeKey, type UsageFilterState } from "./use-usage-filters";

const STATUSES = ["success", "failed", "aborted", "processing"];
/** model_calls.api values and how the call log names them. */
export const API_LABELS: Record<string, string> = {
  chat: "Chat Completions",
  responses: "Responses",
  messages: "Anthropic Messages",
  embeddings: "Embeddings",
  images: "Images",
  aigne: "AIGNE",
};
const LABELS: Record<Dimension, string> = {
  model: "Model",
  providerName: "Provider",
  accessKeyId: "Access key",
  appName: "App",
  userId: "User",
};
const OPTION_KEY = {
  model: "model",
  providerName: "provider",
  accessKeyId: "key",
  appName: "app",
  userId: "user",
} as const;

function Select(props: {
  label: string;
  value: string;
  onChange(v: string): void;
  options: Array<{ value: string; label: string }>;
  all?: string;
}) {
  return (
    <label className="flex min-w-0 flex-col gap-1">
      <span className="field-label">{props.label}</span>
      <select
        className="field-input max-w-[13rem] truncate"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      >
        {props.all !== undefined ? <option value="">{props.all}</option> : null}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

const DAY_MS = 86_400_000;
const UTC_DAY = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const UTC_HOUR = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});

/** An exact range from a link: "5 Dec (UTC)", "29 Nov – 5 Dec (UTC)", or with hours when not whole days. */
function rangeLabel(from: number, to: number): string {
  if (from % DAY_MS || to % DAY_MS) return `${UTC_HOUR.format(from)} – ${UTC_HOUR.format(to)} (UTC)`;
  const last = UTC_DAY.format(to - DAY_MS);
  return to - from === DAY_MS ? `${last} (UTC)` : `${UTC_DAY.format(from)} – ${last} (UTC)`;
}

export function FiltersBar({
  filters,
  withStatus = false,
  withGranularity = true,
}: {
  filters: UsageFilterState;
  withStatus?: boolean;
  withGranularity?: boolean;
}) {
  const trpc = useTRPC();
  const { input } = filters;
  const options = useQuery(
    trpc.usage.options.queryOptions({ scope: input.scope, from: input.from, to: input.to, userId: input.userId }),
  );
  const dims: Dimension[] =
    input.scope === "all"
      ? ["userId", "model", "providerName", "accessKeyId", "appName"]
      : ["model", "providerName", "accessKeyId", "appName"];
  const active = dims.some((d) => input[d]) || Boolean(filters.status) || Boolean(filters.api);
  return (
    <div className="card mb-6 flex flex-wrap items-end gap-3 p-4" role="group" aria-label="Filters">
      <Select
        label="Time range"
        value={filters.range}
        onChange={(v) => filters.set({ range: v, granularity: null, from: null, to: null })}
        options={[
          ...(filters.range === "custom" ? [{ value: "custom", label: rangeLabel(input.from, input.to) }] : []),
          ...(Object.keys(RANGES) as RangeKey[]).map((r) => ({
            value: r,
            label: r === "24h" ? "Last 24 hours" : `Last ${RANGES[r]} days`,
          })),
        ]}
      />
      {withGranularity ? (
        <Select
          label="By"
          value={filters.granularity}
          onChange={(v) => filters.set({ granularity: v })}
          options={[
            { value: "hour", label: "Hour" },
            { value: "day", label: "Day" },
          ]}
        />
      ) : null}
      {dims.map((d) => {
        const list = options.data?.[OPTION_KEY[d]] ?? [];
        const value = input[d] ?? "";
        // Keep a filter from the URL selectable even when the range has no calls for it.
        const all = value && !list.some((o) => o.value === value) ? [...list, { value, label: value }] : list;
        return (
          <Select
            key={d}
            label={LABELS[d]}
            value={value}
            onChange={(v) => filters.set({ [d]: v || null })}
            options={all}
            all="All"
          />
        );
      })}
      {withStatus ? (
        <>
          <Select
            label="Status"
            value={filters.status ?? ""}
            onChange={(v) => filters.set({ status: v || null })}
            options={STATUSES.map((s) => ({ value: s, label: s }))}
            all="All"
          />
          <Select
            label="API"
            value={filters.api ?? ""}
            onChange={(v) => filters.set({ api: v || null })}
            options={Object.entries(API_LABELS).map(([value, label]) => ({ value, label }))}
            all="All"
          />
        </>
      ) : null}
      {active ? (
        <button
          type="button"
          className="btn-secondary"
          onClick={() => filters.set({ ...Object.fromEntries(dims.map((d) => [d, null])), status: null, api: null })}
        >
          Clear filters
        </button>
      ) : null}
    </div>
  );
}
