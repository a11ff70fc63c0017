import { useMutation, useQuery } from "@tanstack/react-query";
import { useDeferredValue, useState } from "react";
import { useTRPC, type RouterOutputs } from "~/lib/trpc";
import { PageHeader } from "../../ui/empty-state";
import { ConfirmDialog } from "../form-dialog";
import { formatDate, formatDateTime } from "../format";
import { useNotice } from "../notice";
import { Badge, ErrorState, Loading, Pager, SmallButton, usePaging, Table, actionsTd, actionsTh, td, th } from "../ui";
import { useRefresh } from "../use-refresh";

type AdminKey = RouterOutputs["keys"]["list"][number];
const STATUS_TONE = { active: "ok", expired: "warn", revoked: "muted" } as const;
const PAGE_SIZE = 100;

/** Every access key in the hub, by person or app; revoking one stops it on its next call. */
export function KeysPage() {
  const trpc = useTRPC();
  const [user, setUser] = useState("");
  const [app, setApp] = useState("");
  const [status, setStatus] = useState("");
  const paging = usePaging(PAGE_SIZE);
  const filters = useDeferredValue({
    user: user || undefined,
    appName: app || undefined,
    status: (status || undefined) as AdminKey["status"] | undefined,
    ...paging.range,
  });
  const keys = useQuery({ ...trpc.keys.list.queryOptions(filters), placeholderData: (prev) => prev });
  const apps = useQuery(trpc.keys.apps.queryOptions());
  const revoke = useMutation(trpc.keys.revoke.mutationOptions());
  const refresh = useRefresh();
  const notify = useNotice();
  const [revoking, setRevoking] = useState<AdminKey | null>(null);

  return (
    <>
      <PageHeader
        title="Access keys"
        description="All keys of all people. Keys are shown by their prefix; the full key was shown once, to its owner."
      />
      <div className="mb-4 grid gap-3 sm:grid-cols-[2fr_1fr_1fr]">
        <div>
          <label htmlFor="key-user" className="field-label">
            Person
          </label>
          <input
            id="key-user"
            type="search"
            className="field-input"
            placeholder="Name or email"
            value={user}
            onChange={(e) => paging.filtered(setUser)(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="key-app" className="field-label">
            App
          </label>
          <select
            id="key-app"
            className="field-input"
            value={app}
            onChange={(e) => paging.filtered(setApp)(e.target.value)}
          >
            <option value="">Any app</option>
            {(apps.data ?? []).map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="key-status" className="field-label">
            Status
          </label>
          <select
            id="key-status"
            className="field-input"
            value={status}
            onChange={(e) => paging.filtered(setStatus)(e.target.value)}
          >
            <option value="">Any status</option>
            <option value="active">Active</option>
            <option value="expired">Expired</option>
            <option value="revoked">Revoked</option>
          </select>
        </div>
      </div>
      {keys.isPending ? <Loading what="keys" /> : null}
      {keys.isError ? <ErrorState error={keys.error} onRetry={() => keys.refetch()} /> : null}
      {keys.data ? (
        <Table
          caption="Access keys"
          minWidth="52rem"
          head={
            <tr>
              <th scope="col" className={th}>
                Key
              </th>
              <th scope="col" className={th}>
                Owner
              </th>
              <th scope="col" className={th}>
                App
              </th>
              <th scope="col" className={th}>
                Created
              </th>
              <th scope="col" className={th}>
                Last used
              </th>
              <th scope="col" className={th}>
                Expires
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
          {keys.data.length === 0 ? (
            <tr>
              <td colSpan={8} className="px-3 py-8 text-center text-ink-muted">
                No keys match.
              </td>
            </tr>
          ) : null}
          {keys.data.map((k) => (
            <tr
              key={k.id}
              data-testid={`admin-key-${k.prefix}`}
              className={k.status === "revoked" ? "text-ink-faint" : undefined}
            >
              <td className={td}>
                <p className="font-medium">{k.name}</p>
                <p className="font-mono text-xs text-ink-muted">{k.prefix}…</p>
              </td>
              <td className={td}>
                <p>{k.user.name}</p>
                <p className="text-xs text-ink-muted">{k.user.email}</p>
              </td>
              <td className={td}>{k.appName ?? <span className="text-ink-faint">—</span>}</td>
              <td className={`${td} whitespace-nowrap`}>{formatDate(k.createdAt)}</td>
              <td className={`${td} whitespace-nowrap`} title={formatDateTime(k.lastUsedAt)}>
                {k.lastUsedAt ? formatDate(k.lastUsedAt) : "Never"}
              </td>
              <td className={`${td} whitespace-nowrap`}>{k.expiresAt ? formatDate(k.expiresAt) : "Never"}</td>
              <td className={td}>
                <Badge tone={STATUS_TONE[k.status]}>{k.status}</Badge>
              </td>
              <td className={`${actionsTd} text-right`}>
                {k.status === "revoked" ? null : (
                  <SmallButton danger onClick={() => setRevoking(k)} aria-label={`Revoke ${k.name} of ${k.user.email}`}>
                    Revoke
                  </SmallButton>
                )}
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
      {keys.data ? (
        <Pager page={paging.page} pageSize={PAGE_SIZE} shown={keys.data.length} noun="keys" onPage={paging.setPage} />
      ) : null}
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => !open && setRevoking(null)}
        title={`Revoke ${revoking?.name ?? ""}?`}
        confirmLabel="Revoke key"
        onConfirm={async () => {
          await revoke.mutateAsync({ id: revoking!.id });
          await refresh();
          notify(`Key ${revoking!.prefix}… revoked`);
        }}
      >
        The key <code className="font-mono">{revoking?.prefix}…</code> of {revoking?.user.email} stops working on its
        next call. This cannot be undone; its owner can create a new key.
      </ConfirmDialog>
    </>
  );
}
