import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/lib/trpc";
import { errorInfo, type ErrorInfo } from "../errors";
import { formatDateTime, usd } from "../format";
import { Modal } from "../../ui/modal";
import { useNotice } from "../notice";
import { Badge, ErrorState, SmallButton, td, th } from "../ui";
import { useRefresh } from "../use-refresh";
import { EffectiveFromField, type AdminModel } from "./model-dialogs";
import { RateFields, rateSummary, readRate } from "./rate-fields";

const STATE = {
  current: { tone: "ok", label: "In force" },
  scheduled: { tone: "brand", label: "Scheduled" },
  past: { tone: "muted", label: "Replaced" },
} as const;

/**
 * A model's dated rates: the one in force, those scheduled, and those replaced (kept: they priced past calls).
 * A new rate starts now or later, never earlier, so a call's price never changes after it was made.
 */
export function RatesDialog({ model, onClose }: { model: AdminModel | null; onClose: () => void }) {
  const trpc = useTRPC();
  const rates = useQuery({ ...trpc.models.rates.queryOptions({ id: model?.id ?? "" }), enabled: model !== null });
  const add = useMutation(trpc.models.addRate.mutationOptions());
  const remove = useMutation(trpc.models.deleteRate.mutationOptions());
  const refresh = useRefresh();
  const notify = useNotice();
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [formKey, setFormKey] = useState(0);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    const form = new FormData(event.currentTarget);
    try {
      const value = form.get("effectiveFrom") ? new Date(String(form.get("effectiveFrom"))).toISOString() : null;
      await add.mutateAsync({ id: model!.id, effectiveFrom: value, rate: readRate(form, model!.type) });
      setFormKey((k) => k + 1);
      await refresh();
      notify(`New rate for ${model!.publicName} saved`);
    } catch (e) {
      setError(errorInfo(e));
    }
  }

  return (
    <Modal
      open={model !== null}
      onOpenChange={(open) => !open && onClose()}
      size="xl"
      title={`Rates of ${model?.publicName ?? ""}`}
      description="Each rate applies to calls from its date until the next one."
    >
      {rates.isError ? <ErrorState error={rates.error} /> : null}
      <div className="table-scroll rounded-lg border border-line">
        <table className="w-full min-w-[40rem] text-sm">
          <caption className="sr-only">Rate history</caption>
          <thead className="bg-surface-muted">
            <tr>
              <th scope="col" className={th}>
                From
              </th>
              <th scope="col" className={th}>
                Rate
              </th>
              <th scope="col" className={th}>
                State
              </th>
              <th scope="col" className={th}>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-line">
            {(rates.data ?? [])
              .slice()
              .reverse()
              .map((r) => (
                <tr key={r.id}>
                  <td className={`${td} whitespace-nowrap`}>{formatDateTime(r.effectiveFrom)}</td>
                  <td className={td}>{rateSummary(r, model!.type, usd)}</td>
                  <td className={td}>
                    <Badge tone={STATE[r.state].tone}>{STATE[r.state].label}</Badge>
                  </td>
                  <td className={`${td} text-right`}>
                    {r.state === "scheduled" ? (
                      <SmallButton
                        danger
                        aria-label={`Delete the rate from ${formatDateTime(r.effectiveFrom)}`}
                        onClick={async () => {
                          try {
                            await remove.mutateAsync({ id: r.id });
                            await refresh();
                          } catch (e) {
                            setError(errorInfo(e));
                          }
                        }}
                      >
                        Delete
                      </SmallButton>
                    ) : null}
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      </div>
      {model ? (
        <form key={formKey} onSubmit={submit} noValidate className="mt-6 space-y-4 border-t border-line pt-5">
          <h3 className="text-sm font-semibold text-ink">New rate</h3>
          {error ? (
            <p role="alert" className="rounded-lg bg-danger-soft px-3 py-2 text-sm text-danger">
              {Object.keys(error.fields).length ? "Check the highlighted field." : error.message}
            </p>
          ) : null}
          <RateFields errors={error?.fields ?? {}} type={model.type} defaults={model.currentRate} />
          <EffectiveFromField errors={error?.fields ?? {}} />
          <div className="flex justify-end gap-2">
            <button type="button" className="btn-secondary" onClick={onClose}>
              Close
            </button>
            <button type="submit" className="btn-primary" disabled={add.isPending}>
              {add.isPending ? "Saving…" : "Add rate"}
            </button>
          </div>
        </form>
      ) : null}
    </Modal>
  );
}
