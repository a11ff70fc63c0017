import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/lib/trpc";
import { PageHeader } from "../../ui/empty-state";
import { useAdmin } from "../admin-role";
import { CheckboxField, TextAreaField, TextField } from "../../ui/fields";
import { checked, text } from "../form-dialog";
import { FieldError, microText, parseMoney, parseWhole } from "../format";
import { ErrorState, Loading } from "../ui";
import { MetricsToken } from "./metrics-token";
import { OAuthClients } from "./oauth-clients";
import { SettingsSection } from "./settings-form";

/** "20" or "12.5" (percent) → basis points. */
function parsePercent(value: string, field: string): number {
  const v = value.trim().replace(/%$/, "").trim();
  if (!/^\d{1,4}(\.\d{1,2})?$/.test(v)) throw new FieldError(field, "must be a percentage such as 20 or 12.5");
  return Math.round(Number(v) * 100);
}

const POLICIES = [
  { value: "open", label: "Anyone", help: "Anyone with an account at a sign-in provider below gets an account here." },
  {
    value: "invite_only",
    label: "Existing accounts only",
    help: "Only people who already have an account (created by an admin or the CLI).",
  },
  { value: "domains", label: "Email domains", help: "New accounts only for emails in the domains listed." },
] as const;

export function SettingsPage() {
  const trpc = useTRPC();
  const { role } = useAdmin();
  const query = useQuery(trpc.settings.get.queryOptions());
  const canEdit = role === "owner";
  const s = query.data?.settings;
  return (
    <>
      <PageHeader
        title="Settings"
        description={
          canEdit
            ? "How the hub bills, who may sign in, and what it keeps."
            : "Only the owner can change settings; you can read them."
        }
      />
      {query.isPending ? <Loading what="settings" /> : null}
      {query.isError ? <ErrorState error={query.error} onRetry={() => query.refetch()} /> : null}
      {s && query.data ? (
        <div className="space-y-6" key={query.dataUpdatedAt}>
          <SettingsSection
            title="Billing"
            description="With billing on, calls spend credits and are refused when a person has none left. Off: calls are priced for reports only."
            canEdit={canEdit}
            read={(form) => ({
              billingEnabled: checked(form, "billingEnabled"),
              creditPriceMicroUsd: parseMoney(text(form, "creditPrice"), "creditPriceMicroUsd") ?? 0,
              profitMarginBps: parsePercent(text(form, "profitMargin"), "profitMarginBps"),
              newUserGrantMicro: parseMoney(text(form, "newUserGrant"), "newUserGrantMicro") ?? 0,
              paymentLink: text(form, "paymentLink") || null,
            })}
          >
            {(errors) => (
              <>
                <CheckboxField
                  label="Bill calls in credits"
                  name="billingEnabled"
                  defaultChecked={s.billingEnabled}
                  error={errors.billingEnabled}
                />
                <div className="grid gap-4 sm:grid-cols-3">
                  <TextField
                    label="Price of one credit (USD)"
                    name="creditPrice"
                    inputMode="decimal"
                    defaultValue={microText(s.creditPriceMicroUsd)}
                    error={errors.creditPriceMicroUsd}
                  />
                  <TextField
                    label="Profit margin (%)"
                    name="profitMargin"
                    inputMode="decimal"
                    defaultValue={String(s.profitMarginBps / 100)}
                    error={errors.profitMarginBps}
                    hint="Added to provider prices."
                  />
                  <TextField
                    label="New-user grant (credits)"
                    name="newUserGrant"
                    inputMode="decimal"
                    defaultValue={microText(s.newUserGrantMicro)}
                    error={errors.newUserGrantMicro}
                    hint="Once, at first sign-in."
                  />
                </div>
                <TextField
                  label="Payment link (optional)"
                  name="paymentLink"
                  type="url"
                  defaultValue={s.paymentLink ?? ""}
                  placeholder="https://buy.stripe.com/…"
                  error={errors.paymentLink}
                  hint="Shown to people who run out of credit."
                />
              </>
            )}
          </SettingsSection>

          <SettingsSection
            title="Sign-in policy"
            description="Who may create an account by signing in. Existing accounts can always sign in unless disabled."
            canEdit={canEdit}
            read={(form) => ({
              signInPolicy: text(form, "signInPolicy") as "open" | "invite_only" | "domains",
              allowedEmailDomains: text(form, "domains")
                .split(/[\s,]+/)
                .filter(Boolean),
            })}
          >
            {(errors) => (
              <>
                <fieldset className="space-y-2">
                  <legend className="field-label">New accounts</legend>
                  {POLICIES.map((p) => (
                    <label
                      key={p.value}
                      className="flex cursor-pointer items-start gap-3 rounded-lg border border-line p-3 has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50"
                    >
                      <input
                        type="radio"
                        name="signInPolicy"
                        value={p.value}
                        defaultChecked={s.signInPolicy === p.value}
                        className="mt-1 accent-brand-600"
                      />
                      <span>
                        <span className="block text-sm font-medium text-ink">{p.label}</span>
                        <span className="block text-xs text-ink-muted">{p.help}</span>
                      </span>
                    </label>
                  ))}
                </fieldset>
                <TextAreaField
                  label="Allowed email domains"
                  name="domains"
                  rows={2}
                  defaultValue={s.allowedEmailDomains.join("\n")}
                  placeholder="example.com"
                  error={Object.entries(errors).find(([k]) => k.startsWith("allowedEmailDomains"))?.[1]}
                  hint="One per line; used with “Email domains”."
                />
              </>
            )}
          </SettingsSection>

          <OAuthClients settings={query.data} canEdit={canEdit} />

          <SettingsSection
            title="Call records"
            description="Every call is recorded with its tokens, cost and timing. Bodies are kept only if you choose, redacted, for a limited time."
            canEdit={canEdit}
            read={(form) => {
              const keep = checked(form, "keepBodies");
              const days = parseWhole(text(form, "retentionDays"), "bodyLogRetentionDays");
              if (keep && !days) throw new FieldError("bodyLogRetentionDays", "how many days (1 to 365)?");
              const storeDays = parseWhole(text(form, "responseStoreDays"), "responseStoreRetentionDays");
              if (storeDays === null) throw new FieldError("responseStoreRetentionDays", "how many days (0 to 365)?");
              return {
                bodyLogRetentionDays: keep ? days! : 0,
                responseCacheEnabled: checked(form, "responseCache"),
                responseStoreRetentionDays: storeDays,
              };
            }}
          >
            {(errors) => (
              <>
                <CheckboxField
                  label="Keep request and response bodies"
                  name="keepBodies"
                  defaultChecked={s.bodyLogRetentionDays > 0}
                  hint="Secrets are masked before storage."
                />
                <TextField
                  label="Keep them for (days)"
                  name="retentionDays"
                  inputMode="numeric"
                  defaultValue={String(s.bodyLogRetentionDays || 7)}
                  error={errors.bodyLogRetentionDays}
                />
                <CheckboxField
                  label="Cache identical responses"
                  name="responseCache"
                  defaultChecked={s.responseCacheEnabled}
                  hint="An identical non-streaming chat or embedding request from the same person is answered from the cache for an hour, without a provider call and at no charge. Clients opt out with Cache-Control: no-cache."
                />
                <TextField
                  label="Keep Responses API answers for (days)"
                  name="responseStoreDays"
                  inputMode="numeric"
                  defaultValue={String(s.responseStoreRetentionDays)}
                  error={errors.responseStoreRetentionDays}
                  hint="For previous_response_id and GET /v1/responses/{id}, visible only to the key's owner. 0 keeps none."
                />
              </>
            )}
          </SettingsSection>

          <SettingsSection
            title="Failed authentications"
            description={
              "Wrong access keys, unknown device codes and unknown connect sessions from one address, per minute, " +
              "before the hub answers 429 instead of 401. Valid keys from that address keep working."
            }
            canEdit={canEdit}
            read={(form) => ({
              authFailuresPerMinute: parseWhole(text(form, "authFailures"), "authFailuresPerMinute"),
            })}
          >
            {(errors) => (
              <TextField
                label="Failures per address per minute"
                name="authFailures"
                inputMode="numeric"
                defaultValue={s.authFailuresPerMinute === null ? "" : String(s.authFailuresPerMinute)}
                hint="Empty: HUB_AUTH_FAILURES_PER_MINUTE (20 unless set). 0 turns the limit off."
                error={errors.authFailuresPerMinute}
              />
            )}
          </SettingsSection>
        </div>
      ) : null}
      {/* Outside the key above: a refresh must not drop the token shown once. */}
      {query.data ? (
        <div className="mt-6">
          <MetricsToken settings={query.data} canEdit={canEdit} />
        </div>
      ) : null}
    </>
  );
}
