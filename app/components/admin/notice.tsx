import { createContext, useCallback, useContext, useEffect, useState } from "react";

/** A short confirmation after a change ("Provider added"), announced politely to screen readers. */
const NoticeContext = createContext<(text: string) => void>(() => {});

export function useNotice() {
  return useContext(NoticeContext);
}

export function NoticeProvider({ children }: { children: React.ReactNode }) {
  const [notice, setNotice] = useState<{ text: string; n: number } | null>(null);
  const notify = useCallback((text: string) => setNotice((prev) => ({ text, n: (prev?.n ?? 0) + 1 })), []);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), 4_000);
    return () => clearTimeout(timer);
  }, [notice]);
  return (
    <NoticeContext.Provider value={notify}>
      {children}
      <div
        role="status"
        aria-live="polite"
        className="pointer-events-none fixed inset-x-0 bottom-6 z-[60] flex justify-center px-4"
      >
        {notice ? (
          <p key={notice.n} className="rounded-lg bg-ink px-4 py-2 text-sm font-medium text-white shadow-card">
            {notice.text}
          </p>
        ) : null}
      </div>
    </NoticeContext.Provider>
  );
}
