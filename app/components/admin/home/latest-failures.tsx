/** The newest failed calls: when, which model at which provider, whose, and the error code. */
import { Link } from "@remix-run/react";
import { dateTime } from "~/components/usage/format";
import { Section } from "../ui";
import { failuresHref, type AdminHomeData } from "./links";

export function LatestFailures({ data }: { data: AdminHomeData }) {
  const all = failuresHref(data.ranges.week);
  return (
    <Section
      title="Latest failed calls"
      description="The newest failures of the last 7 days."
      actions={
        <Link className="text-sm text-brand-700 hover:underline" to={all}>
          All failed calls
        </Link>
      }
    >
      {data.failures.length === 0 ? (
        <p className="text-sm text-ink-muted">No failed calls in the last 7 days.</p>
      ) : (
        <ul className="divide-y divide-line" data-testid="home-failures">
          {data.failures.map((c) => (
            <li key={c.id} className="py-2 text-sm first:pt-0 last:pb-0">
              <Link to={all} className="block rounded px-1 hover:bg-surface-sunken">
                <span className="flex flex-wrap justify-between gap-x-3">
                  <span className="font-medium text-ink">
                    {c.model ? `${c.providerName ?? "?"}/${c.model}` : (c.providerName ?? "Model not recorded")}
                  </span>
                  <span className="text-xs text-ink-faint">{dateTime(c.createdAt)}</span>
                </span>
                <span className="flex flex-wrap justify-between gap-x-3 text-xs">
                  <span className="min-w-0 truncate text-ink-muted">{c.userEmail ?? c.userId ?? "—"}</span>
                  <span className="font-mono text-danger">{c.errorCode ?? "failed"}</span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
