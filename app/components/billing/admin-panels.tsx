import { useEffect, useRef } from "react";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import type { AdminBillingData, AdminBillingResult } from "@server/billing/admin-billing.server";

export function Totals({ totals }: { totals: AdminBillingData["totals"] }) {
  const items: Array<[string, string]> = [
    ["Credit held by users", totals.balance],
    ["Held for calls in progress", totals.reserved],
    ["Spent this month", totals.spentMonth],
    ["Spent in total", totals.spentAll],
    ["Bought", totals.purchased],
    ["Granted and adjusted", totals.granted],
  ];
  return (
    <section aria-label="Totals" className="grid gap-3 sm:grid-cols-3">
      {items.map(([label, value]) => (
        <div key={label} className="card p-4">
          <p className="text-xs text-ink-muted">{label}</p>
          <p className="mt-1 text-xl font-semibold text-ink">
            {value} <span className="text-sm font-normal text-ink-faint">credits</span>
          </p>
        </div>
      ))}
      <p className="text-xs text-ink-faint sm:col-span-3">
        {totals.accounts === 1 ? "1 user has" : `${totals.accounts} users have`} credit.
      </p>
    </section>
  );
}

function Field({
  name,
  label,
  errors,
  ...input
}: { name: string; label: string; errors?: Record<string, string> } & React.InputHTMLAttributes<HTMLInputElement>) {
  const error = errors?.[name];
  return (
    <label className="block text-sm">
      <span className="field-label">{label}</span>
      <input name={name} className="field-input" aria-invalid={error ? true : undefined} {...input} />
      {error ? <span className="field-error block">{error}</span> : null}
    </label>
  );
}

function Outcome({ intent }: { intent: string }) {
  const result = useActionData<AdminBillingResult>();
  if (!result || result.intent !== intent) return null;
  if (result.ok)
    return (
      <p role="status" className="rounded-lg bg-ok-soft px-3 py-2 text-sm text-ok">
        {result.message}
      </p>
    );
  return result.formError ? (
    <p role="alert" className="rounded-lg bg-danger-soft px-3 py-2 text-sm text-danger">
      {result.formError}
    </p>
  ) : null;
}

/** Grant or adjust one user's credit, with a reason kept in the ledger and the audit log. */
export function CreditForm() {
  const result = useActionData<AdminBillingResult>();
  const busy = useNavigation().state === "submitting";
  const errors =
    result && !result.ok && (result.intent === "grant" || result.intent === "adjust") ? result.fieldErrors : undefined;
  const form = useRef<HTMLFormElement>(null);
  // A done grant empties the form, so it cannot be sent twice by accident.
  useEffect(() => {
    if (result?.ok && result.intent !== "settings") form.current?.reset();
  }, [result]);
  return (
    <Form ref={form} method="post" className="card space-y-3 p-4" aria-label="Grant or adjust credit">
      <h2 className="text-base font-semibold text-ink">Grant or adjust credit</h2>
      <Field name="email" label="User email" type="email" errors={errors} required />
      <div className="grid gap-3 sm:grid-cols-2">
        <Field name="amount" label="Credits" inputMode="decimal" placeholder="10 or -2.5" errors={errors} required />
        <Field name="reason" label="Reason" placeholder="Trial credit" errors={errors} required />
      </div>
      <Outcome intent="grant" />
      <Outcome intent="adjust" />
      <div className="flex gap-2">
        <button type="submit" name="intent" value="grant" className="btn-primary" disabled={busy}>
          Grant
        </button>
        <button type="submit" name="intent" value="adjust" className="btn-secondary" disabled={busy}>
          Adjust (signed)
        </button>
      </div>
    </Form>
  );
}

const AMOUNT_FIELDS = [
  ["creditPrice", "Price of one credit (USD)"],
  ["margin", "Margin on provider prices (%)"],
  ["newUserGrant", "Welcome credit for new users"],
  ["lowBalance", "Warn below (credits)"],
] as const;

/**
 * The billing settings. Fields this person may not change (server/settings/setting-permissions.ts) are shown
 * disabled, so the browser does not send them; the server refuses them anyway if they come.
 */
export function SettingsForm({
  settings,
  editable,
}: {
  settings: AdminBillingData["settings"];
  editable: AdminBillingData["editable"];
}) {
  const result = useActionData<AdminBillingResult>();
  const errors = result && !result.ok && result.intent === "settings" ? result.fieldErrors : undefined;
  const secret = {
    env: "Set by STRIPE_WEBHOOK_SECRET (it wins over this field)",
    set: "A secret is stored (sealed)",
    none: "Not set: top-ups are not credited automatically",
  }[settings.webhookSecret];
  const ownerOnly = Object.values(editable).some((canChange) => !canChange);
  return (
    <Form method="post" className="card space-y-3 p-4" aria-label="Billing settings">
      <h2 className="text-base font-semibold text-ink">Settings</h2>
      {ownerOnly ? <p className="text-xs text-ink-muted">Only the owner can change the greyed-out settings.</p> : null}
      <label className="flex items-center gap-2 text-sm text-ink">
        {/* Sent when the box is unchecked, so "off" is a change and a form without the field is not. */}
        {editable.billingEnabled ? <input type="hidden" name="billingEnabled" value="off" /> : null}
        <input
          type="checkbox"
          name="billingEnabled"
          defaultChecked={settings.billingEnabled}
          disabled={!editable.billingEnabled}
          className="h-4 w-4"
        />
        Bill calls in credits (off: calls are priced for reporting only, never refused)
      </label>
      <Field
        name="paymentLink"
        label="Payment link"
        type="url"
        placeholder="https://buy.stripe.com/…"
        defaultValue={settings.paymentLink}
        disabled={!editable.paymentLink}
        errors={errors}
      />
      <div className="grid gap-3 sm:grid-cols-2">
        {AMOUNT_FIELDS.map(([name, label]) => (
          <Field
            key={name}
            name={name}
            label={label}
            inputMode="decimal"
            defaultValue={settings[name]}
            disabled={!editable[name]}
            errors={errors}
          />
        ))}
      </div>
      <Field
        name="webhookSecret"
        label="Stripe webhook signing secret"
        placeholder="whsec_…"
        autoComplete="off"
        disabled={!editable.webhookSecret}
        errors={errors}
      />
      <p className="text-xs text-ink-faint">
        {secret}. Endpoint: <code className="font-mono">/api/billing/stripe-webhook</code>, event
        checkout.session.completed.
      </p>
      {settings.webhookSecret === "set" && editable.webhookSecret ? (
        <label className="flex items-center gap-2 text-sm text-ink-muted">
          <input type="checkbox" name="clearWebhookSecret" className="h-4 w-4" /> Remove the stored secret
        </label>
      ) : null}
      <Outcome intent="settings" />
      <button type="submit" name="intent" value="settings" className="btn-primary">
        Save settings
      </button>
    </Form>
  );
}
