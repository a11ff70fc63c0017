import { useMutation, useQuery } from "@tanstack/react-query";
import { useTRPC, type RouterOutputs } from "~/lib/trpc";
import { TextField } from "../../ui/fields";
import { FormDialog, text } from "../form-dialog";
import { credits, FieldError, formatCount, formatDate, formatDateTime, parseMoney } from "../format";
import { Modal } from "../../ui/modal";
import { useNotice } from "../notice";
import { Badge, ErrorState, Loading, td, th } from "../ui";
import { useRefresh } from "../use-refresh";

export type AdminUser = RouterOutputs["users"]["list"]["users"][number];

const ROLE_HELP = {
  owner: "Everything, including settings, roles and OAuth.",
  admin: "The console, except settings and roles.",
  member: "Their own keys, usage and playground.",
};
export const ROLE_LABEL = { owner: "Owner", admin: "Admin", member: "Member" } as const;

export function RoleDialog({ user, onClose }: { user: AdminUser | null; onClose: () => void }) {
  const trpc = useTRPC();
  const setRole = useMutation(trpc.users.setRole.mutationOptions());
  const refresh = useRefresh();
  const notify = useNotice();
  return (
    <FormDialog
      open={user !== null}
      onOpenChange={(open) => !open && onClose()}
      title={`Change the role of ${user?.name ?? ""}`}
      description={user?.email}
      submitLabel="Change role"
      onSubmit={async (form) => {
        const role = text(form, "role") as AdminUser["role"];
        await setRole.mutateAsync({ id: user!.id, role });
        await refresh();
        notify(`${user!.email} is now ${role === "admin" ? "an admin" : `a${role === "owner" ? "n" : ""} ${role}`}`);
      }}
    >
      {(errors) => (
        <fieldset className="space-y-2">
          <legend className="field-label">Role</legend>
          {(["member", "admin", "owner"] as const).map((role) => (
            <label
              key={role}
              className="flex cursor-pointer items-start gap-3 rounded-lg border border-line p-3 has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50"
            >
              <input
                type="radio"
                name="role"
                value={role}
                defaultChecked={user?.role === role}
                className="mt-1 accent-brand-600"
              />
              <span>
                <span className="block text-sm font-medium text-ink">{ROLE_LABEL[role]}</span>
                <span className="block text-xs text-ink-muted">{ROLE_HELP[role]}</span>
              </span>
            </label>
          ))}
          {errors.role ? <p className="field-error">{errors.role}</p> : null}
        </fieldset>
      )}
    </FormDialog>
  );
}

export function GrantDialog({ user, onClose }: { user: AdminUser | null; onClose: () => void }) {
  const trpc = useTRPC();
  const grant = useMutation(trpc.users.grantCredits.mutationOptions());
  const refresh = useRefresh();
  const notify = useNotice();
  return (
    <FormDialog
      open={user !== null}
      onOpenChange={(open) => !open && onClose()}
      title={`Grant credits to ${user?.name ?? ""}`}
      description={`Balance now: ${credits(user?.balanceMicro)} credits. Recorded in their ledger and the audit log.`}
      submitLabel="Grant credits"
      onSubmit={async (form) => {
        const amountMicro = parseMoney(text(form, "amount"), "amountMicro");
        if (!amountMicro) throw new FieldError("amountMicro", "must be more than zero");
        const { balanceMicro } = await grant.mutateAsync({
          id: user!.id,
          amountMicro,
          reason: text(form, "reason") || undefined,
        });
        await refresh();
        notify(`Granted ${credits(amountMicro)} credits; balance ${credits(balanceMicro)}`);
      }}
    >
      {(errors) => (
        <>
          <TextField
            label="Credits"
            name="amount"
            inputMode="decimal"
            placeholder="10"
            required
            error={errors.amountMicro}
          />
          <TextField label="Reason (optional)" name="reason" placeholder="Welcome credit" error={errors.reason} />
        </>
      )}
    </FormDialog>
  );
}

