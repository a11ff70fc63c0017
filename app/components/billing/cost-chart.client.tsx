/**
 * The bar chart of the dearest models' cost. A client module: the server build leaves it empty, so recharts is never
 * loaded in the server process (docs/decisions/021-server-memory.md).
 */
import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export function CostChart({ data, height }: { data: Array<{ model: string; credits: number }>; height: number }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={data} layout="vertical" margin={{ left: 8, right: 16 }}>
        <XAxis type="number" tick={{ fontSize: 11 }} />
        <YAxis type="category" dataKey="model" width={150} tick={{ fontSize: 11 }} />
        <Tooltip formatter={(v) => [`${v} credits`, "Cost"]} />
        <Bar dataKey="credits" fill="#3b55e6" radius={[0, 4, 4, 0]} maxBarSize={24} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
