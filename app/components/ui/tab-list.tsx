import { useRef } from "react";

/**
 * A WAI-ARIA tab list: arrow keys, Home and End move the selection (and focus) between tabs, Tab moves on into the
 * panel. The caller renders the panel with `role="tabpanel"`, the id given by `panelId` and `aria-labelledby`
 * pointing at `tabId` of the active tab.
 */
export function TabList<T extends { id: string; label: string }>(props: {
  tabs: readonly T[];
  activeId: string;
  onSelect: (tab: T) => void;
  label: string;
  tabId: (tab: T) => string;
  panelId: (tab: T) => string;
  className?: string;
  /** Horizontal padding of each tab. */
  padding?: string;
}) {
  const { tabs, activeId, onSelect } = props;
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const select = (index: number) => {
    const next = (index + tabs.length) % tabs.length;
    const tab = tabs[next];
    if (tab) onSelect(tab);
    refs.current[next]?.focus();
  };
  return (
    <div role="tablist" aria-label={props.label} className={props.className ?? "flex"}>
      {tabs.map((t, i) => (
        <button
          key={t.id}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="tab"
          id={props.tabId(t)}
          aria-selected={t.id === activeId}
          aria-controls={props.panelId(t)}
          tabIndex={t.id === activeId ? 0 : -1}
          onClick={() => onSelect(t)}
          onKeyDown={(e) => {
            if (e.key === "ArrowRight") select(i + 1);
            else if (e.key === "ArrowLeft") select(i - 1);
            else if (e.key === "Home") select(0);
            else if (e.key === "End") select(tabs.length - 1);
            else return;
            e.preventDefault();
          }}
          className={`-mb-px border-b-2 ${props.padding ?? "px-3"} py-2 text-sm font-medium ${t.id === activeId ? "border-brand-600 text-brand-700" : "border-transparent text-ink-muted hover:text-ink"}`}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
