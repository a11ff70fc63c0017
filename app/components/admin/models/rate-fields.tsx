/**
 * The numbers of a rate as form fields, in dollars (USD per million tokens; per image), and their conversion to
 * the integer micro-units the server takes. Image prices are one "size:quality = price" per line.
 */
import type { RouterInputs } from "~/lib/trpc";
import { TextAreaField, TextField } from "../../ui/fields";
import { text } from "../form-dialog";
import { FieldError, microText, parseMoney, pick } from "../format";

export type RateInput = RouterInputs["models"]["addRate"]["rate"];

export interface RateDefaults {
  inputPerMillion: number;
  outputPerMillion: number;
  cachedInputPerMillion: number | null;
  cacheWritePerMillion: number | null;
  perImage: number | null;
  imagePrices: Record<string, number> | null;
}

export function RateFields({
  errors,
  defaults,
  type,
}: {
  errors: Record<string, string>;
  defaults?: RateDefaults | null;
  type: string;
}) {
  const e = (name: string) => pick(errors, `rate.${name}`, name);
  const prices = defaults?.imagePrices
    ? Object.entries(defaults.imagePrices)
        .map(([k, v]) => `${k} = ${microText(v)}`)
        .join("\n")
    : "";
  return (
    <fieldset className="space-y-4">
      <legend className="field-label">Rates in USD {type === "image" ? "" : "per million tokens"}</legend>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <TextField
          label="Input"
          name="inputPerMillion"
          inputMode="decimal"
          placeholder="0.15"
          defaultValue={microText(defaults?.inputPerMillion)}
          error={e("inputPerMillion")}
        />
        <TextField
          label="Output"
          name="outputPerMillion"
          inputMode="decimal"
          placeholder="0.60"
          defaultValue={microText(defaults?.outputPerMillion)}
          error={e("outputPerMillion")}
        />
        <TextField
          label="Cached input"
          name="cachedInputPerMillion"
          inputMode="decimal"
          placeholder="same as input"
          defaultValue={microText(defaults?.cachedInputPerMillion)}
          error={e("cachedInputPerMillion")}
        />
        {type === "chat" ? (
          <TextField
            label="Cache write"
            name="cacheWritePerMillion"
            inputMode="decimal"
            placeholder="same as input"
            defaultValue={microText(defaults?.cacheWritePerMillion)}
            error={e("cacheWritePerMillion")}
            hint="Input written to a prompt cache (Anthropic, Bedrock)."
          />
        ) : null}
      </div>
      {type === "image" ? (
        <div className="grid gap-4 sm:grid-cols-[1fr_2fr]">
          <TextField
            label="Per image"
            name="perImage"
            inputMode="decimal"
            placeholder="0.04"
            defaultValue={microText(defaults?.perImage)}
            error={e("perImage")}
            hint="Any size and quality not listed."
          />
          <TextAreaField
            label="By size and quality"
            name="imagePrices"
            defaultValue={prices}
            placeholder={"1024x1024:standard = 0.04\n1024x1024:hd = 0.08"}
            error={e("imagePrices")}
            hint="One per line: size:quality = price."
          />
        </div>
      ) : null}
    </fieldset>
  );
}

function parseImagePrices(value: string): Record<string, number> | null {
  const lines = value
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  if (!lines.length) return null;
  const out: Record<string, number> = {};
  for (const line of lines) {
    const at = line.indexOf("=");
    const key = at > 0 ? line.slice(0, at).trim() : "";
    const price = at > 0 ? parseMoney(line.slice(at + 1).trim(), "imagePrices") : null;
    if (!key || price === null) throw new FieldError("imagePrices", `“${line}” should look like 1024x1024:hd = 0.08`);
    out[key] = price;
  }
  return out;
}

/** The rate fields of a submitted form, in micro-units; empty input and output mean 0. */
export function readRate(form: FormData, type: string): RateInput {
  return {
    inputPerMillion: parseMoney(text(form, "inputPerMillion"), "inputPerMillion") ?? 0,
    outputPerMillion: parseMoney(text(form, "outputPerMillion"), "outputPerMillion") ?? 0,
    cachedInputPerMillion: parseMoney(text(form, "cachedInputPerMillion"), "cachedInputPerMillion"),
    cacheWritePerMillion:
      type === "chat" ? parseMoney(text(form, "cacheWritePerMillion"), "cacheWritePerMillion") : null,
    perImage: type === "image" ? parseMoney(text(form, "perImage"), "perImage") : null,
    imagePrices: type === "image" ? parseImagePrices(text(form, "imagePrices")) : null,
  };
}

/** "$3.00 in · $15.00 out · $0.30 cached · $3.75 cache write" or "$0.04 per image". */
export function rateSummary(rate: RateDefaults | null, type: string, usd: (micro: number | null) => string): string {
  if (!rate) return "No rate";
  if (type === "image") {
    const n = rate.imagePrices ? Object.keys(rate.imagePrices).length : 0;
    return `${usd(rate.perImage)} per image${n ? ` · ${n} sizes` : ""}`;
  }
  const parts = [`${usd(rate.inputPerMillion)} in`];
  if (type !== "embedding" || rate.outputPerMillion) parts.push(`${usd(rate.outputPerMillion)} out`);
  if (rate.cachedInputPerMillion !== null) parts.push(`${usd(rate.cachedInputPerMillion)} cached`);
  if (rate.cacheWritePerMillion !== null) parts.push(`${usd(rate.cacheWritePerMillion)} cache write`);
  return parts.join(" · ");
}
