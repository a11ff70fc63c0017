import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ModelCost } from "@server/billing/ledger-query.server";

/** This month's cost per model: a small bar chart of the dearest models, and the full table. */
export function CostByModel({ models, monthLabel }: { models: ModelCost[]; monthLabel: string }) {
  if (models.length === 0) {
    return <p className="card px-4 py-8 text-center text-sm text-ink-muted">No calls in {monthLabel} yet.</p>;
  }
  const chart = models.slice(0, 8).map((m) => ({ model: m.model, credits: m.costMicro / 1e6 }));
  return (
    <div className="card grid items-start gap-4 p-4 lg:grid-cols-[1fr_1fr]">
      <div aria-hidden="true">
        <ResponsiveContainer width="100%" height={64 + 36 * chart.length}>
          <BarChart data={chart} layout="vertical" margin={{ left: 8, right: 16 }}>
            <XAxis type="number" tick={{ fontSize: 11 }} />
            <YAxis type="category" dataKey="model" width={150} tick={{ fontSize: 11 }} />
            <Tooltip formatter={(v) => [`${v} credits`, "Cost"]} />
            <Bar dataKey="credits" fill="#3b55e6" radius={[0, 4, 4, 0]} maxBarSize={24} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
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
