import { useEffect, useRef, useState } from "react";
import { Form, useNavigation } from "@remix-run/react";
import type { AnswerResult, ApprovalView } from "@server/auth/connect/approval-page.server";

/** The app's logo from the tool's URL, or its initial when there is none or it does not load (offline tools). */
function AppLogo({ name, logo }: { name: string; logo: string | null }) {
  const [failed, setFailed] = useState(false);
  const img = useRef<HTMLImageElement>(null);
  // An image that failed before hydration never fires onError for React: check it once mounted.
  useEffect(() => {
    if (img.current?.complete && img.current.naturalWidth === 0) setFailed(true);
  }, []);
  const initial = (name.trim()[0] ?? "?").toUpperCase();
  return (
    <div className="flex h-12 w-12 shrink-0 items-center justify-center overflow-hidden rounded-xl bg-brand-50 text-lg font-semibold text-brand-700">
      {logo && !failed ? (
        <img ref={img} src={logo} alt="" className="h-full w-full object-contain" onError={() => setFailed(true)} />
      ) : (
        initial
      )}
    </div>
  );
}

function Notice({
  tone,
  title,
  children,
}: {
  tone: "ok" | "warn" | "muted";
  title: string;
  children: React.ReactNode;
}) {
  const styles = {
    ok: "bg-ok-soft text-ok",
    warn: "bg-warn-soft text-warn",
    muted: "bg-surface-sunken text-ink-muted",
  }[tone];
  return (
    <div role="status" className={`rounded-lg px-4 py-3 text-sm ${styles}`}>
      <p className="font-semibold">{title}</p>
      <div className="mt-1">{children}</div>
    </div>
  );
}

/**
 * Who asks, for which account, and the two answers. `hidden` carries what the action needs back (the session
 * token, or the typed code, and the app as shown).
 */
export function ApprovalCard({
  view,
  hidden,
  result,
  closeOnSuccess = false,
}: {
  view: ApprovalView;
  hidden: Record<string, string>;
  result?: AnswerResult;
  closeOnSuccess?: boolean;
}) {
  const busy = useNavigation().state !== "idle";
  const approved = view.state === "approved";
  useEffect(() => {
    // Windows a tool opened itself may be closed by script; others ignore this and keep the message below.
    if (approved && closeOnSuccess && result?.ok) setTimeout(() => window.close(), 1500);
  }, [approved, closeOnSuccess, result]);

  return (
    <div className="space-y-5">
      <div className="flex items-center gap-4">
        <AppLogo name={view.appName} logo={view.appLogo} />
        <div className="min-w-0">
          <p className="truncate text-base font-semibold text-ink" data-testid="connect-app-name">
            {view.appName}
          </p>
          <p className="text-sm text-ink-muted">wants an access key for your account</p>
        </div>
      </div>
      <div className="rounded-lg border border-line px-4 py-3 text-sm">
        <p className="text-ink-faint">Signed in as</p>
        <p className="font-medium text-ink">{view.account.name}</p>
        <p className="text-ink-muted">{view.account.email}</p>
      </div>
      {result && !result.ok ? (
        <p role="alert" className="rounded-lg bg-danger-soft px-3 py-2 text-sm text-danger">
          {result.error}
        </p>
      ) : null}
      {view.state === "pending" ? (
        <>
          <p className="text-sm text-ink-muted">
            Approving creates a new access key for <strong className="text-ink">{view.appName}</strong> that calls
            models as you, and hands it to the app once. You can revoke it any time on the Keys page. Only approve a
            request you started yourself, just now.
          </p>
          <Form method="post" className="flex gap-3">
            {Object.entries(hidden).map(([name, value]) => (
              <input key={name} type="hidden" name={name} value={value} />
            ))}
            <button type="submit" name="intent" value="approve" className="btn-primary flex-1" disabled={busy}>
              Approve
            </button>
            <button type="submit" name="intent" value="deny" className="btn-secondary flex-1" disabled={busy}>
              Deny
            </button>
          </Form>
        </>
      ) : approved ? (
        <Notice tone="ok" title="Approved">
          {view.appName} now has its key. Return to the app; you can close this tab. Manage the key on the{" "}
          <a href="/keys" className="underline">
            Keys page
          </a>
          .
        </Notice>
      ) : view.state === "denied" ? (
        <Notice tone="muted" title="Denied">
          No key was created. You can close this tab.
        </Notice>
      ) : view.state === "expired" ? (
        <Notice tone="warn" title="This request has expired">
          Requests last 10 minutes. Start again from the app.
        </Notice>
      ) : (
        <Notice tone="warn" title="Unknown request">
          This link does not match a connect request. Start again from the app.
        </Notice>
      )}
    </div>
  );
}
