/**
 * What the ledger charged for a call and, for admins, giving it back: a reason (kept in the ledger and the audit
 * log), then one refund of the whole charge. Inline rather than a second dialog over the drawer.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/lib/trpc";
import { creditsText } from "./format";

export function CallRefund({
  callId,
  chargedMicro,
  refundedMicro,
}: {
  callId: string;
  chargedMicro: number;
  refundedMicro: number;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const refund = useMutation(
    trpc.users.refundCall.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.usage.callDetail.queryKey() }),
    }),
  );
  if (refundedMicro > 0) {
    return (
      <p role="status" className="mt-4 rounded-lg bg-ok-soft px-3 py-2 text-sm text-ok">
        Charged {creditsText(chargedMicro)} credits; {creditsText(refundedMicro)} credits were refunded.
      </p>
    );
  }
  return (
    <div className="mt-4 rounded-lg border border-line p-3 text-sm">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-ink-muted">The ledger charged {creditsText(chargedMicro)} credits for this call.</p>
        {open ? null : (
          <button type="button" className="btn-secondary px-3 py-1.5" onClick={() => setOpen(true)}>
            Refund {creditsText(chargedMicro)} credits
          </button>
        )}
      </div>
      {open ? (
        <form
          className="mt-3 flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            refund.mutate({ callId, reason });
          }}
        >
          <label className="min-w-0 flex-1">
            <span className="field-label">Reason for the refund</span>
            <input
              className="field-input"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              maxLength={200}
              required
              autoFocus
            />
          </label>
          <button type="submit" className="btn-primary" disabled={refund.isPending}>
            {refund.isPending ? "Refunding…" : "Refund"}
          </button>
          <button type="button" className="btn-secondary" onClick={() => setOpen(false)}>
            Cancel
          </button>
          {refund.error ? <p className="w-full text-danger">{refund.error.message}</p> : null}
        </form>
      ) : null}
    </div>
  );
}
