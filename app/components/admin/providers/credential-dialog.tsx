import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "~/lib/trpc";
import { CheckboxField, TextField } from "../../ui/fields";
import { checked, FormDialog, text } from "../form-dialog";
import { parseWhole } from "../format";
import { useNotice } from "../notice";
import { useRefresh } from "../use-refresh";
import type { AdminCredential, AdminProvider } from "./provider-dialogs";

export type CredentialTarget = { provider: AdminProvider; credential: AdminCredential | null };

/** Add a credential to a provider, or edit one (a new key replaces the stored one; empty keeps it). */
export function CredentialDialog({ target, onClose }: { target: CredentialTarget | null; onClose: () => void }) {
  const trpc = useTRPC();
  const add = useMutation(trpc.providers.addCredential.mutationOptions());
  const update = useMutation(trpc.providers.updateCredential.mutationOptions());
  const refresh = useRefresh();
  const notify = useNotice();
  const editing = target?.credential ?? null;
  return (
    <FormDialog
      open={target !== null}
      onOpenChange={(open) => !open && onClose()}
      title={editing ? `Edit credential ${editing.name}` : `Add a credential to ${target?.provider.name ?? ""}`}
      description="Calls are spread over a provider's enabled credentials by weight; a failing one is skipped for a while."
      submitLabel={editing ? "Save" : "Add credential"}
      onSubmit={async (form) => {
        const weight = parseWhole(text(form, "weight"), "weight") ?? undefined;
        const common = {
          name: text(form, "name"),
          apiKey: text(form, "apiKey") || null,
          baseUrl: text(form, "baseUrl") || null,
          weight,
        };
        if (editing) await update.mutateAsync({ id: editing.id, ...common, enabled: checked(form, "enabled") });
        else await add.mutateAsync({ providerId: target!.provider.id, ...common });
        await refresh();
        notify(editing ? `Credential ${common.name} saved` : `Credential ${common.name} added`);
      }}
    >
      {(errors) => (
        <>
          <TextField
            label="Name"
            name="name"
            defaultValue={editing?.name ?? ""}
            required
            error={errors.name}
            hint="Such as “team-a” or “backup”."
          />
          <TextField
            label={
              editing
                ? "New API key (optional)"
                : target?.provider.needsKey === false
                  ? "API key (optional)"
                  : "API key"
            }
            name="apiKey"
            type="password"
            autoComplete="new-password"
            error={errors.apiKey}
            placeholder={editing?.secretPreview ? `Stored key ${editing.secretPreview}` : undefined}
            hint={
              editing
                ? "Leave empty to keep the stored key."
                : (target?.provider.keyHint ?? "Encrypted before it is stored.")
            }
          />
          <TextField
            label="Base URL (optional)"
            name="baseUrl"
            type="url"
            defaultValue={editing?.baseUrl ?? ""}
            placeholder={target?.provider.baseUrl ?? target?.provider.defaultBaseUrl ?? ""}
            error={errors.baseUrl}
            hint="Only for this credential; empty uses the provider's."
          />
          <TextField
            label="Weight"
            name="weight"
            inputMode="numeric"
            defaultValue={String(editing?.weight ?? 1)}
            error={errors.weight}
            hint="0 to 1000; 0 keeps it as a spare."
          />
          {editing ? <CheckboxField label="Enabled" name="enabled" defaultChecked={editing.enabled} /> : null}
        </>
      )}
    </FormDialog>
  );
}
