import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { PlaygroundProvider } from "@server/playground/models.server";
import { useTRPC } from "~/lib/trpc";
import type { PlaygroundError } from "./api-error";
import { ChatSettings, toParams, type ChatSettingsValue } from "./chat-settings";
import { ConversationList } from "./conversation-list";
import { ErrorNotice } from "./error-notice";
import { creditsToMicro } from "./format";
import { MessageView, type ShownMessage } from "./message-view";
import { Composer } from "./composer";
import type { ChatMessage } from "./stream-chat";
import { useChatStream } from "./use-chat-stream";
import { ViewCodeButton } from "./view-code-dialog";

/**
 * The chat tab: settings on the side, the conversation in the middle, answers streaming in as they arrive. Each
 * finished (or stopped) exchange is saved; the conversation's id goes into the URL, so a reload brings it back.
 */
export function ChatPanel({
  providers,
  hubUrl,
  settings,
  onSettings,
  conversationId,
  onConversation,
}: {
  providers: PlaygroundProvider[];
  hubUrl: string;
  settings: ChatSettingsValue;
  onSettings: (s: ChatSettingsValue) => void;
  conversationId: string | null;
  onConversation: (id: string | null) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const save = useMutation(trpc.playground.saveExchange.mutationOptions());
  const [messages, setMessages] = useState<ShownMessage[]>([]);
  const [pendingPrompt, setPendingPrompt] = useState<string | null>(null);
  const [prompt, setPrompt] = useState("");
  const [error, setError] = useState<PlaygroundError | null>(null);
  const stream = useChatStream();
  // Which conversation the messages on screen belong to: one this tab just created is not loaded again.
  const shown = useRef<string | null>(null);
  // Never from the cache (gcTime 0): a conversation continued since it was last opened must come back whole.
  const saved = useQuery({
    ...trpc.playground.get.queryOptions({ id: conversationId ?? "" }),
    enabled: conversationId !== null && shown.current !== conversationId,
    gcTime: 0,
    staleTime: 0,
  });
  const bottom = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (conversationId === null) {
      if (shown.current !== null) {
        shown.current = null;
        setMessages([]);
        setError(null);
      }
      return;
    }
    if (!saved.data || saved.data.id !== conversationId || shown.current === conversationId) return;
    shown.current = conversationId;
    setError(null);
    setMessages(
      saved.data.messages
        .filter((m) => m.role !== "system")
        .map((m) => ({ ...m, role: m.role as "user" | "assistant" })),
    );
    const p = saved.data.params ?? {};
    onSettings({
      model: saved.data.model ?? settings.model,
      systemPrompt: saved.data.systemPrompt ?? "",
      temperature: p.temperature?.toString() ?? "",
      topP: p.topP?.toString() ?? "",
      maxTokens: p.maxTokens?.toString() ?? "",
    });
    // Only these two: settings are replaced once, when a conversation is opened, not on every edit.
  }, [conversationId, saved.data]);

  // A block body on purpose: newer Chromium returns a Promise from scrollIntoView, and React would call it as cleanup.
  useEffect(() => {
    bottom.current?.scrollIntoView({ block: "end" });
  }, [messages.length, stream.text]);

  const history: ChatMessage[] = [
    ...(settings.systemPrompt.trim() ? [{ role: "system" as const, content: settings.systemPrompt }] : []),
    ...messages.map((m) => ({ role: m.role, content: m.content })),
  ];
  const request = (text: string) => ({
    model: settings.model,
    messages: [...history, { role: "user" as const, content: text }],
    ...toParams(settings),
  });

  async function send() {
    const text = prompt.trim();
    if (!text || stream.running || !settings.model) return;
    setError(null);
    setPendingPrompt(text);
    setPrompt("");
    const result = await stream.start(request(text));
    setPendingPrompt(null);
    if (result.status === "failed" && !result.text) {
      setError(result.error);
      setPrompt(text); // nothing was answered: the prompt goes back into the box to try again
      return;
    }
    if (result.error) setError(result.error);
    const params = toParams(settings);
    const seen = {
      inputTokens: result.inputTokens,
      outputTokens: result.outputTokens,
      ttftMs: result.ttftMs,
      durationMs: result.durationMs,
      costMicro: creditsToMicro(result.cost),
    };
    const userMessage: ShownMessage = { id: `local-${result.requestId}-u`, role: "user", content: text };
    const answer: ShownMessage = {
      id: `local-${result.requestId}-a`,
      role: "assistant",
      content: result.text,
      model: settings.model,
      stopped: result.status === "stopped",
      ...seen,
    };
    setMessages((m) => [...m, userMessage, answer]);
    try {
      const out = await save.mutateAsync({
        conversationId: shown.current,
        model: settings.model,
        systemPrompt: settings.systemPrompt.trim() || null,
        params: { temperature: params.temperature, topP: params.top_p, maxTokens: params.max_tokens },
        prompt: text,
        answer: result.text,
        requestId: result.requestId,
        seen,
      });
      // The call record's numbers replace what the browser measured.
      setMessages((m) =>
        m.map((x) => (x.id === answer.id ? { ...x, ...out.assistant, role: "assistant", stopped: answer.stopped } : x)),
      );
      if (shown.current !== out.conversationId) {
        shown.current = out.conversationId;
        onConversation(out.conversationId);
      }
      await queryClient.invalidateQueries({ queryKey: trpc.playground.list.queryKey() });
    } catch (e) {
      setError({
        status: 0,
        message: `The answer could not be saved: ${e instanceof Error ? e.message : "unknown error"}`,
        code: null,
        link: null,
        retryAfterSeconds: null,
      });
    }
  }

  const codeRequest = settings.model ? { kind: "chat" as const, body: request(prompt.trim() || "Hello!") } : null;
  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-[14rem_minmax(0,1fr)_18rem]">
      <aside className="lg:max-h-[calc(100vh-12rem)]">
        <ConversationList
          currentId={conversationId}
          onOpen={(id) => !stream.running && onConversation(id)}
          onNew={() => !stream.running && onConversation(null)}
          onDeleted={(id) => id === conversationId && onConversation(null)}
        />
      </aside>
      <section aria-label="Chat" className="card flex min-h-[32rem] min-w-0 flex-col">
        <div className="flex-1 space-y-4 overflow-y-auto p-4" data-testid="chat-log">
          {saved.isError && shown.current !== conversationId ? (
            <p role="alert" className="rounded-lg bg-danger-soft px-3 py-2 text-sm text-danger">
              {saved.error.message}
            </p>
          ) : null}
          {messages.length === 0 && pendingPrompt === null && !saved.isError ? (
            <p className="py-16 text-center text-sm text-ink-faint">
              {saved.isFetching
                ? "Loading the conversation…"
                : "Send a message to start. Answers stream in as the model writes them."}
            </p>
          ) : null}
          {messages.map((m) => (
            <MessageView key={m.id} message={m} />
          ))}
          {pendingPrompt !== null ? (
            <>
              <MessageView message={{ id: "pending-user", role: "user", content: pendingPrompt }} />
              <MessageView message={{ id: "pending-answer", role: "assistant", content: stream.text }} streaming />
            </>
          ) : null}
          <div ref={bottom} />
        </div>
        <div className="space-y-3 border-t border-line p-4">
          {error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : null}
          <Composer
            value={prompt}
            onChange={setPrompt}
            onSend={send}
            onStop={stream.stop}
            running={stream.running}
            disabled={!settings.model}
          />
        </div>
      </section>
      <aside className="space-y-4">
        <div className="card space-y-4 p-4">
          <ChatSettings value={settings} onChange={onSettings} providers={providers} disabled={stream.running} />
        </div>
        <ViewCodeButton hubUrl={hubUrl} request={codeRequest} />
      </aside>
    </div>
  );
}
