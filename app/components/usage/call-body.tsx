/**
 * A logged request or response body in the call drawer: pretty-printed when it is JSON (stored compact, to keep
 * the table small), as is otherwise (a truncated body no longer parses, and its marker must stay visible).
 */
function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function CallBody({ title, text, missing }: { title: string; text: string | null; missing: string }) {
  const id = `call-body-${title.toLowerCase().replace(/\W+/g, "-")}`;
  return (
    <section className="mt-4" aria-labelledby={id}>
      <h3 id={id} className="mb-1 text-sm font-semibold text-ink">
        {title}
      </h3>
      {text ? (
        <pre
          tabIndex={0}
          aria-labelledby={id}
          data-testid={id}
          className="max-h-96 overflow-auto whitespace-pre-wrap break-words rounded-md bg-surface-sunken p-3 font-mono text-xs text-ink"
        >
          {pretty(text)}
        </pre>
      ) : (
        <p className="text-sm text-ink-faint">{missing}</p>
      )}
    </section>
  );
}

/** Why a call shows no bodies, given the body-log settings and the call's age. */
export function missingBodyText(c: {
  bodyLogging: boolean;
  bodiesExpired: boolean;
  bodyLogRetentionDays: number;
}): string {
  if (!c.bodyLogging) return "Not kept: body logging is off in the settings.";
  if (c.bodiesExpired)
    return `Pruned: bodies are kept for ${c.bodyLogRetentionDays} day${c.bodyLogRetentionDays === 1 ? "" : "s"}.`;
  return "Not kept for this call (made while body logging was off, or it ended before an answer).";
}
