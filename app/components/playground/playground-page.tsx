import { useSearchParams } from "@remix-run/react";
import { useState } from "react";
import type { PlaygroundPageData } from "@server/playground/playground-page.server";
import { ChatPanel } from "./chat-panel";
import { DEFAULT_SETTINGS, type ChatSettingsValue } from "./chat-settings";
import { ComparePanel } from "./compare-panel";
import { EmbeddingsPanel } from "./embeddings-panel";
import { ImagesPanel } from "./images-panel";
import { firstModel } from "./model-select";
import { PlaygroundTabs, TABS, type TabId } from "./playground-tabs";

/** The playground: the tab and the open conversation live in the URL (?tab=…&c=…), so both survive a reload. */
export function PlaygroundPage({ providers, hubUrl }: PlaygroundPageData) {
  const [params, setParams] = useSearchParams();
  const tab: TabId = TABS.some((t) => t.id === params.get("tab")) ? (params.get("tab") as TabId) : "chat";
  const conversationId = params.get("c");
  const [settings, setSettings] = useState<ChatSettingsValue>(() => ({
    model: firstModel(providers, "chat"),
    ...DEFAULT_SETTINGS,
  }));
  const update = (patch: Record<string, string | null>) =>
    setParams(
      (cur) => {
        const next = new URLSearchParams(cur);
        for (const [k, v] of Object.entries(patch)) {
          if (v === null) next.delete(k);
          else next.set(k, v);
        }
        return next;
      },
      { replace: true, preventScrollReset: true },
    );

  return (
    <>
      <PlaygroundTabs active={tab} onChange={(t) => update({ tab: t === "chat" ? null : t })} />
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {/* Kept mounted while hidden, so a chat keeps streaming (and its draft stays) while another tab is open. */}
        <div hidden={tab !== "chat"}>
          <ChatPanel
            providers={providers}
            hubUrl={hubUrl}
            settings={settings}
            onSettings={setSettings}
            conversationId={conversationId}
            onConversation={(id) => update({ c: id })}
          />
        </div>
        {tab === "compare" ? <ComparePanel providers={providers} hubUrl={hubUrl} settings={settings} /> : null}
        {tab === "images" ? <ImagesPanel providers={providers} hubUrl={hubUrl} /> : null}
        {tab === "embeddings" ? <EmbeddingsPanel providers={providers} hubUrl={hubUrl} /> : null}
      </div>
    </>
  );
}
