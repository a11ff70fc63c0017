import { useMutation, useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/lib/trpc";
import { SelectField, TextField } from "../../ui/fields";
import { FormDialog, text } from "../form-dialog";
import { useNotice } from "../notice";
import { useRefresh } from "../use-refresh";

export function AddIpRuleDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const trpc = useTRPC();
  const keys = useQuery({ ...trpc.keys.list.queryOptions({ status: "active" }), enabled: open });
  const create = useMutation(trpc.ipRules.create.mutationOptions());
  const refresh = useRefresh();
  const notify = useNotice();
  return (
    <FormDialog
      open={open}
      onOpenChange={onOpenChange}
      title="Add IP rule"
      description="IPv4 or IPv6, a single address or a CIDR range."
      submitLabel="Add rule"
      onSubmit={async (form) => {
        const rule = await create.mutateAsync({
          action: text(form, "action") as "allow" | "deny",
          cidr: text(form, "cidr"),
          accessKeyId: text(form, "accessKeyId") || null,
          note: text(form, "note") || null,
        });
        await refresh();
        notify(`${rule.action === "deny" ? "Deny" : "Allow"} rule for ${rule.cidr} added`);
      }}
    >
      {(errors) => (
        <>
          <div className="grid gap-4 sm:grid-cols-[1fr_2fr]">
            <SelectField
              label="Action"
              name="action"
              defaultValue="deny"
              error={errors.action}
              options={[
                { value: "deny", label: "Deny" },
                { value: "allow", label: "Allow" },
              ]}
            />
            <TextField
              label="Address or range"
              name="cidr"
              required
              placeholder="203.0.113.0/24 or 2001:db8::/32"
              error={errors.cidr}
            />
          </div>
          <SelectField
            label="Applies to"
            name="accessKeyId"
            defaultValue=""
            error={errors.accessKeyId}
            options={[
              { value: "", label: "The whole API" },
              ...(keys.data ?? []).map((k) => ({
                value: k.id,
                label: `Key ${k.name} (${k.prefix}…) · ${k.user.email}`,
              })),
            ]}
          />
          <TextField label="Note (optional)" name="note" placeholder="Office network" error={errors.note} />
        </>
      )}
    </FormDialog>
  );
}
