/** Small pieces the console's pages share: badges, loading and error states, section cards, tables, paging. */
import { useState } from "react";
import { errorInfo } from "./errors";

const TONES = {
  ok: "bg-ok-soft text-ok",
  warn: "bg-warn-soft text-warn",
  danger: "bg-danger-soft text-danger",
  brand: "bg-brand-50 text-brand-700",
  muted: "bg-surface-sunken text-ink-muted",
} as const;

export type Tone = keyof typeof TONES;

export function Badge({ tone = "muted", children, title }: { tone?: Tone; children: React.ReactNode; title?: string }) {
  return (
    <span
      title={title}
      className={`inline-flex items-center whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ${TONES[tone]}`}
    >
      {children}
    </span>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <div className="card flex items-center gap-3 px-6 py-10 text-sm text-ink-muted" role="status">
      <span
        className="h-4 w-4 animate-spin rounded-full border-2 border-line-strong border-t-brand-600"
        aria-hidden="true"
      />
      Loading {what}…
    </div>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div
      role="alert"
      className="card flex flex-wrap items-center justify-between gap-3 border-danger/30 bg-danger-soft px-6 py-4 text-sm text-danger"
    >
      <span>{errorInfo(error).message}</span>
      {onRetry ? (
        <button type="button" className="btn-secondary px-3 py-1" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function Section({
  title,
  description,
  actions,
  children,
}: {
  title: string;
  description?: React.ReactNode;
  actions?: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <section className="card p-5">
      <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 className="text-base font-semibold text-ink">{title}</h2>
          {description ? <p className="mt-0.5 text-sm text-ink-muted">{description}</p> : null}
        </div>
        {actions}
      </div>
      {children}
    </section>
  );
}

export const th = "whitespace-nowrap px-3 py-2.5 text-left text-xs font-medium uppercase tracking-wide text-ink-faint";
export const td = "px-3 py-2.5 align-top";
/** The row actions' column: pinned to the right of a table that scrolls (a phone), buttons stacked there. */
export const actionsTh = `${th} actions-head`;
export const actionsTd = `${td} actions-cell`;
export const actionsRow = "flex flex-col items-end gap-1.5 sm:flex-row sm:justify-end";

/** A table in a card, scrolling sideways on narrow screens. */
export function Table({
  caption,
  head,
  children,
  minWidth = "48rem",
}: {
  caption: string;
  head: React.ReactNode;
  children: React.ReactNode;
  minWidth?: string;
}) {
  return (
    <div className="card table-scroll">
      <table className="w-full text-sm" style={{ minWidth }}>
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-line bg-surface-muted">{head}</thead>
        <tbody className="divide-y divide-line">{children}</tbody>
      </table>
    </div>
  );
}

export function SmallButton({
  children,
  danger = false,
  ...props
}: React.ButtonHTMLAttributes<HTMLButtonElement> & { danger?: boolean }) {
  return (
    <button type="button" className={`btn-secondary px-2.5 py-1 text-xs ${danger ? "text-danger" : ""}`} {...props}>
      {children}
    </button>
  );
}

/**
 * Paging state of a filtered list: `range` for the query, and `filtered(set)` wrapping a filter's setter so a new
 * filter starts again at the first page.
 */
export function usePaging(pageSize: number) {
  const [page, setPage] = useState(0);
  const filtered = (set: (value: string) => void) => (value: string) => {
    set(value);
    setPage(0);
  };
  return { page, setPage, range: { limit: pageSize, offset: page * pageSize }, filtered };
}

/**
 * Previous/next under a paged table: "51–100 of 230 people". `total` is optional for lists that only know whether
 * a page came back full (then "Next" stays enabled while it did).
 */
export function Pager({
  page,
  pageSize,
  shown,
  total,
  noun,
  onPage,
}: {
  page: number;
  pageSize: number;
  shown: number;
  total?: number;
  noun: string;
  onPage(page: number): void;
}) {
  const first = page * pageSize;
  const hasNext = total !== undefined ? first + shown < total : shown === pageSize;
  return (
    <nav
      className="mt-2 flex flex-wrap items-center justify-between gap-2 text-xs text-ink-faint"
      aria-label={`Pages of ${noun}`}
    >
      <p>
        {shown === 0
          ? `No ${noun}`
          : `${first + 1}–${first + shown}${total !== undefined ? ` of ${total}` : ""} ${noun}`}
      </p>
      {page > 0 || hasNext ? (
        <div className="flex gap-1.5">
          <SmallButton disabled={page === 0} onClick={() => onPage(page - 1)}>
            Previous
          </SmallButton>
          <SmallButton disabled={!hasNext} onClick={() => onPage(page + 1)}>
            Next
          </SmallButton>
        </div>
      ) : null}
    </nav>
  );
}
