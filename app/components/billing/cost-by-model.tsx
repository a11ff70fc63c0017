import type { ModelCost } from "@server/billing/ledger-query.server";
import { useHydrated } from "~/lib/use-hydrated";
import { CostChart } from "./cost-chart.client";

/** This month's cost per model: a small bar chart of the dearest models, and the full table. */
export function CostByModel({ models, monthLabel }: { models: ModelCost[]; monthLabel: string }) {
  const hydrated = useHydrated();
  if (models.length === 0) {
    return <p className="card px-4 py-8 text-center text-sm text-ink-muted">No calls in {monthLabel} yet.</p>;
  }
  const chart = models.slice(0, 8).map((m) => ({ model: m.model, credits: m.costMicro / 1e6 }));
  const height = 64 + 36 * chart.length;
  return (
    <div className="card grid items-start gap-4 p-4 lg:grid-cols-[1fr_1fr]">
      {/* Drawn in the browser only (./cost-chart.client.tsx); the table says the same in words. */}
      <div aria-hidden="true" style={{ height }}>
        {hydrated ? <CostChart data={chart} height={height} /> : null}
      </div>
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Cost per model in {monthLabel}</caption>
        <thead className="text-xs font-medium uppercase tracking-wide text-ink-faint">
          <tr>
            <th scope="col" className="py-2">
              Model
            </th>
            <th scope="col" className="py-2 text-right">
              Calls
            </th>
            <th scope="col" className="py-2 text-right">
              Credits
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {models.map((m) => (
            <tr key={m.model}>
              <td className="py-2 font-mono text-xs">{m.model}</td>
              <td className="py-2 text-right">{m.calls.toLocaleString("en-US")}</td>
              <td className="py-2 text-right font-mono">{m.cost}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
