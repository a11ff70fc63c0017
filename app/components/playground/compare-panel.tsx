import { useState } from "react";
import type { PlaygroundProvider } from "@server/playground/models.server";
import type { PlaygroundError } from "./api-error";
import { toParams, type ChatSettingsValue } from "./chat-settings";
import { Composer } from "./composer";
import { ErrorNotice } from "./error-notice";
import { creditsToMicro } from "./format";
import { MessageView, type ShownMessage } from "./message-view";
import { firstModel, ModelSelect } from "./model-select";
import type { ChatRequest } from "./stream-chat";
import { useChatStream } from "./use-chat-stream";
import { ViewCodeButton } from "./view-code-dialog";

interface Side {
  answer: ShownMessage | null;
  error: PlaygroundError | null;
}

/** One prompt to two models at once, both streaming side by side (with the chat tab's system prompt and parameters). */
export function ComparePanel({
  providers,
  hubUrl,
  settings,
}: {
  providers: PlaygroundProvider[];
  hubUrl: string;
  settings: ChatSettingsValue;
}) {
  const chatModels = providers.flatMap((p) => p.models.filter((m) => m.type === "chat").map((m) => m.id));
  const [models, setModels] = useState<[string, string]>(() => [
    settings.model || firstModel(providers, "chat"),
    chatModels[1] ?? chatModels[0] ?? "",
  ]);
  const [prompt, setPrompt] = useState("");
  const [asked, setAsked] = useState<string | null>(null);
  const [sides, setSides] = useState<[Side, Side]>([
    { answer: null, error: null },
    { answer: null, error: null },
  ]);
  const streams = [useChatStream(), useChatStream()] as const;
  const running = streams[0].running || streams[1].running;

  const request = (model: string, text: string): ChatRequest => ({
    model,
    messages: [
      ...(settings.systemPrompt.trim() ? [{ role: "system" as const, content: settings.systemPrompt }] : []),
      { role: "user", content: text },
    ],
    ...toParams(settings),
  });

  async function send() {
    const text = prompt.trim();
    if (!text || running) return;
    setAsked(text);
    setSides([
      { answer: null, error: null },
      { answer: null, error: null },
    ]);
    await Promise.all(
      ([0, 1] as const).map(async (i) => {
        const r = await streams[i].start(request(models[i], text));
        const answer: ShownMessage = {
          id: r.requestId,
          role: "assistant",
          content: r.text,
          model: models[i],
          stopped: r.status === "stopped",
          inputTokens: r.inputTokens,
          outputTokens: r.outputTokens,
          ttftMs: r.ttftMs,
          durationMs: r.durationMs,
          costMicro: creditsToMicro(r.cost),
        };
        setSides((s) => {
          const next = [...s] as [Side, Side];
          next[i] = { answer: r.status === "failed" && !r.text ? null : answer, error: r.error };
          return next;
        });
      }),
    );
  }

  return (
    <div className="space-y-4">
      <div className="card grid grid-cols-1 gap-4 p-4 md:grid-cols-2">
        {([0, 1] as const).map((i) => (
          <ModelSelect
            key={i}
            id={`compare-model-${i}`}
            label={i === 0 ? "Model A" : "Model B"}
            providers={providers}
            type="chat"
            value={models[i]}
            disabled={running}
            onChange={(m) => setModels((cur) => (i === 0 ? [m, cur[1]] : [cur[0], m]))}
          />
        ))}
      </div>
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        {([0, 1] as const).map((i) => (
          <section
            key={i}
            aria-label={`Answer from model ${i === 0 ? "A" : "B"}`}
            className="card min-w-0 space-y-3 p-4"
            data-testid={`compare-${i === 0 ? "a" : "b"}`}
          >
            <h2 className="truncate text-sm font-semibold text-ink">{models[i] || "No model"}</h2>
            {asked === null ? <p className="text-sm text-ink-faint">The answer appears here.</p> : null}
            {streams[i].running ? (
              <MessageView message={{ id: "streaming", role: "assistant", content: streams[i].text }} streaming />
            ) : null}
            {!streams[i].running && sides[i].answer ? <MessageView message={sides[i].answer} /> : null}
            {sides[i].error ? <ErrorNotice error={sides[i].error} /> : null}
          </section>
        ))}
      </div>
      <div className="card space-y-3 p-4">
        {asked !== null ? (
          <p className="text-xs text-ink-faint">
            Asked: <span className="text-ink-muted">{asked}</span>
          </p>
        ) : null}
        <Composer
          id="compare-prompt"
          label="Prompt for both models"
          value={prompt}
          onChange={setPrompt}
          onSend={send}
          onStop={() => streams.forEach((s) => s.stop())}
          running={running}
          disabled={!models[0] || !models[1]}
        />
        <ViewCodeButton
          hubUrl={hubUrl}
          request={models[0] ? { kind: "chat", body: request(models[0], prompt.trim() || "Hello!") } : null}
        />
      </div>
    </div>
  );
}
