import { describe, expect, it } from "vitest";
import { signStripePayload, verifyStripeSignature } from "./stripe-signature";

const secret = "whsec_test_secret";
const payload = JSON.stringify({ id: "evt_1", type: "checkout.session.completed" });
const now = 1_800_000_000;

describe("Stripe webhook signatures", () => {
  it("accepts Stripe's scheme: t=<seconds>,v1=<hex HMAC-SHA256 of t.payload>", () => {
    expect(verifyStripeSignature(payload, signStripePayload(payload, secret, now), secret, now)).toEqual({
      ok: true,
      timestamp: now,
    });
    // Known vector, computed independently: printf '1800000000.{}' | openssl dgst -sha256 -hmac whsec_test_secret
    expect(signStripePayload("{}", secret, now)).toBe(
      `t=${now},v1=c54fd4ffd4dd216571ba5d99b08a3cf927757e386c311b181f85788c2178e368`,
    );
  });

  it("accepts any v1 when several are sent (secret rotation) and ignores v0", () => {
    const good = signStripePayload(payload, secret, now).split(",")[1]!;
    const header = `t=${now},v0=${"0".repeat(64)},v1=${"f".repeat(64)},${good}`;
    expect(verifyStripeSignature(payload, header, secret, now).ok).toBe(true);
  });

  it("refuses a wrong secret, a changed body, a missing or malformed header", () => {
    const header = signStripePayload(payload, secret, now);
    expect(verifyStripeSignature(payload, header, "whsec_other", now)).toEqual({
      ok: false,
      reason: "signature does not match",
    });
    expect(verifyStripeSignature(payload.replace("evt_1", "evt_2"), header, secret, now).ok).toBe(false);
    expect(verifyStripeSignature(payload, null, secret, now)).toEqual({
      ok: false,
      reason: "missing Stripe-Signature header",
    });
    expect(verifyStripeSignature(payload, "v1=abc", secret, now).ok).toBe(false);
    expect(verifyStripeSignature(payload, `t=${now}`, secret, now)).toEqual({
      ok: false,
      reason: "no v1 signature in Stripe-Signature",
    });
  });

  it("refuses a replay outside the timestamp tolerance (default 5 minutes)", () => {
    const header = signStripePayload(payload, secret, now - 301);
    expect(verifyStripeSignature(payload, header, secret, now)).toEqual({
      ok: false,
      reason: "timestamp outside the tolerance",
    });
    expect(verifyStripeSignature(payload, signStripePayload(payload, secret, now - 299), secret, now).ok).toBe(true);
    expect(verifyStripeSignature(payload, header, secret, now, 600).ok).toBe(true);
  });
});
