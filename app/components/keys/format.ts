/**
 * Formatting for the Keys page. Fixed locale and UTC, so the server's HTML and the browser's hydration agree
 * (a relative "5 minutes ago" or the browser's own time zone would differ between the two).
 */
const DATE = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const TIME = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: "UTC" });

export function formatDate(iso: string | null): string {
  return iso ? DATE.format(new Date(iso)) : "—";
}

export function formatDateTime(iso: string | null): string {
  if (!iso) return "Never";
  const d = new Date(iso);
  return `${DATE.format(d)}, ${TIME.format(d)} UTC`;
}

/** 950 → "950", 12_345 → "12.3k", 4_200_000 → "4.2M". */
export function formatCount(n: number): string {
  if (n < 1000) return String(n);
  const [value, unit] = n < 1_000_000 ? [n / 1000, "k"] : [n / 1_000_000, "M"];
  return `${value >= 100 ? Math.round(value) : Number(value.toFixed(1))}${unit}`;
}
