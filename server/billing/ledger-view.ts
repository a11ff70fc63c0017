/**
 * How the ledger is shown and filtered, shared by the Billing page and the admin's ledger search. Pure.
 */
import type { LedgerKind } from "../../drizzle/schema";
import { formatMicro } from "./money";

export const KIND_LABELS: Record<LedgerKind, string> = {
  grant: "Grant",
  purchase: "Top-up",
  reserve: "Hold",
  settle: "Charge",
  release: "Hold released",
  refund: "Refund",
  adjustment: "Adjustment",
};

/** Filter groups: holds are bookkeeping around each call, hidden unless asked for. */
export const KIND_FILTERS = {
  activity: { label: "Charges and top-ups", kinds: ["grant", "purchase", "settle", "refund", "adjustment"] },
  charges: { label: "Charges", kinds: ["settle"] },
  topups: { label: "Top-ups and grants", kinds: ["grant", "purchase", "refund", "adjustment"] },
  holds: { label: "Holds", kinds: ["reserve", "release"] },
  all: { label: "Everything", kinds: ["grant", "purchase", "reserve", "settle", "release", "refund", "adjustment"] },
} satisfies Record<string, { label: string; kinds: LedgerKind[] }>;

export type KindFilter = keyof typeof KIND_FILTERS;

export interface LedgerFilters {
  kind: KindFilter;
  /** YYYY-MM-DD, inclusive, UTC. */
  from: string;
  to: string;
  /** Older than this entry (pagination): "<createdAt ms>:<id>". */
  before: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function parseLedgerFilters(params: URLSearchParams): LedgerFilters {
  const kind = params.get("kind") ?? "activity";
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  const before = params.get("before") ?? "";
  return {
    kind: kind in KIND_FILTERS ? (kind as KindFilter) : "activity",
    from: DAY.test(from) ? from : "",
    to: DAY.test(to) ? to : "",
    before: /^\d{1,15}:[\w-]{1,80}$/.test(before) ? before : "",
  };
}

/** The filters as a time range in epoch ms: [from 00:00 UTC, the day after `to` 00:00 UTC). */
export function filterRange(f: LedgerFilters): {
  fromMs: number | null;
  toMs: number | null;
  before: { at: number; id: string } | null;
} {
  const [at, id] = f.before ? f.before.split(":") : [];
  return {
    fromMs: f.from ? Date.parse(`${f.from}T00:00:00Z`) : null,
    toMs: f.to ? Date.parse(`${f.to}T00:00:00Z`) + 86_400_000 : null,
    before: at && id ? { at: Number(at), id } : null,
  };
}

export interface LedgerRow {
  id: string;
  kind: LedgerKind;
  amountMicro: number;
  balanceAfterMicro: number;
  reason: string | null;
  reference: string | null;
  actorId: string | null;
  createdAt: Date;
}

export interface LedgerLine {
  id: string;
  kind: LedgerKind;
  label: string;
  amount: string;
  amountMicro: number;
  balanceAfter: string;
  reason: string;
  reference: string | null;
  /** "2025-06-01 14:03 UTC": the same on server and client, so hydration matches. */
  when: string;
  cursor: string;
}

export function formatWhen(date: Date): string {
  return date.toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

export function toLedgerLine(r: LedgerRow): LedgerLine {
  return {
    id: r.id,
    kind: r.kind,
    label: KIND_LABELS[r.kind],
    amount: (r.amountMicro > 0 ? "+" : "") + formatMicro(r.amountMicro),
    amountMicro: r.amountMicro,
    balanceAfter: formatMicro(r.balanceAfterMicro),
    reason: r.reason ?? "",
    reference: r.reference,
    when: formatWhen(r.createdAt),
    cursor: `${r.createdAt.getTime()}:${r.id}`,
  };
}

/** First day of the month (UTC) of `now`, in epoch ms. */
export function monthStart(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}
