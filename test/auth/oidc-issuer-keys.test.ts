/**
 * Sign-in through a real OpenID Connect server (oidc-provider) whose ID tokens are signed with PS256, then with
 * EdDSA after a key rotation: the hub fetches the issuer's JWKS, refetches it when a token names a key it has not
 * seen, but not more often than every 30 seconds (so forged key ids cannot make it hammer the issuer).
 */
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { finishSignIn } from "@server/auth/oauth/finish-sign-in.server";
import { startSignIn } from "@server/auth/oauth/start-sign-in.server";
import { getSession } from "@server/auth/session.server";
import { startOidcServer, type OidcServer, type SigningJwk } from "../../e2e/fixtures/oidc-server";
import { createTempHub, type TempHub } from "../helpers/temp-db";
import { authorizeAtIssuer } from "./oidc-browserless";
import { auditRows, CLIENT_IP, HUB, sessionCookieOf } from "./oauth-harness";

const CALLBACK = `${HUB}/auth/oidc/callback`;
let hub: TempHub;
let oidc: OidcServer;

function privateJwk(alg: "PS256" | "EdDSA", kid: string): SigningJwk {
  const { privateKey } =
    alg === "PS256" ? generateKeyPairSync("rsa", { modulusLength: 2048 }) : generateKeyPairSync("ed25519");
  return { ...privateKey.export({ format: "jwk" }), kid, alg, use: "sig" };
}

/** The whole round trip: the hub's redirect, the issuer's pages, the hub's callback. */
async function signIn(login: string) {
  const start = await startSignIn(
    new Request(`${HUB}/auth/oidc`, { headers: { "x-hub-client-ip": CLIENT_IP } }),
    "oidc",
    { fetch },
  );
  const authorizationUrl = new URL(start.headers.get("location") ?? "");
  const cookie = (start.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const query = await authorizeAtIssuer(authorizationUrl, login, CALLBACK);
  const request = new Request(`${CALLBACK}?${new URLSearchParams(query)}`, {
    headers: { cookie, "x-hub-client-ip": CLIENT_IP, "user-agent": "vitest" },
  });
  const response = await finishSignIn(request, "oidc", { fetch });
  return {
    location: response.headers.get("location") ?? "",
    session: sessionCookieOf(response.headers.getSetCookie()),
  };
}

const sessionOf = (cookie: string | null) =>
  getSession(new Request(`${HUB}/usage`, { headers: { cookie: cookie ?? "" } }));

beforeAll(async () => {
  oidc = await startOidcServer({ redirectUri: CALLBACK, signingKey: privateJwk("PS256", "pss-2026-1") });
  hub = await createTempHub({
    OIDC_ISSUER: oidc.issuer,
    OIDC_CLIENT_ID: oidc.clientId,
    OIDC_CLIENT_SECRET: oidc.clientSecret,
  });
});
afterAll(async () => {
  vi.useRealTimers();
  await hub?.cleanup();
  await oidc?.stop();
});

describe("an OpenID Connect issuer's signing keys", () => {
  it("accepts ID tokens signed with PS256", async () => {
    const result = await signIn("pia@example.com");
    expect(result.session).not.toBeNull();
    expect((await sessionOf(result.session))?.user.email).toBe("pia@example.com");
  });

  it("after a rotation to EdDSA, refuses the new key within 30 s of the last fetch and accepts it after", async () => {
    oidc.rotate(privateJwk("EdDSA", "ed-2026-2"));
    // Within the cool-down the hub does not refetch the key set: the unknown key id is refused, and audited.
    const refused = await signIn("eddie@example.com");
    expect(refused.session).toBeNull();
    const [row] = await auditRows("auth.sign_in_failed");
    expect(JSON.stringify(row)).toContain("unknown_key");

    // Half a minute later a token naming the unknown key makes the hub fetch the issuer's new key set.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 31_000 });
    const accepted = await signIn("eddie@example.com");
    expect(accepted.session).not.toBeNull();
    expect((await sessionOf(accepted.session))?.user.email).toBe("eddie@example.com");
  });
});
