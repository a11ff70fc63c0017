import { useState } from "react";
import type { PlaygroundProvider } from "@server/playground/models.server";
import type { PlaygroundError } from "./api-error";
import { ErrorNotice } from "./error-notice";
import { firstModel, ModelSelect } from "./model-select";
import { postJson } from "./post-json";
import { ViewCodeButton } from "./view-code-dialog";

const DEFAULT_SIZE = "1024x1024";
const SIZES = [DEFAULT_SIZE, "1024x1536", "1536x1024", "512x512", "256x256"];

interface ImagesAnswer {
  data?: Array<{ b64_json?: string; url?: string; revised_prompt?: string }>;
  usage?: { cost?: number };
}

/** Only images we can show safely: inline PNG/JPEG/WebP data, or http(s) addresses. */
function imageSrc(item: { b64_json?: string; url?: string }): string | null {
  if (item.b64_json) return `data:image/png;base64,${item.b64_json}`;
  if (item.url && /^(https?:\/\/|data:image\/(png|jpeg|webp);base64,)/i.test(item.url)) return item.url;
  return null;
}

export function ImagesPanel({ providers, hubUrl }: { providers: PlaygroundProvider[]; hubUrl: string }) {
  const [model, setModel] = useState(() => firstModel(providers, "image"));
  const [prompt, setPrompt] = useState("");
  const [size, setSize] = useState(DEFAULT_SIZE);
  const [count, setCount] = useState(1);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<PlaygroundError | null>(null);
  const [images, setImages] = useState<string[]>([]);
  const [cost, setCost] = useState<number | null>(null);
  const body = { model, prompt: prompt.trim() || "A watercolor lighthouse at dawn", n: count, size };

  async function generate(e: React.FormEvent) {
    e.preventDefault();
    if (!prompt.trim() || !model) return;
    setBusy(true);
    setError(null);
    const result = await postJson<ImagesAnswer>("/api/playground/images/generations", {
      ...body,
      response_format: "b64_json",
    });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    setImages((result.data.data ?? []).map(imageSrc).filter((s): s is string => s !== null));
    setCost(result.data.usage?.cost ?? result.cost);
  }

  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-[20rem_minmax(0,1fr)]">
      <form className="card space-y-4 p-4" onSubmit={generate} aria-label="Generate images">
        <ModelSelect
          id="image-model"
          label="Model"
          providers={providers}
          type="image"
          value={model}
          onChange={setModel}
        />
        <div>
          <label htmlFor="image-prompt" className="field-label">
            Prompt
          </label>
          <textarea
            id="image-prompt"
            rows={4}
            className="field-input resize-y"
            value={prompt}
            onChange={(e) => setPrompt(e.target.value)}
            placeholder="A watercolor lighthouse at dawn"
          />
        </div>
        <div className="grid grid-cols-2 gap-3">
          <div>
            <label htmlFor="image-size" className="field-label">
              Size
            </label>
            <select id="image-size" className="field-input" value={size} onChange={(e) => setSize(e.target.value)}>
              {SIZES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="image-count" className="field-label">
              Count
            </label>
            <select
              id="image-count"
              className="field-input"
              value={count}
              onChange={(e) => setCount(Number(e.target.value))}
            >
              {[1, 2, 3, 4].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="flex flex-wrap gap-2">
          <button type="submit" className="btn-primary" disabled={busy || !prompt.trim() || !model}>
            {busy ? "Generating…" : "Generate"}
          </button>
          <ViewCodeButton hubUrl={hubUrl} request={model ? { kind: "image", body } : null} />
        </div>
      </form>
      <section aria-label="Generated images" className="min-w-0 space-y-3">
        {error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : null}
        {images.length === 0 && !error ? (
          <div className="card px-6 py-16 text-center text-sm text-ink-faint">
            {busy ? "Generating…" : "Images appear here."}
          </div>
        ) : null}
        {images.length ? (
          <>
            <ul className="grid grid-cols-2 gap-4 xl:grid-cols-3">
              {images.map((src, i) => (
                <li key={i} className="card overflow-hidden" data-testid="generated-image">
                  <img
                    src={src}
                    alt={`Generated image ${i + 1} for: ${prompt}`}
                    className="aspect-square w-full bg-surface-sunken object-contain [image-rendering:pixelated]"
                  />
                  <div className="flex justify-end border-t border-line p-2">
                    <a className="btn-secondary px-3 py-1 text-xs" href={src} download={`image-${i + 1}.png`}>
                      Download image {i + 1}
                    </a>
                  </div>
                </li>
              ))}
            </ul>
            {cost !== null ? <p className="text-xs text-ink-faint">{cost} credits</p> : null}
          </>
        ) : null}
      </section>
    </div>
  );
}
