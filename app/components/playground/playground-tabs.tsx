import { useRef } from "react";

export const TABS = [
  { id: "chat", label: "Chat" },
  { id: "compare", label: "Compare" },
  { id: "images", label: "Images" },
  { id: "embeddings", label: "Embeddings" },
] as const;
export type TabId = (typeof TABS)[number]["id"];

/** WAI-ARIA tabs: arrow keys, Home and End move between tabs; the panel follows the selection. */
export function PlaygroundTabs({ active, onChange }: { active: TabId; onChange: (tab: TabId) => void }) {
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const select = (i: number) => {
    const next = (i + TABS.length) % TABS.length;
    onChange(TABS[next]!.id);
    refs.current[next]?.focus();
  };
  return (
    <div role="tablist" aria-label="Playground mode" className="mb-6 flex gap-1 border-b border-line">
      {TABS.map((t, i) => (
        <button
          key={t.id}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="tab"
          id={`tab-${t.id}`}
          aria-selected={t.id === active}
          aria-controls={`panel-${t.id}`}
          tabIndex={t.id === active ? 0 : -1}
          onClick={() => onChange(t.id)}
          onKeyDown={(e) => {
            if (e.key === "ArrowRight") select(i + 1);
            else if (e.key === "ArrowLeft") select(i - 1);
            else if (e.key === "Home") select(0);
            else if (e.key === "End") select(TABS.length - 1);
            else return;
            e.preventDefault();
          }}
          className={`-mb-px border-b-2 px-4 py-2 text-sm font-medium ${t.id === active ? "border-brand-600 text-brand-700" : "border-transparent text-ink-muted hover:text-ink"}`}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
