/** The call log: raw calls newest first, filterable (status too), paged by cursor, a row opens the detail drawer. */
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { EmptyState } from "~/components/ui/empty-state";
import { useTRPC } from "~/lib/trpc";
import { CallDrawer } from "./call-drawer";
import { CsvLink } from "./csv-link";
import { API_LABELS, FiltersBar } from "./filters-bar";
import { count, creditsShort, creditsText, dateTime, msText } from "./format";
import { hasFilters, useUsageFilters, type Scope } from "./use-usage-filters";

const PAGE = 50;
const STATUS_CLASS: Record<string, string> = {
  success: "bg-ok-soft text-ok",
  failed: "bg-danger-soft text-danger",
  aborted: "bg-warn-soft text-warn",
  processing: "bg-surface-sunken text-ink-muted",
};

export function CallLog({ scope }: { scope: Scope }) {
  const trpc = useTRPC();
  const filters = useUsageFilters(scope);
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [open, setOpen] = useState<string | null>(null);
  const key = filters.query();
  useEffect(() => setCursors([null]), [key]);
  const cursor = cursors.at(-1) ?? null;
  const status = (filters.status ?? null) as "success" | "failed" | "aborted" | "processing" | null;
  const api = (filters.api ?? null) as "chat" | "responses" | "messages" | "embeddings" | "images" | "aigne" | null;
  const input = { ...filters.input, status, api, cursor, limit: PAGE };
  const page = useQuery({ ...trpc.usage.calls.queryOptions(input), placeholderData: (prev) => prev });
  const calls = page.data?.calls ?? [];
  const all = scope === "all";
  return (
    <div data-testid="call-log">
      <FiltersBar filters={filters} withStatus withGranularity={false} />
      <div className="mb-3 flex items-center justify-between gap-3">
        <p className="text-sm text-ink-muted">
          Page {cursors.length}
          {calls.length ? ` · ${count(calls.length)} calls` : ""} · times in your time zone
        </p>
        <CsvLink href={`/api/usage/export/calls?${key}`} empty={cursors.length === 1 && page.data?.calls.length === 0}>
          Download calls (CSV)
        </CsvLink>
      </div>
      {page.error ? <p className="card mb-4 p-4 text-sm text-danger">{page.error.message}</p> : null}
      {page.data && calls.length === 0 ? (
        hasFilters(filters) ? (
          <EmptyState title="No calls match">Widen the time range or clear the filters.</EmptyState>
        ) : (
          <EmptyState title="No calls in this range">Widen the time range.</EmptyState>
        )
      ) : (
        <div className="card table-scroll">
          <table className="w-full text-sm">
            <thead className="bg-surface-muted text-left text-xs uppercase tracking-wide text-ink-faint">
              <tr>
                <th className="px-3 py-2 font-medium">Time</th>
                {all ? <th className="px-3 py-2 font-medium">User</th> : null}
                <th className="px-3 py-2 font-medium">Model</th>
                <th className="px-3 py-2 font-medium">API</th>
                <th className="px-3 py-2 font-medium">Key / app</th>
                <th className="px-3 py-2 font-medium">Status</th>
                <th className="px-3 py-2 text-right font-medium">Tokens in / out</th>
                <th className="px-3 py-2 text-right font-medium">Cost</th>
                <th className="px-3 py-2 text-right font-medium">Duration</th>
              </tr>
            </thead>
            <tbody>
              {page.isPending ? (
                <tr>
                  <td colSpan={9} className="px-3 py-6 text-ink-faint">
                    Loading…
                  </td>
                </tr>
              ) : null}
              {calls.map((c) => (
                <tr
                  key={c.id}
                  className="cursor-pointer border-t border-line hover:bg-surface-muted"
                  onClick={() => setOpen(c.id)}
                >
                  <td className="whitespace-nowrap px-3 py-2">
                    <button
                      type="button"
                      className="text-left text-brand-700 hover:underline"
                      onClick={() => setOpen(c.id)}
                    >
                      {dateTime(c.createdAt)}
                    </button>
                  </td>
                  {all ? <td className="max-w-[12rem] truncate px-3 py-2">{c.userEmail ?? c.userId ?? "—"}</td> : null}
                  <td className="px-3 py-2">
                    <div className="font-medium text-ink">{c.model ?? "—"}</div>
                    <div className="text-xs text-ink-faint">{c.providerName}</div>
                  </td>
                  <td className="whitespace-nowrap px-3 py-2 text-ink-muted" data-testid="call-api">
                    {c.api ? (API_LABELS[c.api] ?? c.api) : "—"}
                  </td>
                  <td className="max-w-[10rem] truncate px-3 py-2 text-ink-muted">
                    {c.accessKeyName ?? "—"}
                    {c.appName ? <div className="text-xs text-ink-faint">{c.appName}</div> : null}
                  </td>
                  <td className="px-3 py-2">
                    <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_CLASS[c.status] ?? ""}`}>
                      {c.status}
                    </span>
                  </td>
                  <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">
                    {count(c.inputTokens)} / {count(c.outputTokens)}
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums" title={creditsText(c.costMicro)}>
                    {creditsShort(c.costMicro)}
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{msText(c.durationMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="mt-4 flex justify-end gap-2">
        <button
          type="button"
          className="btn-secondary"
          disabled={cursors.length < 2}
          onClick={() => setCursors((s) => s.slice(0, -1))}
        >
          Newer
        </button>
        <button
          type="button"
          className="btn-secondary"
          disabled={!page.data?.nextCursor}
          onClick={() => setCursors((s) => [...s, page.data!.nextCursor])}
        >
          Older
        </button>
      </div>
      <CallDrawer id={open} scope={scope} onClose={() => setOpen(null)} />
    </div>
  );
}
