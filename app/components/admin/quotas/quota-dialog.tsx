import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC, type RouterOutputs } from "~/lib/trpc";
import { SelectField, TextField } from "../../ui/fields";
import { FormDialog, text } from "../form-dialog";
import { microText, parseMoney, parseWhole } from "../format";
import { useNotice } from "../notice";
import { useRefresh } from "../use-refresh";

export type AdminQuota = RouterOutputs["quotas"]["list"][number];
type Scope = AdminQuota["scope"];

export const LIMITS = [
  { name: "requestsPerMinute", label: "Requests per minute" },
  { name: "tokensPerMinute", label: "Tokens per minute" },
  { name: "concurrency", label: "Concurrent requests" },
  { name: "tokensPerDay", label: "Tokens per day" },
  { name: "tokensPerMonth", label: "Tokens per month" },
  { name: "creditsPerDayMicro", label: "Credits per day", credits: true },
  { name: "creditsPerMonthMicro", label: "Credits per month", credits: true },
] as const;

const SCOPES = [
  { value: "global", label: "The whole hub" },
  { value: "user", label: "A user" },
  { value: "key", label: "An access key" },
  { value: "app", label: "An app" },
];

/** Create or replace the quota of one scope; an empty limit means none. */
export function QuotaDialog({
  open,
  quota,
  onClose,
}: {
  open: boolean;
  quota: AdminQuota | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const [scope, setScope] = useState<Scope>(quota?.scope ?? "user");
  useEffect(() => {
    if (open) setScope(quota?.scope ?? "user");
  }, [open, quota]);
  const users = useQuery({ ...trpc.users.list.queryOptions({ limit: 200 }), enabled: open && scope === "user" });
  const keys = useQuery({ ...trpc.keys.list.queryOptions({ status: "active" }), enabled: open && scope === "key" });
  const apps = useQuery({ ...trpc.keys.apps.queryOptions(), enabled: open && scope === "app" });
  const set = useMutation(trpc.quotas.set.mutationOptions());
  const refresh = useRefresh();
  const notify = useNotice();
  return (
    <FormDialog
      open={open}
      onOpenChange={(o) => !o && onClose()}
      size="lg"
      title={quota ? `Edit quota: ${quota.label}` : "Add quota"}
      description="Each limit counts its own scope's calls: a user's quota counts all their keys; the hub's counts everyone. Calls over a limit get 429 with Retry-After."
      submitLabel="Save quota"
      onSubmit={async (form) => {
        const limits = Object.fromEntries(
          LIMITS.map((l) => [
            l.name,
            "credits" in l ? parseMoney(text(form, l.name), l.name) : parseWhole(text(form, l.name), l.name),
          ]),
        );
        // Editing keeps the scope (its fields are disabled and so not in the form).
        const scopeId = scope === "global" ? undefined : (quota?.scopeId ?? text(form, "scopeId"));
        const saved = await set.mutateAsync({ scope, scopeId, ...limits });
        await refresh();
        notify(`Quota for ${saved.label} saved`);
      }}
    >
      {(errors) => (
        <>
          <div className="grid gap-4 sm:grid-cols-2">
            <SelectField
              label="Applies to"
              name="scope"
              value={scope}
              onChange={(e) => setScope(e.target.value as Scope)}
              disabled={quota !== null}
              options={SCOPES}
              error={errors.scope}
            />
            {scope === "user" ? (
              <SelectField
                label="User"
                name="scopeId"
                defaultValue={quota?.scopeId}
                disabled={quota !== null}
                error={errors.scopeId}
                options={[
                  { value: "", label: users.isPending ? "Loading…" : "Choose a user" },
                  ...(users.data?.users ?? []).map((u) => ({ value: u.id, label: u.email })),
                ]}
              />
            ) : scope === "key" ? (
              <SelectField
                label="Access key"
                name="scopeId"
                defaultValue={quota?.scopeId}
                disabled={quota !== null}
                error={errors.scopeId}
                options={[
                  { value: "", label: keys.isPending ? "Loading…" : "Choose a key" },
                  ...(keys.data ?? []).map((k) => ({
                    value: k.id,
                    label: `${k.name} (${k.prefix}…) · ${k.user.email}`,
                  })),
                ]}
              />
            ) : scope === "app" ? (
              <>
                <TextField
                  label="App name"
                  name="scopeId"
                  list="quota-apps"
                  defaultValue={quota?.scopeId}
                  readOnly={quota !== null}
                  error={errors.scopeId}
                  hint="As set on keys, or sent by AIGNE clients."
                />
                <datalist id="quota-apps">
                  {(apps.data ?? []).map((a) => (
                    <option key={a} value={a} />
                  ))}
                </datalist>
              </>
            ) : null}
          </div>
          {errors.form ? <p className="field-error">{errors.form}</p> : null}
          <fieldset className="grid gap-4 sm:grid-cols-2">
            <legend className="field-label">Limits (empty: no limit)</legend>
            {LIMITS.map((l) => {
              const value = quota?.[l.name];
              return (
                <TextField
                  key={l.name}
                  label={l.label}
                  name={l.name}
                  inputMode={"credits" in l ? "decimal" : "numeric"}
                  defaultValue={
                    value === null || value === undefined ? "" : "credits" in l ? microText(value) : String(value)
                  }
                  error={errors[l.name]}
                />
              );
            })}
          </fieldset>
        </>
      )}
    </FormDialog>
  );
}