/** One person: account, last 30 days of usage, balance, and their keys. */
export function UserDetailDialog({ userId, onClose }: { userId: string | null; onClose: () => void }) {
  const trpc = useTRPC();
  const detail = useQuery({ ...trpc.users.detail.queryOptions({ id: userId ?? "" }), enabled: userId !== null });
  const d = detail.data;
  return (
    <Modal
      open={userId !== null}
      onOpenChange={(open) => !open && onClose()}
      size="xl"
      title={d ? d.user.name : "User"}
      description={d?.user.email}
    >
      {detail.isPending ? <Loading what="the account" /> : null}
      {detail.isError ? <ErrorState error={detail.error} /> : null}
      {d ? (
        <div className="space-y-5">
          <dl className="grid grid-cols-2 gap-4 text-sm sm:grid-cols-4">
            {[
              ["Role", ROLE_LABEL[d.user.role]],
              [
                "Status",
                d.user.status === "active" ? <Badge tone="ok">Active</Badge> : <Badge tone="danger">Disabled</Badge>,
              ],
              ["Joined", formatDate(d.user.createdAt)],
              ["Last sign-in", formatDateTime(d.user.lastSignInAt)],
              [
                `Calls, ${d.usage.days} days`,
                `${formatCount(d.usage.calls)}${d.usage.failed ? ` (${d.usage.failed} failed)` : ""}`,
              ],
              ["Tokens in / out", `${formatCount(d.usage.inputTokens)} / ${formatCount(d.usage.outputTokens)}`],
              ["Cost", `${credits(d.usage.costMicro)} credits`],
              ["Balance", d.billingEnabled ? `${credits(d.balanceMicro)} credits` : "Billing is off"],
            ].map(([label, value], i) => (
              <div key={i}>
                <dt className="text-xs font-medium uppercase tracking-wide text-ink-faint">{label}</dt>
                <dd className="mt-0.5 text-ink">{value}</dd>
              </div>
            ))}
          </dl>
          {d.usage.byModel.length ? (
            <div>
              <h3 className="mb-2 text-sm font-semibold text-ink">Most used models</h3>
              <ul className="divide-y divide-line rounded-lg border border-line text-sm">
                {d.usage.byModel.map((m) => (
                  <li key={m.model} className="flex justify-between gap-4 px-3 py-2">
                    <span className="font-mono">{m.model}</span>
                    <span className="text-ink-muted">
                      {formatCount(m.calls)} {m.calls === 1 ? "call" : "calls"} · {formatCount(m.tokens)} tokens
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <div>
            <h3 className="mb-2 text-sm font-semibold text-ink">Access keys</h3>
            {d.keys.length ? (
              <div className="table-scroll rounded-lg border border-line">
                <table className="w-full text-sm">
                  <caption className="sr-only">Their access keys</caption>
                  <thead className="bg-surface-muted">
                    <tr>
                      <th scope="col" className={th}>
                        Name
                      </th>
                      <th scope="col" className={th}>
                        Key
                      </th>
                      <th scope="col" className={th}>
                        App
                      </th>
                      <th scope="col" className={th}>
                        Last used
                      </th>
                      <th scope="col" className={th}>
                        Status
                      </th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-line">
                    {d.keys.map((k) => (
                      <tr key={k.id}>
                        <td className={td}>{k.name}</td>
                        <td className={`${td} font-mono text-xs`}>{k.prefix}…</td>
                        <td className={td}>{k.appName ?? "—"}</td>
                        <td className={td}>{formatDate(k.lastUsedAt)}</td>
                        <td className={td}>
                          <Badge tone={k.status === "active" ? "ok" : k.status === "expired" ? "warn" : "muted"}>
                            {k.status}
                          </Badge>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <p className="text-sm text-ink-muted">No keys.</p>
            )}
          </div>
        </div>
      ) : null}
    </Modal>
  );
}
