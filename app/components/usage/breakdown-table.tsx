/** The range broken down by model, provider, user, access key or app, with a CSV of the same table. */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/lib/trpc";
import { count, creditsShort, creditsText, msText, percentText } from "./format";
import type { UsageFilterState } from "./use-usage-filters";

type By = "model" | "provider" | "user" | "key" | "app";
const BY_LABEL: Record<By, string> = {
  model: "Model",
  provider: "Provider",
  user: "User",
  key: "Access key",
  app: "App",
};

export function BreakdownTable({ filters }: { filters: UsageFilterState }) {
  const trpc = useTRPC();
  const choices: By[] =
    filters.input.scope === "all" ? ["model", "provider", "user", "key", "app"] : ["model", "provider", "key", "app"];
  const [by, setBy] = useState<By>("model");
  const rows = useQuery(trpc.usage.breakdown.queryOptions({ ...filters.input, by, limit: 50 }));
  return (
    <section className="card overflow-hidden" aria-label="Breakdown">
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-line px-4 py-3">
        <label className="flex items-center gap-2 text-sm font-semibold text-ink">
          Breakdown by
          <select
            className="field-input w-auto"
            value={by}
            onChange={(e) => setBy(e.target.value as By)}
            aria-label="Breakdown by"
          >
            {choices.map((c) => (
              <option key={c} value={c}>
                {BY_LABEL[c]}
              </option>
            ))}
          </select>
        </label>
        <a className="btn-secondary" href={`/api/usage/export/summary?${filters.query({ by })}`} download>
          Download table (CSV)
        </a>
      </div>
      <div className="table-scroll">
        <table className="w-full text-sm">
          <thead className="bg-surface-muted text-left text-xs uppercase tracking-wide text-ink-faint">
            <tr>
              <th className="px-4 py-2 font-medium">{BY_LABEL[by]}</th>
              {[
                "Requests",
                "Errors",
                "Input tokens",
                "Output tokens",
                "Cost (credits)",
                "p50",
                "p95",
                "p99",
                "TTFT p50",
              ].map((h) => (
                <th key={h} className="whitespace-nowrap px-4 py-2 text-right font-medium">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.data?.map((r) => (
              <tr key={r.key} className="border-t border-line">
                <td className="max-w-[16rem] truncate px-4 py-2 font-medium text-ink" title={r.label}>
                  {r.label || <span className="text-ink-faint">(none)</span>}
                </td>
                <td className="whitespace-nowrap px-4 py-2 text-right tabular-nums">{count(r.requests)}</td>
                <td className="whitespace-nowrap px-4 py-2 text-right tabular-nums">{percentText(r.errorRate)}</td>
                <td className="whitespace-nowrap px-4 py-2 text-right tabular-nums">{count(r.inputTokens)}</td>
                <td className="whitespace-nowrap px-4 py-2 text-right tabular-nums">{count(r.outputTokens)}</td>
                <td className="whitespace-nowrap px-4 py-2 text-right tabular-nums" title={creditsText(r.costMicro)}>
                  {creditsShort(r.costMicro)}
                </td>
                <td className="whitespace-nowrap px-4 py-2 text-right tabular-nums">{msText(r.p50DurationMs)}</td>
                <td className="whitespace-nowrap px-4 py-2 text-right tabular-nums">{msText(r.p95DurationMs)}</td>
                <td className="whitespace-nowrap px-4 py-2 text-right tabular-nums">{msText(r.p99DurationMs)}</td>
                <td className="whitespace-nowrap px-4 py-2 text-right tabular-nums">{msText(r.p50TtftMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.isPending ? <p className="px-4 py-6 text-sm text-ink-faint">Loading…</p> : null}
        {rows.data && rows.data.length === 0 ? (
          <p className="px-4 py-6 text-sm text-ink-faint">No calls match these filters.</p>
        ) : null}
      </div>
    </section>
  );
}
