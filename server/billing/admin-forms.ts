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
    errors.amount = signed
      ? "Enter a non-zero number of credits, negative to take credit away"
      : "Enter a positive number of credits, such as 10 or 2.5";
  }
  if (!reason) errors.reason = "Give a reason: it is kept in the ledger and the audit log";
  if (Object.keys(errors).length) return { ok: false, fieldErrors: errors };
  return { ok: true, value: { email, amountMicro: amountMicro!, reason: reason.slice(0, 500) } };
}

/**
 * The billing settings a form post changes: only the fields it holds, so an admin's form (which holds only what an
 * admin may change) and the owner's (which holds them all) are parsed the same way. A field that is absent stays
 * as it is; the checkbox comes with a hidden "off" input before it, so "unchecked" and "absent" differ.
 */
export interface BillingSettingsInput {
  billingEnabled?: boolean;
  paymentLink?: string | null;
  creditPriceMicroUsd?: number;
  profitMarginBps?: number;
  newUserGrantMicro?: number;
  lowBalanceWarningMicro?: number;
  /** A new webhook secret to seal and store, or "" to remove the stored one; absent keeps it. */
  webhookSecret?: string;
}

export function parseBillingSettingsForm(form: FormData): Parsed<BillingSettingsInput> {
  const errors: FieldErrors = {};
  const value: BillingSettingsInput = {};
  const enabled = form.getAll("billingEnabled");
  if (enabled.length) value.billingEnabled = enabled.includes("on");
  if (form.has("paymentLink")) {
    const link = text(form, "paymentLink");
    if (link && !/^https?:\/\/\S+$/.test(link))
      errors.paymentLink = "Enter an http(s) link, such as a Stripe Payment Link";
    value.paymentLink = link || null;
  }
  if (form.has("creditPrice")) {
    const price = parseMicro(text(form, "creditPrice"));
    if (price === null || price <= 0) errors.creditPrice = "Enter the price of one credit in USD, such as 1 or 0.01";
    else value.creditPriceMicroUsd = price;
  }
  if (form.has("margin")) {
    // Percent with up to two decimals → basis points.
    const marginMicro = parseMicro(text(form, "margin") || "0");
    if (marginMicro === null || marginMicro < 0 || marginMicro % 10_000 !== 0 || marginMicro > 1_000 * 1_000_000) {
      errors.margin = "Enter a percentage from 0 to 1000, at most two decimals";
    } else value.profitMarginBps = marginMicro / 10_000;
  }
  if (form.has("newUserGrant")) {
    const grant = parseMicro(text(form, "newUserGrant") || "0");
    if (grant === null || grant < 0) errors.newUserGrant = "Enter a number of credits, 0 for none";
    else value.newUserGrantMicro = grant;
  }
  if (form.has("lowBalance")) {
    const low = parseMicro(text(form, "lowBalance") || "0");
    if (low === null || low < 0) errors.lowBalance = "Enter a number of credits";
    else value.lowBalanceWarningMicro = low;
  }
  const secret = text(form, "webhookSecret");
  if (secret && !/^whsec_[A-Za-z0-9]+$/.test(secret)) errors.webhookSecret = "Stripe webhook secrets look like whsec_…";
  if (form.get("clearWebhookSecret") === "on") value.webhookSecret = "";
  else if (secret) value.webhookSecret = secret;
  if (Object.keys(errors).length) return { ok: false, fieldErrors: errors };
  return { ok: true, value };
}
