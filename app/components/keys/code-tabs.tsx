import { useId, useRef, useState } from "react";
import { CopyButton } from "./copy-button";

export interface CodeTab {
  id: string;
  label: string;
  code: string;
}

/** Tabs of code samples (WAI-ARIA tabs pattern: arrow keys move between tabs, Tab moves into the panel). */
export function CodeTabs({ tabs, label }: { tabs: CodeTab[]; label: string }) {
  const [active, setActive] = useState(0);
  const base = useId();
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const select = (index: number) => {
    const next = (index + tabs.length) % tabs.length;
    setActive(next);
    refs.current[next]?.focus();
  };
  const tab = tabs[active]!;
  return (
    <div className="overflow-hidden rounded-lg border border-line">
      <div className="flex items-center justify-between border-b border-line bg-surface-muted px-2">
        <div role="tablist" aria-label={label} className="flex">
          {tabs.map((t, i) => (
            <button
              key={t.id}
              ref={(el) => {
                refs.current[i] = el;
              }}
              type="button"
              role="tab"
              id={`${base}-tab-${t.id}`}
              aria-selected={i === active}
              aria-controls={`${base}-panel`}
              tabIndex={i === active ? 0 : -1}
              onClick={() => setActive(i)}
              onKeyDown={(e) => {
                if (e.key === "ArrowRight") select(i + 1);
                else if (e.key === "ArrowLeft") select(i - 1);
                else if (e.key === "Home") select(0);
                else if (e.key === "End") select(tabs.length - 1);
                else return;
                e.preventDefault();
              }}
              className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${i === active ? "border-brand-600 text-brand-700" : "border-transparent text-ink-muted hover:text-ink"}`}
            >
              {t.label}
            </button>
          ))}
        </div>
        <CopyButton text={tab.code} label={`Copy ${tab.label}`} className="btn px-2 py-1 text-xs text-ink-muted hover:bg-surface-sunken hover:text-ink" />
      </div>
      <pre
        id={`${base}-panel`}
        role="tabpanel"
        aria-labelledby={`${base}-tab-${tab.id}`}
        tabIndex={0}
        className="max-h-64 overflow-auto bg-ink p-4 font-mono text-xs leading-relaxed text-surface-sunken"
      >
        <code>{tab.code}</code>
      </pre>
    </div>
  );
}
