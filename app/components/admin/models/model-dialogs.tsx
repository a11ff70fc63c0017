import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { exampleModel } from "@server/catalog/starter-models";
import { useTRPC, type RouterOutputs } from "~/lib/trpc";
import { CheckboxField, SelectField, TextField } from "../../ui/fields";
import { checked, FormDialog, text } from "../form-dialog";
import { FieldError, parseWhole } from "../format";
import { useNotice } from "../notice";
import { useRefresh } from "../use-refresh";
import { RateFields, readRate } from "./rate-fields";

export type AdminModel = RouterOutputs["models"]["list"][number];
export type ProviderOption = { id: string; name: string; kind: string };

export const TYPE_OPTIONS = [
  { value: "chat", label: "Chat" },
  { value: "embedding", label: "Embedding" },
  { value: "image", label: "Image" },
];

/** A datetime-local value (the browser's time) as ISO, or undefined for "now". */
function effectiveFrom(form: FormData): string | undefined {
  const value = text(form, "effectiveFrom");
  if (!value) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new FieldError("effectiveFrom", "is not a date");
  return date.toISOString();
}

export function EffectiveFromField({ errors }: { errors: Record<string, string> }) {
  return (
    <TextField
      label="Takes effect (optional)"
      name="effectiveFrom"
      type="datetime-local"
      error={errors.effectiveFrom}
      hint="Your local time. Empty: now. Calls already made keep the price they were charged."
    />
  );
}

export function AddModelDialog({
  open,
  onOpenChange,
  providers,
  providerId,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  providers: ProviderOption[];
  providerId: string | null;
}) {
  const trpc = useTRPC();
  const create = useMutation(trpc.models.create.mutationOptions());
  const refresh = useRefresh();
  const notify = useNotice();
  const [type, setType] = useState("chat");
  const [chosen, setChosen] = useState<string | null>(null);
  const selected = chosen ?? providerId ?? providers[0]?.id;
  const example = exampleModel(providers.find((p) => p.id === selected)?.kind ?? "", type);
  return (
    <FormDialog
      open={open}
      onOpenChange={(next) => {
        if (!next) setChosen(null);
        onOpenChange(next);
      }}
      size="lg"
      title="Add model"
      description="Callers use it as provider/model-id, or by an alias you give it later."
      submitLabel="Add model"
      onSubmit={async (form) => {
        const provider = providers.find((p) => p.id === text(form, "providerId"));
        const model = text(form, "model");
        await create.mutateAsync({
          providerId: text(form, "providerId"),
          model,
          type: type as AdminModel["type"],
          displayName: text(form, "displayName") || null,
          effectiveFrom: effectiveFrom(form),
          rate: readRate(form, type),
        });
        await refresh();
        notify(`Model ${provider?.name ?? ""}/${model} added`);
      }}
    >
      {(errors) => (
        <>
          <div className="grid gap-4 sm:grid-cols-2">
            <SelectField
              label="Provider"
              name="providerId"
              value={selected}
              onChange={(e) => setChosen(e.target.value)}
              error={errors.providerId ?? errors.provider}
              options={providers.map((p) => ({ value: p.id, label: p.name }))}
            />
            <SelectField
              label="Type"
              name="type"
              value={type}
              onChange={(e) => setType(e.target.value)}
              error={errors.type}
              options={TYPE_OPTIONS}
            />
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              label="Model id"
              name="model"
              required
              placeholder={example?.model ?? "the provider's model id"}
              error={errors.model}
              hint="The provider's own id."
            />
            <TextField
              label="Display name (optional)"
              name="displayName"
              placeholder={example?.displayName}
              error={errors.displayName}
            />
          </div>
          <RateFields errors={errors} type={type} />
          <EffectiveFromField errors={errors} />
        </>
      )}
    </FormDialog>
  );
}

const list = (value: string) =>
  value
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Display name, type, enabled, aliases, fallbacks and output cap of a model. */
export function EditModelDialog({ model, onClose }: { model: AdminModel | null; onClose: () => void }) {
  const trpc = useTRPC();
  const update = useMutation(trpc.models.update.mutationOptions());
  const setAliases = useMutation(trpc.models.setAliases.mutationOptions());
  const refresh = useRefresh();
  const notify = useNotice();
  return (
    <FormDialog
      open={model !== null}
      onOpenChange={(open) => !open && onClose()}
      size="lg"
      title={`Edit ${model?.publicName ?? "model"}`}
      submitLabel="Save"
      onSubmit={async (form) => {
        const aliases = list(text(form, "aliases"));
        await update.mutateAsync({
          id: model!.id,
          displayName: text(form, "displayName") || null,
          type: text(form, "type") as AdminModel["type"],
          enabled: checked(form, "enabled"),
          maxOutputTokens: parseWhole(text(form, "maxOutputTokens"), "maxOutputTokens"),
          fallbackModels: list(text(form, "fallbackModels")),
        });
        if (aliases.join(",") !== model!.aliases.join(",")) await setAliases.mutateAsync({ id: model!.id, aliases });
        await refresh();
        notify(`${model!.publicName} saved`);
      }}
    >
      {(errors) =>
        model ? (
          <>
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField
                label="Display name"
                name="displayName"
                defaultValue={model.displayName ?? ""}
                error={errors.displayName}
              />
              <SelectField
                label="Type"
                name="type"
                defaultValue={model.type}
                error={errors.type}
                options={TYPE_OPTIONS}
              />
            </div>
            <TextField
              label="Aliases"
              name="aliases"
              defaultValue={model.aliases.join(", ")}
              placeholder="fast, default-chat"
              error={errors.aliases}
              hint={
                "Other names callers can use for this model, separated by commas. Each alias is unique in the hub. " +
                "Agent clients: claude-sonnet-4-5, claude-haiku-4-5 serve Claude Code's names with this model."
              }
            />
            <TextField
              label="Fallback models"
              name="fallbackModels"
              defaultValue={model.fallbackModels.join(", ")}
              placeholder="anthropic/claude-haiku-4-5"
              error={errors.fallbackModels}
              hint="Tried in order when every credential of this model fails before the answer starts."
            />
            <TextField
              label="Max output tokens (optional)"
              name="maxOutputTokens"
              inputMode="numeric"
              defaultValue={model.maxOutputTokens ? String(model.maxOutputTokens) : ""}
              error={errors.maxOutputTokens}
            />
            <CheckboxField
              label="Enabled"
              name="enabled"
              defaultChecked={model.enabled}
              hint="A disabled model is refused with model_not_found; its rates are kept."
            />
          </>
        ) : null
      }
    </FormDialog>
  );
}
