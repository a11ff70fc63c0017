import { useSearchParams } from "@remix-run/react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/lib/trpc";
import { EmptyState, PageHeader } from "../../ui/empty-state";
import { errorInfo } from "../errors";
import { ConfirmDialog } from "../form-dialog";
import { formatDate, usd } from "../format";
import { useNotice } from "../notice";
import { Badge, ErrorState, Loading, SmallButton, Table, actionsRow, actionsTd, actionsTh, td, th } from "../ui";
import { useRefresh } from "../use-refresh";
import { AgentAliasHelp } from "./agent-alias-help";
import { AddModelDialog, EditModelDialog, type AdminModel } from "./model-dialogs";
import { rateSummary } from "./rate-fields";
import { RatesDialog } from "./rates-dialog";
import { StarterDialog } from "./starter-dialog";

const TYPE_TONE = { chat: "brand", embedding: "muted", image: "warn" } as const;

export function ModelsPage() {
  const trpc = useTRPC();
  const [params, setParams] = useSearchParams();
  const providerId = params.get("provider");
  const providers = useQuery(trpc.providers.list.queryOptions());
  const models = useQuery(trpc.models.list.queryOptions(providerId ? { providerId } : undefined));
  const update = useMutation(trpc.models.update.mutationOptions());
  const remove = useMutation(trpc.models.delete.mutationOptions());
  const refresh = useRefresh();
  const notify = useNotice();
  const [adding, setAdding] = useState(false);
  const [importing, setImporting] = useState(false);
  const [editing, setEditing] = useState<AdminModel | null>(null);
  const [rates, setRates] = useState<AdminModel | null>(null);
  const [deleting, setDeleting] = useState<AdminModel | null>(null);
  const options = (providers.data ?? []).map((p) => ({ id: p.id, name: p.name, kind: p.kind }));
  const noProviders = providers.data?.length === 0;

  async function toggle(m: AdminModel) {
    try {
      await update.mutateAsync({ id: m.id, enabled: !m.enabled });
      notify(`${m.publicName} ${m.enabled ? "disabled" : "enabled"}`);
    } catch (error) {
      notify(errorInfo(error).message);
    }
    await refresh();
  }

  return (
    <>
      <PageHeader
        title="Models"
        description="What callers can ask for, under which names, and what each call costs."
        actions={
          <div className="flex gap-2">
            <button
              type="button"
              className="btn-secondary"
              onClick={() => setImporting(true)}
              disabled={!options.length}
            >
              Import starter models
            </button>
            <button type="button" className="btn-primary" onClick={() => setAdding(true)} disabled={!options.length}>
              Add model
            </button>
          </div>
        }
      />
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <label htmlFor="provider-filter" className="text-sm font-medium text-ink">
          Provider
        </label>
        <select
          id="provider-filter"
          className="field-input w-auto py-1.5"
          value={providerId ?? ""}
          onChange={(e) => setParams(e.target.value ? { provider: e.target.value } : {}, { replace: true })}
        >
          <option value="">All providers</option>
          {options.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      <AgentAliasHelp />
      {models.isPending ? <Loading what="models" /> : null}
      {models.isError ? <ErrorState error={models.error} onRetry={() => models.refetch()} /> : null}
      {noProviders ? (
        <EmptyState
          title="Add a provider first"
          action={
            <a className="btn-primary" href="/admin/providers">
              Go to Providers
            </a>
          }
        >
          Models belong to a provider. Add one, then list its models here or import the starter list.
        </EmptyState>
      ) : models.data?.length === 0 ? (
        <EmptyState
          title="No models listed"
          action={
            <button type="button" className="btn-primary" onClick={() => setImporting(true)}>
              Import starter models
            </button>
          }
        >
          Providers that pass any model id through still work without a list, but calls are priced only for listed
          models.
        </EmptyState>
      ) : null}
      {models.data?.length ? (
        <Table
          caption="Models"
          minWidth="56rem"
          head={
            <tr>
              <th scope="col" className={th}>
                Model
              </th>
              <th scope="col" className={th}>
                Type
              </th>
              <th scope="col" className={th}>
                Rate (USD per 1M tokens)
              </th>
              <th scope="col" className={th}>
                Since
              </th>
              <th scope="col" className={th}>
                Status
              </th>
              <th scope="col" className={actionsTh}>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          }
        >
          {models.data.map((m) => (
            <tr key={m.id} data-testid={`model-${m.publicName}`} className={m.enabled ? undefined : "text-ink-faint"}>
              <td className={td}>
                <p className="whitespace-nowrap font-mono text-sm font-medium text-ink">{m.publicName}</p>
                {m.displayName ? <p className="text-xs text-ink-muted">{m.displayName}</p> : null}
                {m.aliases.length ? (
                  <p className="mt-1 flex flex-wrap gap-1">
                    {m.aliases.map((a) => (
                      <Badge key={a} tone="brand" title="Alias">
                        {a}
                      </Badge>
                    ))}
                  </p>
                ) : null}
              </td>
              <td className={td}>
                <Badge tone={TYPE_TONE[m.type]}>{m.type}</Badge>
              </td>
              <td className={td}>
                <p>{rateSummary(m.currentRate, m.type, usd)}</p>
                {m.nextRate ? (
                  <p className="text-xs text-brand-700">
                    From {formatDate(m.nextRate.effectiveFrom)}: {rateSummary(m.nextRate, m.type, usd)}
                  </p>
                ) : null}
              </td>
              <td className={`${td} whitespace-nowrap`}>{formatDate(m.currentRate?.effectiveFrom ?? null)}</td>
              <td className={td}>{m.enabled ? <Badge tone="ok">Enabled</Badge> : <Badge>Disabled</Badge>}</td>
              <td className={actionsTd}>
                <div className={actionsRow}>
                  <SmallButton onClick={() => setRates(m)} aria-label={`Rates of ${m.publicName}`}>
                    Rates
                  </SmallButton>
                  <SmallButton onClick={() => setEditing(m)} aria-label={`Edit ${m.publicName}`}>
                    Edit
                  </SmallButton>
                  <SmallButton
                    onClick={() => void toggle(m)}
                    aria-label={`${m.enabled ? "Disable" : "Enable"} ${m.publicName}`}
                  >
                    {m.enabled ? "Disable" : "Enable"}
                  </SmallButton>
                  <SmallButton danger onClick={() => setDeleting(m)} aria-label={`Delete ${m.publicName}`}>
                    Delete
                  </SmallButton>
                </div>
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
      <AddModelDialog open={adding} onOpenChange={setAdding} providers={options} providerId={providerId} />
      <StarterDialog open={importing} onOpenChange={setImporting} providers={options} providerId={providerId} />
      <EditModelDialog model={editing} onClose={() => setEditing(null)} />
      <RatesDialog model={rates} onClose={() => setRates(null)} />
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title={`Delete ${deleting?.publicName ?? ""}?`}
        confirmLabel="Delete model"
        onConfirm={async () => {
          await remove.mutateAsync({ id: deleting!.id });
          await refresh();
          notify(`${deleting!.publicName} deleted`);
        }}
      >
        Its rates and aliases go with it. Past calls keep their recorded cost. To stop it for a while instead, disable
        it.
      </ConfirmDialog>
    </>
  );
}
