/** Test signing keys and ID tokens: the fake issuer's JWKS serves the public halves. */
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";

export interface TestKey {
  kid: string;
  alg: "RS256" | "ES256";
  privateKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

export function createTestKey(alg: "RS256" | "ES256", kid: string): TestKey {
  const { privateKey, publicKey } =
    alg === "RS256" ? generateKeyPairSync("rsa", { modulusLength: 2048 }) : generateKeyPairSync("ec", { namedCurve: "P-256" });
  return { kid, alg, privateKey, publicJwk: { ...publicKey.export({ format: "jwk" }), kid, alg, use: "sig" } };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

export function signJwt(key: TestKey, claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const input = `${b64({ alg: key.alg, kid: key.kid, typ: "JWT", ...header })}.${b64(claims)}`;
  const signature =
    key.alg === "RS256"
      ? sign("sha256", Buffer.from(input), key.privateKey)
      : sign("sha256", Buffer.from(input), { key: key.privateKey, dsaEncoding: "ieee-p1363" });
  return `${input}.${signature.toString("base64url")}`;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);
