/**
 * The /metrics bearer token (docs/decisions/007-call-body-logging.md): the owner generates it (shown once, like an access key; the hub keeps
 * only its SHA-256) or revokes it. HUB_METRICS_TOKEN in the environment wins, and then this only says so.
 * Rendered outside the settings forms' remount key, so the revealed token survives the refresh that follows.
 */
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC, type RouterOutputs } from "~/lib/trpc";
import { CopyButton } from "../../keys/copy-button";
import { ConfirmDialog } from "../form-dialog";
import { useNotice } from "../notice";
import { Badge, Section, SmallButton } from "../ui";
import { useRefresh } from "../use-refresh";
import { scrapeConfig } from "./scrape-config";

type AdminSettings = RouterOutputs["settings"]["get"];

export function MetricsToken({ settings, canEdit }: { settings: AdminSettings; canEdit: boolean }) {
  const trpc = useTRPC();
  const generate = useMutation(trpc.settings.generateMetricsToken.mutationOptions());
  const revoke = useMutation(trpc.settings.revokeMetricsToken.mutationOptions());
  const refresh = useRefresh();
  const notify = useNotice();
  const [revealed, setRevealed] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<"replace" | "revoke" | null>(null);
  const { tokenSet, fromEnv, url } = settings.metrics;

  async function create() {
    const { token } = await generate.mutateAsync();
    setRevealed(token);
    await refresh();
    notify("Metrics token generated");
  }

  const failure = generate.error ?? revoke.error;
  return (
    <Section
      title="Prometheus metrics"
      description={
        <>
          Usage counters and latency histograms at <span className="font-mono">{url}</span>, for a bearer token.
        </>
      }
      actions={
        canEdit && !fromEnv ? (
          <div className="flex gap-1.5">
            <SmallButton
              // A failure is shown from generate.error below, so the rejection needs no other handling.
              onClick={() => (tokenSet ? setConfirm("replace") : create().catch(() => undefined))}
              disabled={generate.isPending}
            >
              {tokenSet ? "Replace token" : "Generate token"}
            </SmallButton>
            {tokenSet ? (
              <SmallButton danger onClick={() => setConfirm("revoke")}>
                Revoke token
              </SmallButton>
            ) : null}
          </div>
        ) : null
      }
    >
      <p className="mb-3 text-sm text-ink" data-testid="metrics-token-status">
        {fromEnv ? (
          <>
            <Badge tone="brand">From environment</Badge> HUB_METRICS_TOKEN is set: it is the token /metrics accepts,
            whatever is set here.
          </>
        ) : tokenSet ? (
          <>
            <Badge tone="ok">Token set</Badge> Scrapers must send it; the hub keeps only its fingerprint.
          </>
        ) : (
          <>
            <Badge>No token</Badge> /metrics answers 404 until a token is generated.
          </>
        )}
      </p>
      {failure ? (
        <p role="alert" className="mb-3 rounded-lg bg-danger-soft px-3 py-2 text-sm text-danger">
          {failure.message}
        </p>
      ) : null}
      {revealed ? (
        <div className="mb-3 space-y-2">
          <div role="status" className="rounded-lg bg-warn-soft px-3 py-2 text-sm text-warn">
            Copy this token now. It is shown only once; the hub keeps just a fingerprint of it.
          </div>
          <label htmlFor="metrics-token" className="field-label">
            Metrics token
          </label>
          <div className="flex gap-2">
            <input
              id="metrics-token"
              readOnly
              value={revealed}
              onFocus={(e) => e.currentTarget.select()}
              className="field-input font-mono text-xs"
              spellCheck={false}
              data-testid="metrics-token"
            />
            <CopyButton text={revealed} className="btn-primary shrink-0 px-3" />
            <button type="button" className="btn-secondary shrink-0 px-3" onClick={() => setRevealed(null)}>
              Done
            </button>
          </div>
        </div>
      ) : null}
      <p className="field-label">Prometheus scrape config</p>
      <pre
        className="overflow-auto rounded-md bg-surface-sunken p-3 font-mono text-xs text-ink"
        data-testid="scrape-config"
      >
        {scrapeConfig(url)}
      </pre>
      <ConfirmDialog
        open={confirm !== null}
        onOpenChange={(open) => !open && setConfirm(null)}
        title={confirm === "revoke" ? "Revoke the metrics token?" : "Replace the metrics token?"}
        confirmLabel={confirm === "revoke" ? "Revoke" : "Replace"}
        onConfirm={async () => {
          if (confirm === "revoke") {
            await revoke.mutateAsync();
            setRevealed(null);
            await refresh();
            notify("Metrics token revoked");
          } else await create();
        }}
      >
        {confirm === "revoke"
          ? "Scrapers using it get 404 from /metrics until a new token is generated."
          : "Scrapers using the current token are refused until they get the new one."}
      </ConfirmDialog>
    </Section>
  );
}
