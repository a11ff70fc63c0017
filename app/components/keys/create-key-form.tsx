import { useEffect, useState } from "react";
import * as Dialog from "@radix-ui/react-dialog";
import { useFetcher } from "@remix-run/react";
import type { KeysActionResult, RevealedKey } from "@server/access-keys/keys-page.server";
import { TextAreaField, TextField } from "../ui/fields";

type Errors = Partial<Record<string, string>>;

const LIMITS = [
  { name: "requestsPerMinute", label: "Requests per minute" },
  { name: "tokensPerMinute", label: "Tokens per minute" },
  { name: "concurrency", label: "Concurrent requests" },
  { name: "creditsPerDay", label: "Credits per day" },
] as const;

/** Today in the browser's calendar, for the date picker's minimum. */
function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/**
 * The "Create key" form. It lives inside the dialog, so closing the dialog unmounts it and its fetcher (with
 * v3_fetcherPersist the fetcher's data, which holds the new key, goes with it).
 */
export function CreateKeyForm({ onCreated }: { onCreated: (revealed: RevealedKey) => void }) {
  const fetcher = useFetcher<KeysActionResult>();
  const result = fetcher.data?.ok === false ? fetcher.data : null;
  const errors: Errors = result?.fieldErrors ?? {};
  const busy = fetcher.state !== "idle";
  const [tzOffset, setTzOffset] = useState("0");
  useEffect(() => setTzOffset(String(new Date().getTimezoneOffset())), []);
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.ok && fetcher.data.intent === "create")
      onCreated(fetcher.data.revealed);
  }, [fetcher.state, fetcher.data, onCreated]);
  const advancedError = ["allowedModels", ...LIMITS.map((l) => l.name)].some((f) => errors[f]);

  return (
    <fetcher.Form method="post" noValidate className="space-y-4">
      <input type="hidden" name="intent" value="create" />
      <input type="hidden" name="tzOffset" value={tzOffset} />
      {result?.formError ? (
        <p role="alert" className="rounded-lg bg-danger-soft px-3 py-2 text-sm text-danger">
          {result.formError}
        </p>
      ) : null}
      <TextField
        label="Name"
        name="name"
        hint="What this key is for, such as “laptop” or “billing-service”."
        error={errors.name}
        maxLength={100}
        required
      />
      <TextField
        label="App name (optional)"
        name="appName"
        hint="Calls made with this key are reported under this app."
        error={errors.appName}
        maxLength={100}
      />
      <TextField
        label="Expires on (optional)"
        name="expiresOn"
        type="date"
        min={today()}
        hint="The key stops working at the end of this day. Empty: it never expires."
        error={errors.expiresAt}
      />
      <details className="group rounded-lg border border-line" open={advancedError || undefined}>
        <summary className="cursor-pointer select-none px-3 py-2 text-sm font-medium text-ink">
          Restrictions (optional)
        </summary>
        <div className="space-y-4 border-t border-line p-3">
          <TextAreaField
            label="Allowed models"
            name="allowedModels"
            hint="provider/model names, separated by commas or spaces. Empty: every model you may use."
            error={errors.allowedModels}
            rows={2}
            className="field-input font-mono text-xs"
            placeholder="openai/gpt-4o-mini, anthropic/claude-3-5-haiku"
          />
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
            {LIMITS.map((l) => (
              <TextField
                key={l.name}
                label={l.label}
                name={l.name}
                error={errors[l.name]}
                type="number"
                min={1}
                step={1}
                inputMode="numeric"
                placeholder="No limit"
              />
            ))}
          </div>
        </div>
      </details>
      <div className="flex justify-end gap-2 pt-2">
        <Dialog.Close className="btn-secondary" type="button">
          Cancel
        </Dialog.Close>
        <button type="submit" className="btn-primary" disabled={busy}>
          {busy ? "Creating…" : "Create key"}
        </button>
      </div>
    </fetcher.Form>
  );
}
