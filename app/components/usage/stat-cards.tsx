/** The totals of the range: one card per metric. */
import type { RouterOutputs } from "~/lib/trpc";
import { count, creditsShort, creditsText, msTriple, percentText } from "./format";

type Totals = RouterOutputs["usage"]["totals"];

interface StatProps {
  label: string;
  value: string;
  hint?: string;
  testId?: string;
  small?: boolean;
  /** The exact value, where the card shows it rounded. */
  title?: string;
}

function Stat({ label, value, hint, testId, small, title }: StatProps) {
  return (
    <div className="card p-4">
      <div className="text-xs font-medium uppercase tracking-wide text-ink-faint">{label}</div>
      <div
        className={`mt-1 font-semibold tabular-nums text-ink ${small ? "text-lg leading-8" : "whitespace-nowrap text-2xl"}`}
        data-testid={testId}
        title={title}
      >
        {/* "5.38 s / 25.6 s / 34.6 s" is wider than a card on a phone: it wraps between values, never inside one. */}
        {small
          ? value.split(" / ").map((part, i) => (
              <span key={i}>
                {i > 0 ? " / " : null}
                <span className="whitespace-nowrap">{part}</span>
              </span>
            ))
          : value}
      </div>
      {hint ? <div className="mt-0.5 text-xs text-ink-muted">{hint}</div> : null}
    </div>
  );
}

export function StatCards({ totals }: { totals: Totals }) {
  return (
    <div className="mb-6 grid grid-cols-2 gap-3 md:grid-cols-3">
      <Stat
        label="Requests"
        value={count(totals.requests)}
        hint={`${count(totals.failed)} failed`}
        testId="total-requests"
      />
      <Stat label="Error rate" value={percentText(totals.errorRate)} testId="error-rate" />
      <Stat
        label="Input tokens"
        value={count(totals.inputTokens)}
        hint={totals.cachedInputTokens ? `${count(totals.cachedInputTokens)} cached` : undefined}
        testId="input-tokens"
      />
      <Stat label="Output tokens" value={count(totals.outputTokens)} testId="output-tokens" />
      <Stat
        label="Cost (credits)"
        value={creditsShort(totals.costMicro)}
        title={`${creditsText(totals.costMicro)} credits`}
        testId="total-cost"
      />
      <Stat
        label="Latency p50 / p95 / p99"
        value={msTriple([totals.p50DurationMs, totals.p95DurationMs, totals.p99DurationMs])}
        hint={`First token ${msTriple([totals.p50TtftMs, totals.p95TtftMs, totals.p99TtftMs])}`}
        testId="latency"
        small
      />
    </div>
  );
}
