import { createLocalJWKSet } from "jose";
import { describe, expect, it } from "vitest";
import { createTestKey, signJwt } from "../../../test/auth/jwt-signer";
import { IdTokenError, verifyIdToken } from "./id-token";

const rsa = createTestKey("RS256", "rsa-1");
const ec = createTestKey("ES256", "ec-1");
const pss = createTestKey("PS256", "pss-1");
const ed = createTestKey("EdDSA", "ed-1");
const keys = createLocalJWKSet({ keys: [rsa, ec, pss, ed].map((k) => k.publicJwk) });
const now = 1_800_000_000;
const claims = { iss: "https://id.example.com", aud: "hub", sub: "u1", nonce: "n1", iat: now, exp: now + 300 };
const expected = { issuers: ["https://id.example.com"], clientId: "hub", nonce: "n1", now };

async function reason(token: string, overrides: Partial<typeof expected> = {}): Promise<string> {
  try {
    await verifyIdToken(token, { ...expected, ...overrides }, keys);
    return "accepted";
  } catch (error) {
    return error instanceof IdTokenError ? error.reason : String(error);
  }
}

describe("verifyIdToken", () => {
  it("accepts RS256, PS256, ES256 and EdDSA tokens that pass every check", async () => {
    expect((await verifyIdToken(signJwt(rsa, claims), expected, keys)).sub).toBe("u1");
    expect((await verifyIdToken(signJwt(ec, { ...claims, email: "a@b.c" }), expected, keys)).email).toBe("a@b.c");
    expect((await verifyIdToken(signJwt(pss, { ...claims, sub: "u-pss" }), expected, keys)).sub).toBe("u-pss");
    expect((await verifyIdToken(signJwt(ed, { ...claims, sub: "u-ed" }), expected, keys)).sub).toBe("u-ed");
  });

  it("refuses wrong audience, wrong issuer, expiry, a future token and a wrong or missing nonce", async () => {
    expect(await reason(signJwt(rsa, { ...claims, aud: "other" }))).toBe("wrong_audience");
    expect(await reason(signJwt(rsa, { ...claims, aud: ["hub", "other"] }))).toBe("wrong_audience"); // several audiences need azp
    expect(await reason(signJwt(rsa, { ...claims, aud: ["hub", "other"], azp: "hub" }))).toBe("accepted");
    expect(await reason(signJwt(rsa, { ...claims, azp: "other" }))).toBe("wrong_audience");
    expect(await reason(signJwt(rsa, { ...claims, iss: "https://id.example.com/" }))).toBe("wrong_issuer");
    expect(await reason(signJwt(rsa, { ...claims, exp: now - 61 }))).toBe("expired");
    expect(await reason(signJwt(rsa, { ...claims, exp: now - 30 }))).toBe("accepted"); // a minute of clock skew
    expect(await reason(signJwt(rsa, { ...claims, iat: now + 600 }))).toBe("not_yet_valid");
    expect(await reason(signJwt(rsa, { ...claims, nbf: now + 600 }))).toBe("not_yet_valid");
    expect(await reason(signJwt(rsa, { ...claims, nonce: "n2" }))).toBe("bad_nonce");
    expect(await reason(signJwt(rsa, { ...claims, nonce: undefined }))).toBe("bad_nonce");
    expect(await reason(signJwt(rsa, { ...claims, sub: undefined }))).toBe("malformed");
  });

  it("refuses a bad signature, a key of the wrong type, unknown keys and algorithms that are not asymmetric", async () => {
    const forged = signJwt(createTestKey("RS256", "rsa-1"), claims);
    expect(await reason(forged)).toBe("bad_signature");
    const [h, p] = signJwt(rsa, claims).split(".");
    expect(await reason(`${h}.${p}.${signJwt(rsa, { ...claims, sub: "u2" }).split(".")[2]}`)).toBe("bad_signature");
    // A PS256 signature presented as RS256 with the same key: the padding is part of the algorithm.
    expect(await reason(signJwt(pss, claims, { alg: "RS256", kid: "rsa-1" }))).toBe("bad_signature");
    // An ES256 header pointing at the RSA key: no key of the header's type has that id.
    expect(await reason(signJwt({ ...ec, kid: "rsa-1" }, claims))).toBe("unknown_key");
    expect(await reason(signJwt(createTestKey("RS256", "rsa-unknown"), claims))).toBe("unknown_key");
    const body = Buffer.from(JSON.stringify(claims)).toString("base64url");
    for (const alg of ["none", "HS256"]) {
      expect(
        await reason(`${Buffer.from(JSON.stringify({ alg, kid: "rsa-1" })).toString("base64url")}.${body}.c2ln`),
        alg,
      ).toBe("unsupported_alg");
    }
    expect(await reason("not-a-jwt")).toBe("malformed");
    expect(await reason("e30.e30")).toBe("malformed");
  });
});
