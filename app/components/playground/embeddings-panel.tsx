import { useState } from "react";
import type { PlaygroundProvider } from "@server/playground/models.server";
import type { PlaygroundError } from "./api-error";
import { ErrorNotice } from "./error-notice";
import { firstModel, ModelSelect } from "./model-select";
import { postJson } from "./post-json";
import { ViewCodeButton } from "./view-code-dialog";

interface EmbeddingAnswer {
  data?: Array<{ embedding: number[] | string }>;
  usage?: { prompt_tokens?: number; cost?: number };
}

const PREVIEW = 8;

export function EmbeddingsPanel({ providers, hubUrl }: { providers: PlaygroundProvider[]; hubUrl: string }) {
  const [model, setModel] = useState(() => firstModel(providers, "embedding"));
  const [input, setInput] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<PlaygroundError | null>(null);
  const [result, setResult] = useState<{ vector: number[]; tokens: number | null; cost: number | null } | null>(null);
  const body = { model, input: input.trim() || "The quick brown fox" };

  async function embed(e: React.FormEvent) {
    e.preventDefault();
    if (!input.trim() || !model) return;
    setBusy(true);
    setError(null);
    const answer = await postJson<EmbeddingAnswer>("/api/playground/embeddings", { ...body, encoding_format: "float" });
    setBusy(false);
    if (!answer.ok) return setError(answer.error);
    const vector = answer.data.data?.[0]?.embedding;
    setResult({
      vector: Array.isArray(vector) ? vector : [],
      tokens: answer.data.usage?.prompt_tokens ?? null,
      cost: answer.data.usage?.cost ?? null,
    });
  }

  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-[20rem_minmax(0,1fr)]">
      <form className="card space-y-4 p-4" onSubmit={embed} aria-label="Create an embedding">
        <ModelSelect
          id="embedding-model"
          label="Model"
          providers={providers}
          type="embedding"
          value={model}
          onChange={setModel}
        />
        <div>
          <label htmlFor="embedding-input" className="field-label">
            Text
          </label>
          <textarea
            id="embedding-input"
            rows={5}
            className="field-input resize-y"
            value={input}
            onChange={(e) => setInput(e.target.value)}
            placeholder="The quick brown fox"
          />
        </div>
        <div className="flex flex-wrap gap-2">
          <button type="submit" className="btn-primary" disabled={busy || !input.trim() || !model}>
            {busy ? "Embedding…" : "Embed"}
          </button>
          <ViewCodeButton hubUrl={hubUrl} request={model ? { kind: "embedding", body } : null} />
        </div>
      </form>
      <section aria-label="Embedding" className="min-w-0 space-y-3">
        {error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : null}
        {!result && !error ? (
          <div className="card px-6 py-16 text-center text-sm text-ink-faint">
            {busy ? "Embedding…" : "The vector appears here."}
          </div>
        ) : null}
        {result ? (
          <div className="card space-y-3 p-4" data-testid="embedding-result">
            <dl className="flex flex-wrap gap-x-8 gap-y-2 text-sm">
              <div>
                <dt className="text-ink-faint">Dimensions</dt>
                <dd className="text-lg font-semibold text-ink" data-testid="embedding-dimensions">
                  {result.vector.length}
                </dd>
              </div>
              {result.tokens !== null ? (
                <div>
                  <dt className="text-ink-faint">Tokens</dt>
                  <dd className="text-lg font-semibold text-ink">{result.tokens}</dd>
                </div>
              ) : null}
              {result.cost !== null ? (
                <div>
                  <dt className="text-ink-faint">Cost</dt>
                  <dd className="text-lg font-semibold text-ink">{result.cost} credits</dd>
                </div>
              ) : null}
            </dl>
            <div>
              <p className="field-label">First {Math.min(PREVIEW, result.vector.length)} values</p>
              <pre
                className="overflow-x-auto rounded-lg bg-surface-sunken p-3 font-mono text-xs text-ink"
                data-testid="embedding-preview"
              >
                [
                {result.vector
                  .slice(0, PREVIEW)
                  .map((v) => v.toFixed(6))
                  .join(", ")}
                {result.vector.length > PREVIEW ? ", …" : ""}]
              </pre>
            </div>
          </div>
        ) : null}
      </section>
    </div>
  );
}
