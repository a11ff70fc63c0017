import { metricsParts, type AnswerMetrics } from "./format";
import { useHydrated } from "~/lib/use-hydrated";
import { MarkdownView } from "./markdown-view.client";

export interface ShownMessage extends Partial<AnswerMetrics> {
  id: string;
  role: "user" | "assistant";
  content: string;
  model?: string | null;
  /** The answer was stopped before it ended. */
  stopped?: boolean;
}

/** One turn: the person's text as typed, the model's as Markdown, with its numbers underneath. */
export function MessageView({ message, streaming = false }: { message: ShownMessage; streaming?: boolean }) {
  if (message.role === "user") {
    return (
      <div className="flex justify-end" data-testid="user-message">
        <div className="max-w-[85%] whitespace-pre-wrap break-words rounded-2xl rounded-br-sm bg-brand-600 px-4 py-2 text-sm text-white">
          {message.content}
        </div>
      </div>
    );
  }
  const parts = metricsParts({
    inputTokens: message.inputTokens ?? null,
    outputTokens: message.outputTokens ?? null,
    ttftMs: message.ttftMs ?? null,
    durationMs: message.durationMs ?? null,
    costMicro: message.costMicro ?? null,
  });
  return (
    <div className="max-w-[95%]" data-testid="assistant-message">
      <div
        className="rounded-2xl rounded-bl-sm border border-line bg-surface px-4 py-3"
        aria-live={streaming ? "polite" : undefined}
        aria-busy={streaming}
      >
        {message.content ? (
          <AnswerText text={message.content} />
        ) : (
          <p className="text-sm text-ink-faint">{streaming ? "Waiting for the first token…" : "(no text)"}</p>
        )}
      </div>
      {!streaming ? (
        <p className="mt-1 flex flex-wrap gap-x-3 px-1 text-xs text-ink-faint" data-testid="answer-metrics">
          {message.model ? <span>{message.model}</span> : null}
          {message.stopped ? <span className="text-warn">stopped</span> : null}
          {parts.map((p) => (
            <span key={p}>{p}</span>
          ))}
        </p>
      ) : null}
    </div>
  );
}

/**
 * Markdown in the browser. The server and the hydrating page show the plain text: the Markdown libraries stay out of
 * the server process (docs/decisions/021-server-memory.md).
 */
function AnswerText({ text }: { text: string }) {
  const hydrated = useHydrated();
  if (!hydrated) return <p className="whitespace-pre-wrap break-words text-sm text-ink">{text}</p>;
  return <MarkdownView text={text} />;
}
