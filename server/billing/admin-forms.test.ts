import { describe, expect, it } from "vitest";
import { parseBillingSettingsForm, parseCreditForm } from "./admin-forms";

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

describe("admin billing forms", () => {
  it("parses grants and signed adjustments exactly, with a required reason", () => {
    expect(parseCreditForm(form({ email: "Ada@Example.com", amount: "2.5", reason: "trial" }), false)).toEqual({
      ok: true,
      value: { email: "ada@example.com", amountMicro: 2_500_000, reason: "trial" },
    });
    expect(
      parseCreditForm(form({ email: "ada@example.com", amount: "-1.25", reason: "refund error" }), true),
    ).toMatchObject({ ok: true, value: { amountMicro: -1_250_000 } });
    const bad = parseCreditForm(form({ email: "nope", amount: "-1", reason: "" }), false);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && Object.keys(bad.fieldErrors).sort()).toEqual(["amount", "email", "reason"]);
  });

  it("parses billing settings: USD credit price, margin percent to basis points, credits", () => {
    const parsed = parseBillingSettingsForm(
      form({
        billingEnabled: "on",
        paymentLink: "https://buy.stripe.com/x",
        creditPrice: "0.01",
        margin: "12.5",
        newUserGrant: "5",
        lowBalance: "1",
        webhookSecret: "whsec_abc123",
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      value: {
        billingEnabled: true,
        paymentLink: "https://buy.stripe.com/x",
        creditPriceMicroUsd: 10_000,
        profitMarginBps: 1_250,
        newUserGrantMicro: 5_000_000,
        lowBalanceWarningMicro: 1_000_000,
        webhookSecret: "whsec_abc123",
      },
    });
    // Only the fields the form holds: an admin's form has no owner-only fields, so it changes none of them.
    expect(parseBillingSettingsForm(form({ lowBalance: "2" }))).toEqual({
      ok: true,
      value: { lowBalanceWarningMicro: 2_000_000 },
    });
    // The hidden "off" before the checkbox: unchecked is off, not absent; empty fields are their zero.
    const off = new FormData();
    off.append("billingEnabled", "off");
    off.append("paymentLink", "");
    off.append("margin", "");
    off.append("clearWebhookSecret", "on");
    const value = { billingEnabled: false, paymentLink: null, profitMarginBps: 0, webhookSecret: "" };
    expect(parseBillingSettingsForm(off)).toEqual({ ok: true, value });
    const bad = parseBillingSettingsForm(
      form({ creditPrice: "0", margin: "1.234", paymentLink: "ftp://x", webhookSecret: "sk_live" }),
    );
    expect(!bad.ok && Object.keys(bad.fieldErrors).sort()).toEqual([
      "creditPrice",
      "margin",
      "paymentLink",
      "webhookSecret",
    ]);
  });
});
