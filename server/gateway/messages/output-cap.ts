/**
 * A Messages body with its output budget lowered to what the caller's balance covers (server/billing/
 * call-billing.server.ts reserveForCall). Anthropic requires `thinking.budget_tokens` below `max_tokens` (and at
 * least 1,024), so an enabled thinking budget shrinks with it, or thinking is left out when it cannot fit. Pure.
 */
const MIN_THINKING_BUDGET = 1_024;

export function withOutputCap(body: Record<string, unknown>, cap: number | null): Record<string, unknown> {
  if (cap === null) return body;
  const out: Record<string, unknown> = { ...body, max_tokens: cap };
  const thinking = body.thinking as { type?: unknown; budget_tokens?: unknown } | undefined;
  if (thinking?.type === "enabled" && typeof thinking.budget_tokens === "number" && thinking.budget_tokens >= cap) {
    if (cap - 1 >= MIN_THINKING_BUDGET) out.thinking = { ...thinking, budget_tokens: cap - 1 };
    else delete out.thinking;
  }
  return out;
}
