/**
 * Formatting and parsing for the console. Money is integer micro-units on the wire (docs/architecture.md); forms
 * show and take decimal strings, converted exactly (server/billing/money.ts, pure). Dates in UTC with a fixed
 * locale, as on the Keys page.
 */
import { formatMicro, parseMicro } from "@server/billing/money";

const DATE = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const TIME = new Intl.DateTimeFormat("en-GB", {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hour12: false,
  timeZone: "UTC",
});

export const formatDate = (iso: string | null) => (iso ? DATE.format(new Date(iso)) : "—");
export const formatDateTime = (iso: string | null) =>
  iso ? `${DATE.format(new Date(iso))}, ${TIME.format(new Date(iso))} UTC` : "—";

/** 150_000 → "$0.15", 600_000 → "$0.60", 75_000 → "$0.075": at least cents, more digits only when they matter. */
export function usd(micro: number | null | undefined): string {
  if (micro === null || micro === undefined) return "—";
  const [whole, frac = ""] = formatMicro(micro).split(".");
  return `$${whole}.${frac.padEnd(2, "0")}`;
}
/** 2_500_000 → "2.5". */
export const credits = (micro: number | null | undefined) =>
  micro === null || micro === undefined ? "—" : formatMicro(micro);
export const microText = (micro: number | null | undefined) =>
  micro === null || micro === undefined ? "" : formatMicro(micro);

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

export function percent(rate: number | null): string {
  if (rate === null) return "—";
  const p = rate * 100;
  return `${p < 10 && p > 0 ? p.toFixed(1) : Math.round(p)} %`;
}

/** A client-side field error shaped like the server's, so forms show both the same way. */
export class FieldError extends Error {
  readonly data: { fieldErrors: Record<string, string> };
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.data = { fieldErrors: { [field]: message } };
  }
}

/** "0.15" → 150_000; "" → null. Throws a FieldError for anything else. */
export function parseMoney(value: string, field: string): number | null {
  if (value.trim() === "") return null;
  const micro = parseMicro(value.replace(/^\$/, ""));
  if (micro === null || micro < 0) throw new FieldError(field, "must be an amount such as 0.15 (up to 6 decimals)");
  return micro;
}

/** "60" → 60; "" → null. Throws a FieldError for anything but a whole number. */
export function parseWhole(value: string, field: string): number | null {
  const v = value.trim().replace(/[_,\s]/g, "");
  if (v === "") return null;
  if (!/^\d{1,15}$/.test(v)) throw new FieldError(field, "must be a whole number");
  return Number(v);
}

/** The first message among several possible keys ("rate.inputPerMillion" from zod, "inputPerMillion" from a service). */
export function pick(errors: Record<string, string>, ...keys: string[]): string | undefined {
  for (const k of keys) if (errors[k]) return errors[k];
  return undefined;
}
