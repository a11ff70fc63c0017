import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/lib/trpc";
import { SelectField } from "../../ui/fields";
import { FormDialog } from "../form-dialog";
import { microText, parseMoney, usd } from "../format";
import { useNotice } from "../notice";
import { Badge, td, th } from "../ui";
import { useRefresh } from "../use-refresh";
import type { ProviderOption } from "./model-dialogs";

/**
 * Import well-known models of a provider's kind with their list prices, edited first if need be. Models the
 * provider already has are shown but not imported again.
 */
export function StarterDialog({
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
  const [chosen, setChosen] = useState<string | null>(null);
  const current = chosen ?? providerId ?? providers[0]?.id ?? null;
  const starter = useQuery({
    ...trpc.models.starterList.queryOptions({ providerId: current ?? "" }),
    enabled: open && current !== null,
  });
  const importModels = useMutation(trpc.models.importStarter.mutationOptions());
  const refresh = useRefresh();
  const notify = useNotice();
  const available = starter.data?.models.filter((m) => !m.alreadyAdded) ?? [];
  return (
    <FormDialog
      open={open}
      onOpenChange={onOpenChange}
      size="xl"
      title="Import starter models"
      description={`Well-known models with their public list prices (${starter.data?.pricesAsOf ?? "recent"}). Check them against the provider's price page; edit any price before importing.`}
      submitLabel="Import selected"
      onSubmit={async (form) => {
        const models = available
          .filter((m) => form.get(`pick:${m.model}`) === "on")
          .map((m) => ({
            model: m.model,
            type: m.type,
            displayName: m.displayName,
            rate: {
              inputPerMillion: parseMoney(String(form.get(`in:${m.model}`) ?? ""), `in:${m.model}`) ?? 0,
              outputPerMillion: parseMoney(String(form.get(`out:${m.model}`) ?? ""), `out:${m.model}`) ?? 0,
              cachedInputPerMillion: parseMoney(String(form.get(`cached:${m.model}`) ?? ""), `cached:${m.model}`),
              // Not a column of its own (the table must fit a phone): the list price, editable on the model after.
              cacheWritePerMillion: m.cacheWritePerMillion,
              perImage: m.perImage,
              imagePrices: m.imagePrices,
            },
          }));
        const result = await importModels.mutateAsync({ providerId: current!, models });
        await refresh();
        notify(`Imported ${result.added.length} ${result.added.length === 1 ? "model" : "models"}`);
      }}
    >
      {(errors) => (
        <>
          <SelectField
            label="Provider"
            name="providerId"
            value={current ?? ""}
            onChange={(e) => setChosen(e.target.value)}
            options={providers.map((p) => ({ value: p.id, label: p.name }))}
            error={errors.providerId}
          />
          {errors.models ? <p className="field-error">{errors.models}</p> : null}
          {starter.data && starter.data.models.length === 0 ? (
            <p className="text-sm text-ink-muted">
              There is no starter list for {starter.data.kind} providers; add their models by hand.
            </p>
          ) : null}
          {starter.data?.models.length ? (
            <div className="max-h-[50vh] overflow-auto rounded-lg border border-line">
              <table className="w-full min-w-[40rem] text-sm">
                <caption className="sr-only">Starter models</caption>
                <thead className="sticky top-0 bg-surface-muted">
                  <tr>
                    <th scope="col" className={th}>
                      Import
                    </th>
                    <th scope="col" className={th}>
                      Model
                    </th>
                    <th scope="col" className={th}>
                      Input $/1M
                    </th>
                    <th scope="col" className={th}>
                      Output $/1M
                    </th>
                    <th scope="col" className={th}>
                      Cached $/1M
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-line">
                  {starter.data.models.map((m) => {
                    const cell = (prefix: string, value: number | null, label: string) =>
                      m.type === "image" ? (
                        <td className={`${td} text-ink-faint`}>—</td>
                      ) : (
                        <td className={td}>
                          <input
                            name={`${prefix}:${m.model}`}
                            aria-label={`${label} of ${m.model}`}
                            defaultValue={microText(value)}
                            disabled={m.alreadyAdded}
                            aria-invalid={errors[`${prefix}:${m.model}`] ? true : undefined}
                            className="field-input w-24 px-2 py-1 disabled:border-line disabled:bg-surface-sunken disabled:text-ink-faint"
                          />
                          {errors[`${prefix}:${m.model}`] ? (
                            <p className="field-error text-xs">{errors[`${prefix}:${m.model}`]}</p>
                          ) : null}
                        </td>
                      );
                    return (
                      <tr key={m.model}>
                        <td className={td}>
                          <input
                            type="checkbox"
                            name={`pick:${m.model}`}
                            aria-label={`Import ${m.model}`}
                            defaultChecked={!m.alreadyAdded}
                            disabled={m.alreadyAdded}
                            className="h-4 w-4 accent-brand-600"
                          />
                        </td>
                        <td className={td}>
                          <p className="font-medium text-ink">{m.displayName}</p>
                          <p className="font-mono text-xs text-ink-faint">
                            {m.model} · {m.type}
                            {m.type === "image"
                              ? ` · ${usd(m.perImage)} per image${m.imagePrices && Object.keys(m.imagePrices).length ? `, ${Object.keys(m.imagePrices).length} sizes` : ""}`
                              : ""}
                          </p>
                          {m.alreadyAdded ? <Badge>Already added</Badge> : null}
                        </td>
                        {cell("in", m.inputPerMillion, "Input price")}
                        {cell("out", m.outputPerMillion, "Output price")}
                        {cell("cached", m.cachedInputPerMillion, "Cached input price")}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          ) : null}
        </>
      )}
    </FormDialog>
  );
}
