/**
 * Money is integer micro-units (1 credit = 1,000,000 micro-credits; $1 = 1,000,000 micro-dollars), never floats
 * (docs/architecture.md). These parse and print decimal strings exactly.
 */
export const MICRO = 1_000_000;

/** "12.5" → 12_500_000. Accepts up to 6 decimals; null for anything else. */
export function parseMicro(text: string): number | null {
  const m = /^\s*(-)?(\d{1,12})(?:\.(\d{1,6}))?\s*$/.exec(text);
  if (!m) return null;
  const whole = Number(m[2]) * MICRO;
  const frac = Number((m[3] ?? "").padEnd(6, "0"));
  const value = whole + frac;
  return m[1] ? -value : value;
}

/** 12_500_000 → "12.5" (trailing zeros trimmed). */
export function formatMicro(micro: number): string {
  const sign = micro < 0 ? "-" : "";
  const abs = Math.abs(micro);
  const whole = Math.floor(abs / MICRO);
  const frac = String(abs % MICRO)
    .padStart(6, "0")
    .replace(/0+$/, "");
  // String(), not toLocaleString(): the same digits for any safe integer, and an export formats millions of them.
  return sign + String(whole) + (frac ? "." + frac : "");
}

const WHOLE_CREDITS = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const SMALL_CREDITS = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 2 });

/**
 * Credits for reading at a glance (dashboards, tables, chart axes), where the exact value (formatMicro) would be a
 * wall of digits: one credit and more with at most two decimals and thousands separators ("1,234.57"), less than
 * one credit to two significant digits without trailing zeros ("0.15", "0.0042", "0.000004"). Ledgers, forms and
 * exports keep formatMicro's exact value.
 */
export function readableCredits(micro: number): string {
  const credits = micro / MICRO;
  return Math.abs(micro) >= MICRO ? WHOLE_CREDITS.format(credits) : SMALL_CREDITS.format(credits);
}

/**
 * Micro-credits as a JSON number of credits (usage.cost, aigneHubCredits): 1234 → 0.001234. A division of two exact
 * integers is rounded once, to the double nearest the exact quotient, which is the decimal formatMicro writes: the
 * same number as parsing that text, for |n| < 2^53, without making it.
 */
export function microToCredits(micro: number): number {
  return micro === 0 ? 0 : micro / MICRO; // never -0
}
