import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/lib/trpc";
import { EmptyState, PageHeader } from "../../ui/empty-state";
import { ConfirmDialog } from "../form-dialog";
import { credits, formatCount } from "../format";
import { useNotice } from "../notice";
import { Badge, ErrorState, Loading, SmallButton, Table, actionsRow, actionsTd, actionsTh, td, th } from "../ui";
import { useRefresh } from "../use-refresh";
import { QuotaDialog, type AdminQuota } from "./quota-dialog";

const SCOPE_LABEL = { global: "Hub", user: "User", key: "Key", app: "App" } as const;

export function QuotasPage() {
  const trpc = useTRPC();
  const quotas = useQuery(trpc.quotas.list.queryOptions());
  const remove = useMutation(trpc.quotas.delete.mutationOptions());
  const refresh = useRefresh();
  const notify = useNotice();
  const [editing, setEditing] = useState<{ quota: AdminQuota | null } | null>(null);
  const [deleting, setDeleting] = useState<AdminQuota | null>(null);
  const add = (
    <button type="button" className="btn-primary" onClick={() => setEditing({ quota: null })}>
      Add quota
    </button>
  );
  return (
    <>
      <PageHeader
        title="Quotas and limits"
        description="Rates, concurrency and daily or monthly budgets for the whole hub, a user, a key or an app."
        actions={add}
      />
      {quotas.isPending ? <Loading what="quotas" /> : null}
      {quotas.isError ? <ErrorState error={quotas.error} onRetry={() => quotas.refetch()} /> : null}
      {quotas.data?.length === 0 ? (
        <EmptyState title="No quotas" action={add}>
          Without quotas only a key&apos;s own limits (set on the Keys page) and the providers&apos; limits apply.
        </EmptyState>
      ) : null}
      {quotas.data?.length ? (
        <Table
          caption="Quotas"
          minWidth="48rem"
          head={
            <tr>
              <th scope="col" className={th}>
                Applies to
              </th>
              <th scope="col" className={th}>
                Per minute
              </th>
              <th scope="col" className={th}>
                At once
              </th>
              <th scope="col" className={th}>
                Per day
              </th>
              <th scope="col" className={th}>
                Per month
              </th>
              <th scope="col" className={actionsTh}>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          }
        >
          {quotas.data.map((q) => (
            <tr key={q.id} data-testid={`quota-${q.scope}-${q.label}`}>
              <td className={td}>
                <Badge tone={q.scope === "global" ? "brand" : "muted"}>{SCOPE_LABEL[q.scope]}</Badge>
                <p className="mt-1 max-w-[16rem] truncate text-sm text-ink" title={q.label}>
                  {q.label}
                </p>
              </td>
              <td className={td}>
                <Limits
                  parts={[
                    [q.requestsPerMinute, "requests"],
                    [q.tokensPerMinute, "tokens"],
                  ]}
                />
              </td>
              <td className={td}>
                <Limits parts={[[q.concurrency, q.concurrency === 1 ? "request" : "requests"]]} />
              </td>
              <td className={td}>
                <Limits
                  parts={[
                    [q.tokensPerDay, "tokens"],
                    [q.creditsPerDayMicro, "credits", true],
                  ]}
                />
              </td>
              <td className={td}>
                <Limits
                  parts={[
                    [q.tokensPerMonth, "tokens"],
                    [q.creditsPerMonthMicro, "credits", true],
                  ]}
                />
              </td>
              <td className={actionsTd}>
                <div className={actionsRow}>
                  <SmallButton onClick={() => setEditing({ quota: q })} aria-label={`Edit quota for ${q.label}`}>
                    Edit
                  </SmallButton>
                  <SmallButton danger onClick={() => setDeleting(q)} aria-label={`Delete quota for ${q.label}`}>
                    Delete
                  </SmallButton>
                </div>
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
      <QuotaDialog open={editing !== null} quota={editing?.quota ?? null} onClose={() => setEditing(null)} />
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title={`Delete the quota for ${deleting?.label ?? ""}?`}
        confirmLabel="Delete quota"
        onConfirm={async () => {
          await remove.mutateAsync({ id: deleting!.id });
          await refresh();
          notify(`Quota for ${deleting!.label} deleted`);
        }}
      >
        Its limits stop applying at once.
      </ConfirmDialog>
    </>
  );
}

/** "60 requests" over "10,000 tokens"; a dash when the window has no limit. */
function Limits({ parts }: { parts: Array<[number | null | undefined, string, boolean?]> }) {
  const set = parts.filter(([v]) => v !== null && v !== undefined);
  if (!set.length) return <span className="text-ink-faint">—</span>;
  return (
    <>
      {set.map(([v, unit, isCredits]) => (
        <p key={unit} className="whitespace-nowrap tabular-nums">
          {isCredits ? credits(v) : formatCount(v!)} <span className="text-ink-muted">{unit}</span>
        </p>
      ))}
    </>
  );
}
