import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/lib/trpc";
import { PageHeader } from "../../ui/empty-state";
import { formatDateTime } from "../format";
import { Badge, ErrorState, Loading, SmallButton, Table, td, th } from "../ui";
import { AuditDetailDialog } from "./audit-detail";

interface Filters {
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
}

/** "2025-06-01" (a date input) → the start or the end of that day in the browser's time zone, as ISO. */
function dayBound(value: string, end: boolean): string | undefined {
  if (!value) return undefined;
  const d = new Date(`${value}T00:00:00`);
  if (end) d.setDate(d.getDate() + 1);
  return new Date(d.getTime() - (end ? 1 : 0)).toISOString();
}

const tone = (action: string) =>
  /delete|revoke|disable|refused/.test(action) ? "danger" : /create|grant|enable|import/.test(action) ? "ok" : "brand";

export function AuditPage() {
  const trpc = useTRPC();
  const [filters, setFilters] = useState<Filters>({});
  const [open, setOpen] = useState<string | null>(null);
  const actions = useQuery(trpc.audit.actions.queryOptions());
  const log = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions({ ...filters, limit: 50 }, { getNextPageParam: (page) => page.nextCursor }),
  );
  const entries = log.data?.pages.flatMap((p) => p.entries) ?? [];

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change made in the console, the CLI and at sign-in: who, what, when and from where."
      />
      <form
        className="card mb-4 grid gap-3 p-4 sm:grid-cols-2 lg:grid-cols-[2fr_2fr_1fr_1fr_auto] lg:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const get = (k: string) => String(form.get(k) ?? "").trim();
          setFilters({
            actor: get("actor") || undefined,
            action: get("action") || undefined,
            from: dayBound(get("from"), false),
            to: dayBound(get("to"), true),
          });
        }}
      >
        <div>
          <label htmlFor="audit-actor" className="field-label">
            Actor
          </label>
          <input id="audit-actor" name="actor" className="field-input" placeholder="Email, cli or system" />
        </div>
        <div>
          <label htmlFor="audit-action" className="field-label">
            Action
          </label>
          <select id="audit-action" name="action" className="field-input">
            <option value="">Any action</option>
            {[...new Set((actions.data ?? []).map((a) => `${a.split(".")[0]}.`))].map((prefix) => (
              <optgroup key={prefix} label={prefix.slice(0, -1)}>
                <option value={prefix}>All {prefix.slice(0, -1)} actions</option>
                {(actions.data ?? [])
                  .filter((a) => a.startsWith(prefix))
                  .map((a) => (
                    <option key={a} value={a}>
                      {a}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="audit-from" className="field-label">
            From
          </label>
          <input id="audit-from" name="from" type="date" className="field-input" />
        </div>
        <div>
          <label htmlFor="audit-to" className="field-label">
            To
          </label>
          <input id="audit-to" name="to" type="date" className="field-input" />
        </div>
        <button type="submit" className="btn-primary">
          Filter
        </button>
      </form>
      {log.isPending ? <Loading what="the audit log" /> : null}
      {log.isError ? <ErrorState error={log.error} onRetry={() => log.refetch()} /> : null}
      {log.data ? (
        <Table
          caption="Audit log"
          minWidth="52rem"
          head={
            <tr>
              <th scope="col" className={th}>
                Time (UTC)
              </th>
              <th scope="col" className={th}>
                Actor
              </th>
              <th scope="col" className={th}>
                Action
              </th>
              <th scope="col" className={th}>
                Target
              </th>
              <th scope="col" className={th}>
                IP
              </th>
              <th scope="col" className={th}>
                <span className="sr-only">Details</span>
              </th>
            </tr>
          }
        >
          {entries.length === 0 ? (
            <tr>
              <td colSpan={6} className="px-3 py-8 text-center text-ink-muted">
                No entries match.
              </td>
            </tr>
          ) : null}
          {entries.map((e) => (
            <tr key={e.id}>
              <td className={`${td} whitespace-nowrap`}>{formatDateTime(e.createdAt).replace(" UTC", "")}</td>
              <td className={`${td} max-w-[14rem] truncate`} title={e.actorLabel}>
                {e.actorLabel}
              </td>
              <td className={td}>
                <Badge tone={tone(e.action)}>{e.action}</Badge>
              </td>
              <td className={`${td} max-w-[16rem] truncate font-mono text-xs text-ink-muted`} title={e.targetId ?? ""}>
                {e.targetType ? `${e.targetType} ${e.targetId ?? ""}` : "—"}
              </td>
              <td className={`${td} font-mono text-xs`}>{e.ip ?? "—"}</td>
              <td className={`${td} text-right`}>
                <SmallButton
                  onClick={() => setOpen(e.id)}
                  aria-label={`View ${e.action} at ${formatDateTime(e.createdAt)}`}
                >
                  View
                </SmallButton>
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
      {log.hasNextPage ? (
        <div className="mt-4 flex justify-center">
          <button
            type="button"
            className="btn-secondary"
            onClick={() => log.fetchNextPage()}
            disabled={log.isFetchingNextPage}
          >
            {log.isFetchingNextPage ? "Loading…" : "Show older entries"}
          </button>
        </div>
      ) : null}
      <AuditDetailDialog id={open} onClose={() => setOpen(null)} />
    </>
  );
}
