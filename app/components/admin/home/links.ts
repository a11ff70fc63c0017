/** Where each number on the admin home leads: the page that explains it, with the same range and filter. */
import type { RouterOutputs } from "~/lib/trpc";

export type AdminHomeData = RouterOutputs["adminHome"]["get"];
export type Range = AdminHomeData["ranges"]["today"];

const query = (range: Range, extra: Record<string, string | null | undefined> = {}) => {
  const q = new URLSearchParams({ from: String(range.from), to: String(range.to) });
  for (const [k, v] of Object.entries(extra)) if (v) q.set(k, v);
  return q.toString();
};

export const usageHref = (range: Range, extra?: Record<string, string | null | undefined>) =>
  `/admin/usage?${query(range, extra)}`;
export const failuresHref = (range: Range, extra?: Record<string, string | null | undefined>) =>
  `/usage/calls?scope=all&status=failed&${query(range, extra)}`;
