import { useMutation, useQuery } from "@tanstack/react-query";
import { useDeferredValue, useState } from "react";
import { useTRPC } from "~/lib/trpc";
import { PageHeader } from "../../ui/empty-state";
import { useAdmin } from "../admin-role";
import { ConfirmDialog } from "../form-dialog";
import { credits, formatDate } from "../format";
import { useNotice } from "../notice";
import {
  Badge,
  ErrorState,
  Loading,
  Pager,
  SmallButton,
  usePaging,
  Table,
  actionsRow,
  actionsTd,
  actionsTh,
  td,
  th,
} from "../ui";
import { useRefresh } from "../use-refresh";
import { GrantDialog, RoleDialog, UserDetailDialog, type AdminUser } from "./user-dialogs";

const ROLE_TONE = { owner: "brand", admin: "warn", member: "muted" } as const;
const PAGE_SIZE = 50;

export function UsersPage() {
  const trpc = useTRPC();
  const { role: myRole, userId: me } = useAdmin();
  const [search, setSearch] = useState("");
  const [role, setRole] = useState("");
  const [status, setStatus] = useState("");
  const paging = usePaging(PAGE_SIZE);
  const query = useDeferredValue({
    search: search || undefined,
    role: (role || undefined) as AdminUser["role"] | undefined,
    status: (status || undefined) as AdminUser["status"] | undefined,
    ...paging.range,
  });
  const users = useQuery({ ...trpc.users.list.queryOptions(query), placeholderData: (prev) => prev });
  const setUserStatus = useMutation(trpc.users.setStatus.mutationOptions());
  const refresh = useRefresh();
  const notify = useNotice();
  const [roleFor, setRoleFor] = useState<AdminUser | null>(null);
  const [grantFor, setGrantFor] = useState<AdminUser | null>(null);
  const [detailFor, setDetailFor] = useState<string | null>(null);
  const [statusFor, setStatusFor] = useState<AdminUser | null>(null);
  const billing = users.data?.billingEnabled ?? false;
  const canManage = (u: AdminUser) => u.id !== me && (myRole === "owner" || u.role === "member");

  return (
    <>
      <PageHeader title="Users" description="Everyone with an account: their role, status, keys and credit." />
      <div className="mb-4 grid gap-3 sm:grid-cols-[2fr_1fr_1fr]">
        <div>
          <label htmlFor="user-search" className="field-label">
            Search
          </label>
          <input
            id="user-search"
            type="search"
            className="field-input"
            placeholder="Name or email"
            value={search}
            onChange={(e) => paging.filtered(setSearch)(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="user-role" className="field-label">
            Role
          </label>
          <select
            id="user-role"
            className="field-input"
            value={role}
            onChange={(e) => paging.filtered(setRole)(e.target.value)}
          >
            <option value="">Any role</option>
            <option value="owner">Owner</option>
            <option value="admin">Admin</option>
            <option value="member">Member</option>
          </select>
        </div>
        <div>
          <label htmlFor="user-status" className="field-label">
            Status
          </label>
          <select
            id="user-status"
            className="field-input"
            value={status}
            onChange={(e) => paging.filtered(setStatus)(e.target.value)}
          >
            <option value="">Any status</option>
            <option value="active">Active</option>
            <option value="disabled">Disabled</option>
          </select>
        </div>
      </div>
      {users.isPending ? <Loading what="users" /> : null}
      {users.isError ? <ErrorState error={users.error} onRetry={() => users.refetch()} /> : null}
      {users.data ? (
        <>
          <Table
            caption="Users"
            minWidth="56rem"
            head={
              <tr>
                <th scope="col" className={th}>
                  Person
                </th>
                <th scope="col" className={th}>
                  Role
                </th>
                <th scope="col" className={th}>
                  Status
                </th>
                <th scope="col" className={`${th} text-right`}>
                  Keys
                </th>
                {billing ? (
                  <th scope="col" className={`${th} text-right`}>
                    Credits
                  </th>
                ) : null}
                <th scope="col" className={th}>
                  Last sign-in
                </th>
                <th scope="col" className={actionsTh}>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            }
          >
            {users.data.users.length === 0 ? (
              <tr>
                <td colSpan={7} className="px-3 py-8 text-center text-ink-muted">
                  No one matches.
                </td>
              </tr>
            ) : null}
            {users.data.users.map((u) => (
              <tr key={u.id} data-testid={`user-${u.email}`}>
                <td className={td}>
                  <p className="font-medium text-ink">
                    {u.name}
                    {u.id === me ? <span className="ml-1 text-xs font-normal text-ink-faint">(you)</span> : null}
                  </p>
                  <p className="text-xs text-ink-muted">{u.email}</p>
                </td>
                <td className={td}>
                  <Badge tone={ROLE_TONE[u.role]}>{u.role}</Badge>
                </td>
                <td className={td}>
                  {u.status === "active" ? <Badge tone="ok">Active</Badge> : <Badge tone="danger">Disabled</Badge>}
                </td>
                <td className={`${td} text-right`}>{u.activeKeys}</td>
                {billing ? <td className={`${td} text-right tabular-nums`}>{credits(u.balanceMicro)}</td> : null}
                <td className={`${td} whitespace-nowrap`}>{u.lastSignInAt ? formatDate(u.lastSignInAt) : "Never"}</td>
                <td className={actionsTd}>
                  <div className={actionsRow}>
                    <SmallButton onClick={() => setDetailFor(u.id)} aria-label={`Details of ${u.email}`}>
                      Details
                    </SmallButton>
                    {myRole === "owner" && u.id !== me ? (
                      <SmallButton onClick={() => setRoleFor(u)} aria-label={`Change the role of ${u.email}`}>
                        Role
                      </SmallButton>
                    ) : null}
                    {billing ? (
                      <SmallButton onClick={() => setGrantFor(u)} aria-label={`Grant credits to ${u.email}`}>
                        Grant
                      </SmallButton>
                    ) : null}
                    {canManage(u) ? (
                      <SmallButton
                        danger={u.status === "active"}
                        onClick={() => setStatusFor(u)}
                        aria-label={`${u.status === "active" ? "Disable" : "Enable"} ${u.email}`}
                      >
                        {u.status === "active" ? "Disable" : "Enable"}
                      </SmallButton>
                    ) : null}
                  </div>
                </td>
              </tr>
            ))}
          </Table>
          <Pager
            page={paging.page}
            pageSize={PAGE_SIZE}
            shown={users.data.users.length}
            total={users.data.total}
            noun={users.data.total === 1 ? "person" : "people"}
            onPage={paging.setPage}
          />
        </>
      ) : null}
      <RoleDialog user={roleFor} onClose={() => setRoleFor(null)} />
      <GrantDialog user={grantFor} onClose={() => setGrantFor(null)} />
      <UserDetailDialog userId={detailFor} onClose={() => setDetailFor(null)} />
      <ConfirmDialog
        open={statusFor !== null}
        onOpenChange={(open) => !open && setStatusFor(null)}
        title={`${statusFor?.status === "active" ? "Disable" : "Enable"} ${statusFor?.email ?? ""}?`}
        confirmLabel={statusFor?.status === "active" ? "Disable account" : "Enable account"}
        onConfirm={async () => {
          const next = statusFor!.status === "active" ? "disabled" : "active";
          await setUserStatus.mutateAsync({ id: statusFor!.id, status: next });
          await refresh();
          notify(`${statusFor!.email} ${next === "disabled" ? "disabled" : "enabled"}`);
        }}
      >
        {statusFor?.status === "active"
          ? "They are signed out everywhere at once and their access keys stop working on the next call. Nothing is deleted; enable the account to undo."
          : "They can sign in again and their active keys work again."}
      </ConfirmDialog>
    </>
  );
}
