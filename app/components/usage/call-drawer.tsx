/** One call's detail in a side drawer (Radix Dialog): ids, model, credential, tokens, cost, timings, error, bodies. */
import * as Dialog from "@radix-ui/react-dialog";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/lib/trpc";
import { CallBody, missingBodyText } from "./call-body";
import { CallRefund } from "./call-refund";
import { API_LABELS } from "./filters-bar";
import { count, creditsText, dateTime, msText } from "./format";

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[9rem_1fr] gap-3 border-b border-line py-2 text-sm">
      <dt className="text-ink-faint">{label}</dt>
      <dd className="min-w-0 break-words text-ink">{children ?? "—"}</dd>
    </div>
  );
}

export function CallDrawer({ id, scope, onClose }: { id: string | null; scope: "mine" | "all"; onClose(): void }) {
  const trpc = useTRPC();
  const call = useQuery({ ...trpc.usage.callDetail.queryOptions({ id: id ?? "", scope }), enabled: Boolean(id) });
  const c = call.data;
  return (
    <Dialog.Root open={Boolean(id)} onOpenChange={(open) => (open ? null : onClose())}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 bg-ink/30" />
        <Dialog.Content
          className="fixed inset-y-0 right-0 w-full max-w-xl overflow-y-auto bg-surface p-6 shadow-card"
          aria-describedby={undefined}
        >
          <div className="mb-4 flex items-start justify-between gap-4">
            <Dialog.Title className="text-lg font-semibold text-ink">Call details</Dialog.Title>
            <Dialog.Close className="btn-secondary" aria-label="Close">
              Close
            </Dialog.Close>
          </div>
          {call.isPending ? <p className="text-sm text-ink-faint">Loading…</p> : null}
          {call.error ? <p className="text-sm text-danger">{call.error.message}</p> : null}
          {c ? (
            <>
              <dl>
                <Row label="Request id">
                  <code className="font-mono text-xs">{c.requestId}</code>
                </Row>
                {c.clientRequestId ? (
                  <Row label="Client's request id">
                    <code className="font-mono text-xs">{c.clientRequestId}</code>
                  </Row>
                ) : null}
                <Row label="Time">{dateTime(c.createdAt)}</Row>
                <Row label="Status">
                  <span
                    className={
                      c.status === "success" ? "text-ok" : c.status === "processing" ? "text-warn" : "text-danger"
                    }
                  >
                    {c.status}
                  </span>
                  {c.httpStatus ? ` (HTTP ${c.httpStatus})` : ""}
                </Row>
                <Row label="Model">
                  {c.model}
                  {c.requestedModel && c.requestedModel !== c.model ? ` (asked for ${c.requestedModel})` : ""}
                </Row>
                <Row label="Provider">{c.providerName}</Row>
                <Row label="Credential">{c.credentialName}</Row>
                <Row label="API">{c.api ? (API_LABELS[c.api] ?? c.api) : null}</Row>
                <Row label="Endpoint">
                  {c.endpoint}
                  {c.stream ? " (stream)" : ""}
                </Row>
                <Row label="User">{c.userEmail ?? c.userId}</Row>
                <Row label="Access key">{c.accessKeyName ?? c.accessKeyId}</Row>
                <Row label="App">{c.appName}</Row>
                <Row label="Input tokens">
                  {c.inputTokens === null ? "unknown" : count(c.inputTokens)}
                  {c.cachedInputTokens ? ` (${count(c.cachedInputTokens)} cached)` : ""}
                </Row>
                <Row label="Output tokens">
                  {c.outputTokens === null ? "unknown" : count(c.outputTokens)}
                  {c.usageSource ? ` · ${c.usageSource}` : ""}
                </Row>
                {c.images ? <Row label="Images">{count(c.images)}</Row> : null}
                <Row label="Cost">{c.costMicro === null ? "not priced" : `${creditsText(c.costMicro)} credits`}</Row>
                <Row label="Duration">{msText(c.durationMs)}</Row>
                <Row label="Time to first token">{msText(c.ttftMs)}</Row>
                <Row label="Attempts">{c.attempts}</Row>
                {c.notes ? <Row label="Notes">{c.notes}</Row> : null}
                {c.errorCode || c.errorMessage ? (
                  <Row label="Error">
                    <span className="text-danger">{[c.errorCode, c.errorMessage].filter(Boolean).join(": ")}</span>
                  </Row>
                ) : null}
              </dl>
              {scope === "all" && c.chargedMicro > 0 ? (
                <CallRefund callId={c.id} chargedMicro={c.chargedMicro} refundedMicro={c.refundedMicro} />
              ) : null}
              {c.bodyLogging ? (
                <>
                  <CallBody title="Request body" text={c.requestBody} missing={missingBodyText(c)} />
                  <CallBody title="Response body" text={c.responseBody} missing={missingBodyText(c)} />
                </>
              ) : (
                <p className="mt-4 text-sm text-ink-faint">
                  Request and response bodies are not kept: body logging is off in the settings.
                </p>
              )}
            </>
          ) : null}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
