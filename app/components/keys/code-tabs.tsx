import { useId, useState } from "react";
import { TabList } from "../ui/tab-list";
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
  const tab = tabs[active];
  if (!tab) return null;
  return (
    <div className="overflow-hidden rounded-lg border border-line">
      <div className="flex items-center justify-between border-b border-line bg-surface-muted px-2">
        <TabList
          tabs={tabs}
          activeId={tab.id}
          onSelect={(t) => setActive(tabs.indexOf(t))}
          label={label}
          className="flex flex-wrap"
          tabId={(t) => `${base}-tab-${t.id}`}
          panelId={() => `${base}-panel`}
        />
        <CopyButton
          text={tab.code}
          label={`Copy ${tab.label}`}
          className="btn shrink-0 whitespace-nowrap px-2 py-1 text-xs text-ink-muted hover:bg-surface-sunken hover:text-ink"
        />
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
