import { errorTitle, type PlaygroundError } from "./api-error";

/** A refused or failed call, said plainly: a 402 links to the payment page, a 429 says when to retry. */
export function ErrorNotice({ error, onDismiss }: { error: PlaygroundError; onDismiss?: () => void }) {
  return (
    <div
      role="alert"
      className="flex items-start justify-between gap-4 rounded-lg border border-danger/30 bg-danger-soft px-4 py-3 text-sm text-danger"
    >
      <div className="min-w-0">
        <p className="font-semibold">
          {errorTitle(error)}
          {error.status ? ` (${error.status})` : ""}
        </p>
        <p className="mt-1 break-words text-ink">{error.message}</p>
        {error.link ? (
          <p className="mt-2">
            <a
              href={error.link}
              target="_blank"
              rel="noopener noreferrer"
              className="font-medium text-brand-700 underline"
            >
              Buy credits
            </a>
          </p>
        ) : null}
        {error.retryAfterSeconds !== null ? (
          <p className="mt-1 text-ink-muted">Try again in {error.retryAfterSeconds} s.</p>
        ) : null}
      </div>
      {onDismiss ? (
        <button
          type="button"
          className="shrink-0 rounded px-2 py-1 text-ink-muted hover:bg-surface hover:text-ink"
          onClick={onDismiss}
          aria-label="Dismiss error"
        >
          ✕
        </button>
      ) : null}
    </div>
  );
}
