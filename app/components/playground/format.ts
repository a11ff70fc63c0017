/** Rates and answer numbers for the playground. Rates are micro-USD per million tokens (or per image). */
import { formatMicro } from "@server/billing/money";
import { msText } from "~/components/usage/format";
import type { PlaygroundModel } from "@server/playground/models.server";

const usd = (micro: number) => `$${formatMicro(micro)}`;

export function rateText(m: PlaygroundModel): string {
  if (m.type === "image") return m.perImage !== null ? `${usd(m.perImage)} per image` : "no price set";
  if (m.inputPerMillion === null && m.outputPerMillion === null) return "no price set";
  if (m.type === "embedding") return `${usd(m.inputPerMillion ?? 0)} / 1M tokens`;
  return `${usd(m.inputPerMillion ?? 0)} in · ${usd(m.outputPerMillion ?? 0)} out / 1M tokens`;
}

export interface AnswerMetrics {
  inputTokens: number | null;
  outputTokens: number | null;
  ttftMs: number | null;
  durationMs: number | null;
  costMicro: number | null;
}

/** "12 → 8 tokens · first token 120 ms · 1.20 s · 0.0042 credits", leaving out what is unknown. */
export function metricsParts(m: AnswerMetrics): string[] {
  const parts: string[] = [];
  if (m.inputTokens !== null || m.outputTokens !== null)
    parts.push(`${m.inputTokens ?? "?"} in · ${m.outputTokens ?? "?"} out tokens`);
  if (m.ttftMs !== null) parts.push(`first token ${msText(m.ttftMs)}`);
  if (m.durationMs !== null) parts.push(`total ${msText(m.durationMs)}`);
  if (m.costMicro !== null) parts.push(`${formatMicro(m.costMicro)} credits`);
  return parts;
}

/** Credits as the API returns them (a decimal number) → exact micro-units. */
export const creditsToMicro = (credits: number | null) => (credits === null ? null : Math.round(credits * 1_000_000));
