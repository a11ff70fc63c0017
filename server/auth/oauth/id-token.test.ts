import { createPublicKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createTestKey, signJwt } from "../../../test/auth/jwt-signer";
import { IdTokenError, verifyIdToken, type JwtHeader } from "./id-token";

const rsa = createTestKey("RS256", "rsa-1");
const ec = createTestKey("ES256", "ec-1");
const keys = [rsa, ec];
const resolve = async (header: JwtHeader) => {
  const key = keys.find((k) => k.kid === header.kid);
  return key ? createPublicKey({ key: key.publicJwk as never, format: "jwk" }) : null;
};
const now = 1_800_000_000;
const claims = { iss: "https://id.example.com", aud: "hub", sub: "u1", nonce: "n1", iat: now, exp: now + 300 };
const expected = { issuers: ["https://id.example.com"], clientId: "hub", nonce: "n1", now };

async function reason(token: string, overrides: Partial<typeof expected> = {}): Promise<string> {
  try {
    await verifyIdToken(token, { ...expected, ...overrides }, resolve);
    return "accepted";
  } catch (error) {
    return error instanceof IdTokenError ? error.reason : String(error);
  }
}

describe("verifyIdToken", () => {
  it("accepts RS256 and ES256 tokens that pass every check", async () => {
    expect((await verifyIdToken(signJwt(rsa, claims), expected, resolve)).sub).toBe("u1");
    expect((await verifyIdToken(signJwt(ec, { ...claims, email: "a@b.c" }), expected, resolve)).email).toBe("a@b.c");
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
    expect(await reason(signJwt(rsa, { ...claims, nonce: "n2" }))).toBe("bad_nonce");
    expect(await reason(signJwt(rsa, { ...claims, nonce: undefined }))).toBe("bad_nonce");
  });

  it("refuses a bad signature, a key of the wrong type, unknown keys and algorithms outside RS256/ES256", async () => {
    const forged = signJwt(createTestKey("RS256", "rsa-1"), claims);
    expect(await reason(forged)).toBe("bad_signature");
    const [h, p] = signJwt(rsa, claims).split(".");
    expect(await reason(`${h}.${p}.${signJwt(rsa, { ...claims, sub: "u2" }).split(".")[2]}`)).toBe("bad_signature");
    // An ES256 header pointing at the RSA key: the key type must match the algorithm.
    expect(await reason(signJwt({ ...ec, kid: "rsa-1" }, claims))).toBe("bad_signature");
    expect(await reason(signJwt(createTestKey("RS256", "rsa-unknown"), claims))).toBe("unknown_key");
    const body = Buffer.from(JSON.stringify(claims)).toString("base64url");
    for (const alg of ["none", "HS256", "RS512"]) {
      expect(await reason(`${Buffer.from(JSON.stringify({ alg, kid: "rsa-1" })).toString("base64url")}.${body}.c2ln`), alg).toBe("unsupported_alg");
    }
    expect(await reason("not-a-jwt")).toBe("malformed");
    expect(await reason("e30.e30")).toBe("malformed");
  });
});
