/**
 * POST /api/billing/stripe-webhook: credit top-ups from Stripe Checkout (a Payment Link makes Checkout sessions).
 * The signature is checked on the raw body first (400 and nothing credited when it is bad or stale); then
 * `checkout.session.completed` (paid) and `checkout.session.async_payment_succeeded` credit the session's
 * `client_reference_id` (the user id the Billing page and the 402 link put there) or else its customer email, with
 * amount_total (USD cents) converted at the base credit price. Credited once per session id, however often Stripe
 * delivers the event: the payments row and the ledger's unique purchase reference are written in the same batch.
 * A payment nobody matches is stored with status "unmatched" for an admin to see, and acknowledged.
 */
import { eq } from "drizzle-orm";
import { payments, users } from "../../drizzle/schema";
import type { Actor } from "../audit/audit.server";
import { getSecretBox } from "../crypto/secret-key.server";
import { getDb } from "../db/client.server";
import { getEnv } from "../env.server";
import { errorResponse, HubError } from "../errors";
import { rawBodyOf } from "../http/raw-body";
import { log } from "../log.server";
import { getSettings } from "../settings/settings.server";
import { applyCredit } from "./ledger.server";
import { usdToMicroCredits } from "./price-book";
import { centsToMicroUsd, verifyStripeSignature } from "./stripe-signature";

const STRIPE_ACTOR: Actor = { id: null, label: "stripe" };
const CREDITING_EVENTS = new Set(["checkout.session.completed", "checkout.session.async_payment_succeeded"]);

interface CheckoutSession {
  id?: unknown;
  amount_total?: unknown;
  currency?: unknown;
  client_reference_id?: unknown;
  customer_email?: unknown;
  customer_details?: { email?: unknown } | null;
  payment_status?: unknown;
}

async function webhookSecret(): Promise<string | null> {
  const fromEnv = getEnv().STRIPE_WEBHOOK_SECRET;
  if (fromEnv) return fromEnv;
  const sealed = (await getSettings()).stripeWebhookSecretSealed;
  return sealed ? getSecretBox().open(sealed) : null;
}

async function findUser(session: CheckoutSession): Promise<{ id: string; email: string } | null> {
  const db = await getDb();
  const columns = { id: users.id, email: users.email };
  if (typeof session.client_reference_id === "string" && session.client_reference_id) {
    const [byId] = await db.select(columns).from(users).where(eq(users.id, session.client_reference_id));
    if (byId) return byId;
  }
  const email = session.customer_details?.email ?? session.customer_email;
  if (typeof email !== "string" || !email) return null;
  const [byEmail] = await db.select(columns).from(users).where(eq(users.email, email.trim().toLowerCase()));
  return byEmail ?? null;
}

const ok = (body: Record<string, unknown>) => Response.json({ received: true, ...body });

export async function handleStripeWebhook(request: Request): Promise<Response> {
  try {
    const payload = rawBodyOf(request)?.toString("utf8") ?? (await request.text());
    const secret = await webhookSecret();
    if (!secret)
      throw new HubError(
        "unavailable",
        "Stripe top-ups are not configured: set STRIPE_WEBHOOK_SECRET or the webhook secret in Admin → Billing.",
      );
    const check = verifyStripeSignature(
      payload,
      request.headers.get("stripe-signature"),
      secret,
      Math.floor(Date.now() / 1000),
    );
    if (!check.ok) {
      log.warn("stripe webhook refused", { reason: check.reason });
      throw new HubError("invalid_input", `Invalid Stripe signature: ${check.reason}.`, null, {
        code: "invalid_signature",
      });
    }
    let event: { id?: unknown; type?: unknown; data?: { object?: CheckoutSession } };
    try {
      event = JSON.parse(payload) as typeof event;
    } catch {
      throw new HubError("invalid_json", "The webhook body is not JSON.");
    }
    if (typeof event.type !== "string" || !CREDITING_EVENTS.has(event.type))
      return ok({ ignored: event.type ?? "unknown" });
    const session = event.data?.object ?? {};
    if (typeof session.id !== "string" || !session.id)
      throw new HubError("invalid_input", "The checkout session has no id.");
    // Paid by a delayed method (bank debit): credit on async_payment_succeeded instead.
    if (event.type === "checkout.session.completed" && session.payment_status !== "paid")
      return ok({ ignored: "not paid yet" });
    return ok(await creditSession(session as CheckoutSession & { id: string }, String(event.id ?? "")));
  } catch (error) {
    return errorResponse(error);
  }
}

async function creditSession(
  session: CheckoutSession & { id: string },
  eventId: string,
): Promise<Record<string, unknown>> {
  const cents = typeof session.amount_total === "number" ? session.amount_total : 0;
  const currency = typeof session.currency === "string" ? session.currency.toLowerCase() : "";
  const user = await findUser(session);
  const raw = {
    event: eventId,
    amount_total: cents,
    currency,
    client_reference_id: session.client_reference_id ?? null,
    email: session.customer_details?.email ?? session.customer_email ?? null,
  };
  if (!user || currency !== "usd" || cents <= 0) {
    // Nothing to credit automatically; keep the payment so an admin can see it and grant by hand.
    const status = !user ? "unmatched" : currency !== "usd" ? "unsupported_currency" : "zero_amount";
    const db = await getDb();
    await db
      .insert(payments)
      .values({ id: session.id, userId: user?.id ?? null, provider: "stripe", amountMicro: 0, status, raw })
      .onConflictDoNothing();
    log.warn("stripe payment not credited", { session: session.id, status });
    return { credited: false, status };
  }
  const { creditPriceMicroUsd } = await getSettings();
  const amountMicro = usdToMicroCredits(centsToMicroUsd(cents), creditPriceMicroUsd);
  const { applied, balanceMicro } = await applyCredit({
    userId: user.id,
    kind: "purchase",
    amountMicro,
    reason: `Stripe payment of $${(cents / 100).toFixed(2)}`,
    reference: session.id,
    actor: STRIPE_ACTOR,
    payment: { id: session.id, provider: "stripe", status: "paid", raw },
    audit: {
      action: "credits.purchase",
      targetType: "user",
      targetId: user.id,
      after: { amountMicro, payment: session.id, cents },
    },
  });
  if (applied) log.info("stripe payment credited", { session: session.id, user: user.id, amountMicro, balanceMicro });
  return { credited: applied, duplicate: !applied };
}
