import { TabList } from "../ui/tab-list";

export const TABS = [
  { id: "chat", label: "Chat" },
  { id: "compare", label: "Compare" },
  { id: "images", label: "Images" },
  { id: "embeddings", label: "Embeddings" },
] as const;
export type TabId = (typeof TABS)[number]["id"];

/** The playground's modes as tabs; the panel (playground-page.tsx) follows the selection. */
export function PlaygroundTabs({ active, onChange }: { active: TabId; onChange: (tab: TabId) => void }) {
  return (
    <TabList
      tabs={TABS}
      activeId={active}
      onSelect={(t) => onChange(t.id)}
      label="Playground mode"
      tabId={(t) => `tab-${t.id}`}
      panelId={(t) => `panel-${t.id}`}
      className="mb-6 flex gap-1 border-b border-line"
      padding="px-4"
    />
  );
}
