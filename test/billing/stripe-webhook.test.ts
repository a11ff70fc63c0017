/**
 * The Stripe top-up webhook through real HTTP: a good signature credits the checkout session's user once (payments
 * row, purchase entry, audit), the same event delivered again credits nothing more, a bad signature or a stale
 * (replayed) timestamp is refused with 400 and nothing credited, and a payment nobody matches is kept, uncredited.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, creditLedger, payments } from "@drizzle/schema";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { signStripePayload } from "@server/billing/stripe-signature";
import { getSecretBox } from "@server/crypto/secret-key.server";
import { updateSettings } from "@server/settings/settings.server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";
import { account, expectBooksBalanced } from "./billing-helpers";

const SECRET = "whsec_billing_test";
let hub: TempHub;
let api: ApiServer;

beforeAll(async () => {
  hub = await createTempHub();
  // The secret as an admin stores it (sealed); $0.01 a credit, so $10 buys 1,000 credits.
  await updateSettings(
    { stripeWebhookSecretSealed: getSecretBox().seal(SECRET), creditPriceMicroUsd: 10_000 },
    CLI_ACTOR,
  );
  api = await startApiServer();
});

afterAll(async () => {
  await api.close();
  await hub.cleanup();
});

function checkoutEvent(session: Record<string, unknown>, type = "checkout.session.completed") {
  return JSON.stringify({
    id: `evt_${Math.random().toString(36).slice(2)}`,
    object: "event",
    type,
    data: {
      object: { object: "checkout.session", mode: "payment", payment_status: "paid", currency: "usd", ...session },
    },
  });
}

const send = (payload: string, signature: string | null) =>
  fetch(`${api.url}/api/billing/stripe-webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(signature ? { "stripe-signature": signature } : {}) },
    body: payload,
  });

const now = () => Math.floor(Date.now() / 1000);

describe("Stripe webhook", () => {
  it("credits a paid checkout session to its client_reference_id, once per session", async () => {
    const { user } = await seedUserWithKey("buyer@example.com");
    const payload = checkoutEvent({ id: "cs_test_1", amount_total: 1_000, client_reference_id: user.id });
    const res = await send(payload, signStripePayload(payload, SECRET, now()));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true, credited: true, duplicate: false });
    expect((await account(hub, user.id)).balanceMicro).toBe(1_000_000_000);

    const [entry] = await hub.database.db.select().from(creditLedger).where(eq(creditLedger.reference, "cs_test_1"));
    expect(entry).toMatchObject({
      kind: "purchase",
      amountMicro: 1_000_000_000,
      reason: "Stripe payment of $10.00",
      userId: user.id,
    });
    const [payment] = await hub.database.db.select().from(payments).where(eq(payments.id, "cs_test_1"));
    expect(payment).toMatchObject({ provider: "stripe", status: "paid", userId: user.id, amountMicro: 1_000_000_000 });
    const audits = await hub.database.db.select().from(auditLog).where(eq(auditLog.action, "credits.purchase"));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorLabel: "stripe", targetId: user.id });

    // Stripe delivers the same event again (retries happen): acknowledged, not credited twice.
    const again = await send(payload, signStripePayload(payload, SECRET, now()));
    expect(await again.json()).toEqual({ received: true, credited: false, duplicate: true });
    // A different event for the same session (async_payment_succeeded after completed) is the same payment.
    const other = checkoutEvent(
      { id: "cs_test_1", amount_total: 1_000, client_reference_id: user.id },
      "checkout.session.async_payment_succeeded",
    );
    expect(await (await send(other, signStripePayload(other, SECRET, now()))).json()).toMatchObject({
      credited: false,
    });
    expect((await account(hub, user.id)).balanceMicro).toBe(1_000_000_000);
    expect(await expectBooksBalanced(hub, user.id)).toMatchObject({ balanceMatchesLedger: true });
  });

  it("refuses a bad signature or a replay outside the tolerance with 400, crediting nothing", async () => {
    const { user } = await seedUserWithKey("mallory@example.com");
    const payload = checkoutEvent({ id: "cs_test_bad", amount_total: 50_000, client_reference_id: user.id });
    const refusals = [
      await send(payload, signStripePayload(payload, "whsec_wrong", now())),
      await send(payload, null),
      await send(payload.replace("50000", "99999"), signStripePayload(payload, SECRET, now())),
      await send(payload, signStripePayload(payload, SECRET, now() - 600)), // captured ten minutes ago
    ];
    for (const res of refusals) {
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_signature");
    }
    expect((await account(hub, user.id)).balanceMicro).toBe(0);
    expect(await hub.database.db.select().from(payments).where(eq(payments.id, "cs_test_bad"))).toEqual([]);
  });

  it("matches by customer email when there is no reference, and keeps unmatched payments uncredited", async () => {
    const { user } = await seedUserWithKey("byemail@example.com");
    const payload = checkoutEvent({
      id: "cs_test_email",
      amount_total: 250,
      customer_details: { email: "ByEmail@Example.com" },
    });
    expect(await (await send(payload, signStripePayload(payload, SECRET, now()))).json()).toMatchObject({
      credited: true,
    });
    expect((await account(hub, user.id)).balanceMicro).toBe(250_000_000);

    const stranger = checkoutEvent({
      id: "cs_test_nobody",
      amount_total: 500,
      customer_details: { email: "nobody@example.com" },
    });
    expect(await (await send(stranger, signStripePayload(stranger, SECRET, now()))).json()).toMatchObject({
      credited: false,
      status: "unmatched",
    });
    const [kept] = await hub.database.db.select().from(payments).where(eq(payments.id, "cs_test_nobody"));
    expect(kept).toMatchObject({ status: "unmatched", userId: null });

    // Unpaid sessions (a delayed payment method) and other event types are acknowledged and ignored.
    const unpaid = checkoutEvent({
      id: "cs_test_unpaid",
      amount_total: 500,
      client_reference_id: user.id,
      payment_status: "unpaid",
    });
    expect(await (await send(unpaid, signStripePayload(unpaid, SECRET, now()))).json()).toMatchObject({
      ignored: "not paid yet",
    });
    const refund = JSON.stringify({ id: "evt_x", type: "charge.refunded", data: { object: {} } });
    expect(await (await send(refund, signStripePayload(refund, SECRET, now()))).json()).toMatchObject({
      ignored: "charge.refunded",
    });
    expect((await account(hub, user.id)).balanceMicro).toBe(250_000_000);
  });
});
