/** Who and what spent the most in the last 7 days: users, access keys and models, each opening its usage. */
import { Link } from "@remix-run/react";
import { count, creditsShort, creditsText } from "~/components/usage/format";
import { Section } from "../ui";
import { usageHref, type AdminHomeData } from "./links";

type Row = AdminHomeData["top"]["user"][number];
const LISTS = [
  { by: "user", title: "Users", filter: (r: Row) => ({ userId: r.key }) },
  { by: "key", title: "Access keys", filter: (r: Row) => ({ accessKeyId: r.key }) },
  { by: "model", title: "Models", filter: (r: Row) => ({ model: r.key, providerName: r.providerName }) },
] as const;

export function TopSpenders({ data }: { data: AdminHomeData }) {
  const week = data.ranges.week;
  return (
    <Section title="Top spenders" description="The last 7 days, by credits spent.">
      <div className="grid gap-6 md:grid-cols-3">
        {LISTS.map((list) => (
          <div key={list.by} className="min-w-0">
            <h3 className="mb-2 text-xs font-medium uppercase tracking-wide text-ink-faint">{list.title}</h3>
            {data.top[list.by].length === 0 ? <p className="text-sm text-ink-faint">No calls in 7 days.</p> : null}
            <ol className="space-y-1" data-testid={`home-top-${list.by}`}>
              {data.top[list.by].map((r) => (
                <li key={`${r.providerName ?? ""}/${r.key}`}>
                  <Link
                    to={usageHref(week, list.filter(r))}
                    className="flex items-baseline justify-between gap-3 rounded px-1 text-sm hover:bg-surface-sunken"
                  >
                    <span className="min-w-0 truncate text-ink" title={r.label}>
                      {r.label}
                    </span>
                    <span
                      className="shrink-0 tabular-nums text-ink-muted"
                      title={`${creditsText(r.costMicro)} credits, ${count(r.requests)} requests`}
                    >
                      {creditsShort(r.costMicro)}
                    </span>
                  </Link>
                </li>
              ))}
            </ol>
          </div>
        ))}
      </div>
    </Section>
  );
}
