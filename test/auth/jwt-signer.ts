/**
 * Test signing keys and ID tokens, signed with node:crypto directly (not jose) so tests can also forge tokens with
 * headers a library would refuse to write. The fake issuer's JWKS serves the public halves.
 */
import { constants, generateKeyPairSync, sign, type KeyObject } from "node:crypto";

export type TestAlg = "RS256" | "PS256" | "ES256" | "EdDSA";

export interface TestKey {
  kid: string;
  alg: TestAlg;
  privateKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

function keyPair(alg: TestAlg) {
  if (alg === "ES256") return generateKeyPairSync("ec", { namedCurve: "P-256" });
  if (alg === "EdDSA") return generateKeyPairSync("ed25519");
  return generateKeyPairSync("rsa", { modulusLength: 2048 });
}

export function createTestKey(alg: TestAlg, kid: string): TestKey {
  const { privateKey, publicKey } = keyPair(alg);
  return { kid, alg, privateKey, publicJwk: { ...publicKey.export({ format: "jwk" }), kid, alg, use: "sig" } };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

function signature(key: TestKey, input: Buffer): Buffer {
  switch (key.alg) {
    case "RS256":
      return sign("sha256", input, key.privateKey);
    case "PS256":
      return sign("sha256", input, { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    case "ES256":
      // JWS carries ECDSA signatures as raw r||s (RFC 7518 §3.4), which node calls "ieee-p1363".
      return sign("sha256", input, { key: key.privateKey, dsaEncoding: "ieee-p1363" });
    case "EdDSA":
      return sign(null, input, key.privateKey);
  }
}

export function signJwt(key: TestKey, claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const input = `${b64({ alg: key.alg, kid: key.kid, typ: "JWT", ...header })}.${b64(claims)}`;
  return `${input}.${signature(key, Buffer.from(input)).toString("base64url")}`;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);
