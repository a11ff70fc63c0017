import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC, type RouterInputs, type RouterOutputs } from "~/lib/trpc";
import { CheckboxField, SelectField, TextField } from "../../ui/fields";
import { checked, FormDialog, text } from "../form-dialog";
import { parseWhole } from "../format";
import { useNotice } from "../notice";
import { useRefresh } from "../use-refresh";

export type AdminProvider = RouterOutputs["providers"]["list"][number];
export type AdminCredential = AdminProvider["credentials"][number];

/** Add a provider: its kind, the name that prefixes its models, an optional base URL and its first key. */
export function AddProviderDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const trpc = useTRPC();
  const kinds = useQuery({ ...trpc.providers.kinds.queryOptions(), enabled: open, staleTime: Infinity });
  const create = useMutation(trpc.providers.create.mutationOptions());
  const refresh = useRefresh();
  const notify = useNotice();
  const [kind, setKind] = useState("openai");
  const info = kinds.data?.find((k) => k.kind === kind);
  return (
    <FormDialog
      open={open}
      onOpenChange={onOpenChange}
      title="Add provider"
      description="Keys are encrypted before they are stored; afterwards only their last four characters are shown."
      submitLabel="Add provider"
      onSubmit={async (form) => {
        const result = await create.mutateAsync({
          kind: kind as RouterInputs["providers"]["create"]["kind"],
          name: text(form, "name"),
          displayName: text(form, "displayName") || undefined,
          baseUrl: text(form, "baseUrl") || null,
          apiKey: text(form, "apiKey") || null,
          weight: parseWhole(text(form, "weight"), "weight") ?? undefined,
        });
        await refresh();
        notify(`Provider ${result.name} added`);
      }}
    >
      {(errors) => (
        <>
          <div className="grid gap-4 sm:grid-cols-2">
            <SelectField
              label="Kind"
              name="kind"
              value={kind}
              onChange={(e) => setKind(e.target.value)}
              error={errors.kind}
              options={(kinds.data ?? [{ kind: "openai", displayName: "OpenAI", hint: null }]).map((k) => ({
                value: k.kind,
                label: k.hint ? `${k.displayName} (${k.hint})` : k.displayName,
              }))}
            />
            <TextField
              label="Name"
              name="name"
              defaultValue={kind}
              key={kind}
              required
              error={errors.name}
              hint={
                <>
                  Model names become <code className="whitespace-nowrap font-mono">name/model-id</code>.
                </>
              }
            />
          </div>
          <TextField
            label="Base URL (optional)"
            name="baseUrl"
            type="url"
            placeholder={info?.defaultBaseUrl}
            error={errors.baseUrl}
            hint="For a proxy, a self-hosted server or a regional endpoint. Empty: the provider's own API."
          />
          <TextField
            label={info?.needsKey === false ? "API key (optional)" : "API key"}
            name="apiKey"
            type="password"
            autoComplete="new-password"
            error={errors.apiKey}
            hint={info?.keyHint ?? "The first credential; add more later, each with its own weight."}
          />
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              label="Display name (optional)"
              name="displayName"
              placeholder={info?.displayName}
              error={errors.displayName}
            />
            <TextField
              label="Weight"
              name="weight"
              inputMode="numeric"
              defaultValue="1"
              error={errors.weight}
              hint="This key's share of calls (0–1000)."
            />
          </div>
        </>
      )}
    </FormDialog>
  );
}

export function EditProviderDialog({ provider, onClose }: { provider: AdminProvider | null; onClose: () => void }) {
  const trpc = useTRPC();
  const update = useMutation(trpc.providers.update.mutationOptions());
  const refresh = useRefresh();
  const notify = useNotice();
  return (
    <FormDialog
      open={provider !== null}
      onOpenChange={(open) => !open && onClose()}
      title={`Edit provider ${provider?.name ?? ""}`}
      description="The name stays: apps already use it in model names."
      submitLabel="Save"
      onSubmit={async (form) => {
        await update.mutateAsync({
          id: provider!.id,
          displayName: text(form, "displayName"),
          baseUrl: text(form, "baseUrl") || null,
          enabled: checked(form, "enabled"),
          allowAnyModel: checked(form, "allowAnyModel"),
        });
        await refresh();
        notify(`Provider ${provider!.name} saved`);
      }}
    >
      {(errors) =>
        provider ? (
          <>
            <TextField
              label="Display name"
              name="displayName"
              defaultValue={provider.displayName}
              required
              error={errors.displayName}
            />
            <TextField
              label="Base URL"
              name="baseUrl"
              type="url"
              defaultValue={provider.baseUrl ?? ""}
              placeholder={provider.defaultBaseUrl ?? ""}
              error={errors.baseUrl}
              hint="Empty: the provider's own API."
            />
            <CheckboxField
              label="Enabled"
              name="enabled"
              defaultChecked={provider.enabled}
              hint="A disabled provider takes no calls; its settings are kept."
            />
            <CheckboxField
              label="Pass any model id through"
              name="allowAnyModel"
              defaultChecked={provider.allowAnyModel}
              hint="Off: only the models listed on the Models page can be called."
            />
          </>
        ) : null
      }
    </FormDialog>
  );
}
