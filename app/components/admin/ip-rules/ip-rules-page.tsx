import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC, type RouterOutputs } from "~/lib/trpc";
import { PageHeader } from "../../ui/empty-state";
import { ConfirmDialog } from "../form-dialog";
import { formatDate } from "../format";
import { useNotice } from "../notice";
import { Badge, ErrorState, Loading, SmallButton, Table, actionsTd, actionsTh, td, th } from "../ui";
import { useRefresh } from "../use-refresh";
import { AddIpRuleDialog } from "./ip-rule-dialog";
import { AddressCheck, TrustedProxies, useIpRules } from "./trusted-proxies";

type Rule = RouterOutputs["ipRules"]["list"]["rules"][number];

export function IpRulesPage() {
  const trpc = useTRPC();
  const rules = useIpRules();
  const remove = useMutation(trpc.ipRules.delete.mutationOptions());
  const refresh = useRefresh();
  const notify = useNotice();
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<Rule | null>(null);
  return (
    <>
      <PageHeader
        title="IP rules"
        description="Which addresses may call the API. A matching deny rule refuses the call; allow rules, once there are any, refuse every address outside them."
        actions={
          <button type="button" className="btn-primary" onClick={() => setAdding(true)}>
            Add rule
          </button>
        }
      />
      {rules.isPending ? <Loading what="IP rules" /> : null}
      {rules.isError ? <ErrorState error={rules.error} onRetry={() => rules.refetch()} /> : null}
      {rules.data ? (
        <div className="space-y-6">
          <Table
            caption="IP rules"
            minWidth="48rem"
            head={
              <tr>
                <th scope="col" className={th}>
                  Action
                </th>
                <th scope="col" className={th}>
                  Address or range
                </th>
                <th scope="col" className={th}>
                  Applies to
                </th>
                <th scope="col" className={th}>
                  Note
                </th>
                <th scope="col" className={th}>
                  Added
                </th>
                <th scope="col" className={actionsTh}>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            }
          >
            {rules.data.rules.length === 0 ? (
              <tr>
                <td colSpan={6} className="px-3 py-8 text-center text-ink-muted">
                  No rules: every address may call the API.
                </td>
              </tr>
            ) : null}
            {rules.data.rules.map((r) => (
              <tr key={r.id} data-testid={`ip-rule-${r.cidr}`}>
                <td className={td}>
                  {r.action === "deny" ? <Badge tone="danger">Deny</Badge> : <Badge tone="ok">Allow</Badge>}
                </td>
                <td className={`${td} font-mono`}>{r.cidr}</td>
                <td className={td}>
                  {r.key ? (
                    <>
                      <p>
                        Key {r.key.name} <span className="font-mono text-xs text-ink-muted">{r.key.prefix}…</span>
                      </p>
                      <p className="text-xs text-ink-muted">{r.key.userEmail}</p>
                    </>
                  ) : (
                    "The whole API"
                  )}
                </td>
                <td className={td}>{r.note ?? <span className="text-ink-faint">—</span>}</td>
                <td className={`${td} whitespace-nowrap`}>
                  {formatDate(r.createdAt)}
                  {r.createdBy ? <p className="text-xs text-ink-faint">{r.createdBy}</p> : null}
                </td>
                <td className={`${actionsTd} text-right`}>
                  <SmallButton
                    danger
                    onClick={() => setDeleting(r)}
                    aria-label={`Delete the ${r.action} rule for ${r.cidr}`}
                  >
                    Delete
                  </SmallButton>
                </td>
              </tr>
            ))}
          </Table>
          <div className="grid gap-6 lg:grid-cols-2">
            <TrustedProxies proxies={rules.data.trustedProxies} />
            <AddressCheck />
          </div>
        </div>
      ) : null}
      <AddIpRuleDialog open={adding} onOpenChange={setAdding} />
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title={`Delete the ${deleting?.action ?? ""} rule for ${deleting?.cidr ?? ""}?`}
        confirmLabel="Delete rule"
        onConfirm={async () => {
          await remove.mutateAsync({ id: deleting!.id });
          await refresh();
          notify(`Rule for ${deleting!.cidr} deleted`);
        }}
      >
        It stops applying at once.
      </ConfirmDialog>
    </>
  );
}
