/** Parsing the admin Billing page's forms into exact integer values. Pure. */
import { parseMicro } from "./money";

export type FieldErrors = Record<string, string>;
export type Parsed<T> = { ok: true; value: T } | { ok: false; fieldErrors: FieldErrors };

const text = (form: FormData, name: string) => String(form.get(name) ?? "").trim();

export interface CreditChange {
  email: string;
  amountMicro: number;
  reason: string;
}

/** Grant (positive) or adjustment (signed) of credits to a user, with a reason. */
export function parseCreditForm(form: FormData, signed: boolean): Parsed<CreditChange> {
  const errors: FieldErrors = {};
  const email = text(form, "email").toLowerCase();
  const amountMicro = parseMicro(text(form, "amount"));
  const reason = text(form, "reason");
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) errors.email = "Enter the user's email address";
  if (amountMicro === null || amountMicro === 0 || (!signed && amountMicro < 0)) {
    errors.amount = signed ? "Enter a non-zero number of credits, negative to take credit away" : "Enter a positive number of credits, such as 10 or 2.5";
  }
  if (!reason) errors.reason = "Give a reason: it is kept in the ledger and the audit log";
  if (Object.keys(errors).length) return { ok: false, fieldErrors: errors };
  return { ok: true, value: { email, amountMicro: amountMicro!, reason: reason.slice(0, 500) } };
}

export interface BillingSettingsInput {
  billingEnabled: boolean;
  paymentLink: string | null;
  creditPriceMicroUsd: number;
  profitMarginBps: number;
  newUserGrantMicro: number;
  lowBalanceWarningMicro: number;
  /** A new webhook secret to seal and store; null keeps the current one; "" clears it. */
  webhookSecret: string | null;
}

export function parseBillingSettingsForm(form: FormData): Parsed<BillingSettingsInput> {
  const errors: FieldErrors = {};
  const link = text(form, "paymentLink");
  if (link && !/^https?:\/\/\S+$/.test(link)) errors.paymentLink = "Enter an http(s) link, such as a Stripe Payment Link";
  const price = parseMicro(text(form, "creditPrice"));
  if (price === null || price <= 0) errors.creditPrice = "Enter the price of one credit in USD, such as 1 or 0.01";
  // Percent with up to two decimals → basis points.
  const marginMicro = parseMicro(text(form, "margin") || "0");
  if (marginMicro === null || marginMicro < 0 || marginMicro % 10_000 !== 0 || marginMicro > 1_000 * 1_000_000) errors.margin = "Enter a percentage from 0 to 1000, at most two decimals";
  const grant = parseMicro(text(form, "newUserGrant") || "0");
  if (grant === null || grant < 0) errors.newUserGrant = "Enter a number of credits, 0 for none";
  const low = parseMicro(text(form, "lowBalance") || "0");
  if (low === null || low < 0) errors.lowBalance = "Enter a number of credits";
  const secret = text(form, "webhookSecret");
  if (secret && !/^whsec_[A-Za-z0-9]+$/.test(secret)) errors.webhookSecret = "Stripe webhook secrets look like whsec_…";
  if (Object.keys(errors).length) return { ok: false, fieldErrors: errors };
  return {
    ok: true,
    value: {
      billingEnabled: form.get("billingEnabled") === "on",
      paymentLink: link || null,
      creditPriceMicroUsd: price!,
      profitMarginBps: marginMicro! / 10_000,
      newUserGrantMicro: grant!,
      lowBalanceWarningMicro: low!,
      webhookSecret: form.get("clearWebhookSecret") === "on" ? "" : secret || null,
    },
  };
}
