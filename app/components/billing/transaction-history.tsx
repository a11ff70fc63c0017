import { Form, Link, useSearchParams } from "@remix-run/react";
import type { LedgerPage } from "@server/billing/ledger-query.server";
import { KIND_FILTERS, type LedgerFilters } from "@server/billing/ledger-view";

const KIND_STYLES: Record<string, string> = {
  settle: "bg-surface-sunken text-ink-muted",
  purchase: "bg-ok-soft text-ok",
  grant: "bg-ok-soft text-ok",
  refund: "bg-ok-soft text-ok",
  adjustment: "bg-brand-50 text-brand-700",
  reserve: "bg-warn-soft text-warn",
  release: "bg-warn-soft text-warn",
};

/** Filters as a GET form, so every view has its own URL and works before hydration. */
export function HistoryFilters({ filters, extra }: { filters: LedgerFilters; extra?: React.ReactNode }) {
  return (
    <Form method="get" className="mb-4 flex flex-wrap items-end gap-3" aria-label="Filter transactions">
      {extra}
      <label className="text-sm">
        <span className="field-label">Show</span>
        <select name="kind" defaultValue={filters.kind} className="field-input">
          {Object.entries(KIND_FILTERS).map(([value, f]) => (
            <option key={value} value={value}>
              {f.label}
            </option>
          ))}
        </select>
      </label>
      <label className="w-40 text-sm">
        <span className="field-label">From</span>
        <input type="date" name="from" defaultValue={filters.from} className="field-input" />
      </label>
      <label className="w-40 text-sm">
        <span className="field-label">To</span>
        <input type="date" name="to" defaultValue={filters.to} className="field-input" />
      </label>
      <button type="submit" className="btn-secondary">
        Apply
      </button>
    </Form>
  );
}

/** The ledger entries, newest first, with a link to the next (older) page. */
export function HistoryTable({
  page,
  showUser = false,
  caption,
}: {
  page: LedgerPage;
  showUser?: boolean;
  caption: string;
}) {
  const [params] = useSearchParams();
  // "Match these filters" only when some are set: an empty ledger is simply empty.
  const filtered =
    ["from", "to", "user", "ref"].some((k) => params.get(k)) || (params.get("kind") ?? "activity") !== "activity";
  const older = new URLSearchParams(params);
  if (page.next) older.set("before", page.next);
  return (
    <div className="card table-scroll">
      <table className="w-full min-w-[44rem] text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-line bg-surface-muted text-xs font-medium uppercase tracking-wide text-ink-faint">
          <tr>
            <th scope="col" className="px-4 py-3">
              When
            </th>
            {showUser ? (
              <th scope="col" className="px-4 py-3">
                User
              </th>
            ) : null}
            <th scope="col" className="px-4 py-3">
              Type
            </th>
            <th scope="col" className="px-4 py-3">
              Details
            </th>
            <th scope="col" className="px-4 py-3 text-right">
              Credits
            </th>
            <th scope="col" className="px-4 py-3 text-right">
              Balance after
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {page.lines.length === 0 ? (
            <tr>
              <td colSpan={showUser ? 6 : 5} className="px-4 py-8 text-center text-ink-muted">
                {filtered ? "No transactions match these filters." : "No transactions yet."}
              </td>
            </tr>
          ) : (
            page.lines.map((l) => (
              <tr key={l.id} data-testid="ledger-row">
                <td className="px-4 py-3 align-top whitespace-nowrap text-ink-muted">{l.when}</td>
                {showUser ? <td className="px-4 py-3 align-top">{l.email}</td> : null}
                <td className="px-4 py-3 align-top">
                  <span
                    className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${KIND_STYLES[l.kind] ?? ""}`}
                  >
                    {l.label}
                  </span>
                </td>
                <td className="px-4 py-3 align-top">
                  <p className="text-ink">{l.reason}</p>
                  {l.reference ? <p className="font-mono text-xs text-ink-faint">{l.reference}</p> : null}
                </td>
                <td
                  className={`px-4 py-3 align-top text-right font-mono whitespace-nowrap ${l.amountMicro > 0 ? "text-ok" : "text-ink"}`}
                >
                  {l.amount}
                </td>
                <td className="px-4 py-3 align-top text-right font-mono whitespace-nowrap text-ink-muted">
                  {l.balanceAfter}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      {page.next || params.get("before") ? (
        <div className="flex justify-between border-t border-line px-4 py-3 text-sm">
          {params.get("before") ? (
            <Link
              to={`?${new URLSearchParams([...params].filter(([k]) => k !== "before"))}`}
              className="text-brand-700 hover:underline"
            >
              Newest
            </Link>
          ) : (
            <span />
          )}
          {page.next ? (
            <Link to={`?${older}`} className="text-brand-700 hover:underline">
              Older
            </Link>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
