/**
 * Google sign-in (OpenID Connect at https://accounts.google.com) against recorded Google responses: discovery,
 * the authorization URL (PKCE S256, state, nonce), the code exchange, and the ID token signed by a test RSA key the
 * fake JWKS serves. Every broken ID token is refused and audited.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { oauthAccounts } from "@drizzle/schema";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { clearDiscoveryCache } from "@server/auth/oauth/discovery.server";
import { clearJwksCache } from "@server/auth/oauth/jwks.server";
import { getSession } from "@server/auth/session.server";
import { createUser } from "@server/auth/users.server";
import { getDb } from "@server/db/client.server";
import { createTempHub, type TempHub } from "../helpers/temp-db";
import { createFakeGoogle, GOOGLE_CLIENT_ID } from "./fake-google";
import { createTestKey, nowSeconds, signJwt } from "./jwt-signer";
import { auditRows, beginFlow, callback, CLIENT_IP, HUB, sessionCookieOf } from "./oauth-harness";
import { googleToken } from "./recorded/google";

let hub: TempHub;
let google: ReturnType<typeof createFakeGoogle>;
let codes = 0;

beforeAll(async () => {
  hub = await createTempHub({ GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET: "GOCSPX-hub-test-secret" });
});
afterAll(async () => hub.cleanup());
beforeEach(() => {
  clearDiscoveryCache();
  clearJwksCache();
  google = createFakeGoogle();
});

/** Start a flow, let the fake Google see its nonce, and come back with a fresh code. */
async function signInWithGoogle() {
  const flow = await beginFlow("google", google.fetch);
  google.state.nonce = flow.authorizationUrl.searchParams.get("nonce") ?? "";
  const result = await callback(
    "google",
    google.fetch,
    { code: `4/0Ab-google-code-${++codes}`, state: flow.state },
    flow.cookie,
  );
  return { flow, ...result };
}

describe("Google", () => {
  it("builds the authorization URL from Google's discovery document, with PKCE S256, state and nonce", async () => {
    const flow = await beginFlow("google", google.fetch);
    const url = flow.authorizationUrl;
    expect(url.origin + url.pathname).toBe("https://accounts.google.com/o/oauth2/v2/auth");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: "code",
      client_id: GOOGLE_CLIENT_ID,
      redirect_uri: `${HUB}/auth/google/callback`,
      scope: "openid email profile",
      code_challenge_method: "S256",
    });
    expect(url.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get("nonce")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get("nonce")).not.toBe(flow.state);
    expect(google.sent.map((r) => r.url)).toEqual(["https://accounts.google.com/.well-known/openid-configuration"]);
  });

  it("signs in with a valid ID token: a new member, linked identity, audited with the IP; discovery and keys are cached", async () => {
    const result = await signInWithGoogle();
    expect(result.location).toBe("/usage");
    const session = await getSession(
      new Request(`${HUB}/usage`, { headers: { cookie: sessionCookieOf(result.cookies)! } }),
    );
    expect(session?.user).toMatchObject({ email: "ada@example.org", name: "Ada Lovelace", role: "member" });

    const token = google.sent.find((r) => r.url === "https://oauth2.googleapis.com/token")!;
    expect(token.headers.get("authorization")).toBe(
      `Basic ${Buffer.from(`${GOOGLE_CLIENT_ID}:GOCSPX-hub-test-secret`).toString("base64")}`,
    );
    expect(new URLSearchParams(token.body).get("code_verifier")).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const db = await getDb();
    const [account] = await db.select().from(oauthAccounts).where(eq(oauthAccounts.userId, session!.user.id));
    expect(account).toMatchObject({ provider: "google", providerUserId: "110169484474386276334", emailVerified: true });
    const [audit] = await auditRows("auth.sign_in");
    expect(audit).toMatchObject({
      actorId: session!.user.id,
      ip: CLIENT_IP,
      after: { provider: "google", method: "new_user" },
    });
    expect(JSON.stringify(audit)).not.toContain(googleToken.access_token);

    await signInWithGoogle();
    const fetched = google.sent.map((r) => r.url);
    expect(fetched.filter((u) => u.endsWith("openid-configuration"))).toHaveLength(1);
    expect(fetched.filter((u) => u.endsWith("/oauth2/v3/certs"))).toHaveLength(1);
  });

  it("accepts Google's scheme-less issuer", async () => {
    google.state.idToken = (nonce) =>
      signJwt(google.key, {
        ...google.claims(nonce),
        iss: "accounts.google.com",
        sub: "g-schemeless",
        email: "schemeless@example.org",
      });
    expect((await signInWithGoogle()).location).toBe("/usage");
  });

  const broken: Array<[string, (nonce: string) => string, string]> = [
    [
      "a wrong audience",
      (n) =>
        signJwt(google.key, { ...google.claims(n), aud: "someone-else.apps.googleusercontent.com", azp: undefined }),
      "wrong_audience",
    ],
    [
      "a wrong issuer",
      (n) => signJwt(google.key, { ...google.claims(n), iss: "https://evil.example.com" }),
      "wrong_issuer",
    ],
    [
      "an expired token",
      (n) => signJwt(google.key, { ...google.claims(n), iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 }),
      "expired",
    ],
    ["another sign-in's nonce", () => signJwt(google.key, google.claims("nonce-of-another-attempt")), "bad_nonce"],
    [
      "a signature by another key with Google's key id",
      (n) => signJwt({ ...createTestKey("RS256", google.key.kid) }, google.claims(n)),
      "bad_signature",
    ],
    [
      "alg none",
      (n) =>
        `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(JSON.stringify(google.claims(n))).toString("base64url")}.`,
      "unsupported_alg",
    ],
  ];
  for (const [what, idToken, reason] of broken) {
    it(`refuses an ID token with ${what}, and logs why`, async () => {
      google.state.idToken = idToken;
      const result = await signInWithGoogle();
      expect(result.location).toBe("/signin?error=id_token_invalid");
      expect(sessionCookieOf(result.cookies)).toBeNull();
      const [failed] = await auditRows("auth.sign_in_failed");
      expect(failed).toMatchObject({
        ip: CLIENT_IP,
        after: { provider: "google", reason: "id_token_invalid", detail: reason },
      });
    });
  }

  it("refuses a token response without an ID token", async () => {
    google.routes["POST https://oauth2.googleapis.com/token"] = () => Response.json(googleToken);
    expect((await signInWithGoogle()).location).toBe("/signin?error=id_token_invalid");
  });

  it("links a verified Google email to the existing user, and refuses an unverified one", async () => {
    const owner = await createUser({ email: "grace@example.org", name: "Grace", role: "owner" }, CLI_ACTOR);
    google.state.idToken = (n) =>
      signJwt(google.key, { ...google.claims(n), sub: "g-grace", email: "grace@example.org" });
    const linked = await signInWithGoogle();
    const session = await getSession(
      new Request(`${HUB}/usage`, { headers: { cookie: sessionCookieOf(linked.cookies)! } }),
    );
    expect(session?.user).toMatchObject({ id: owner.id, role: "owner" });

    await createUser({ email: "mallory-target@example.org", name: "Target" }, CLI_ACTOR);
    google.state.idToken = (n) =>
      signJwt(google.key, {
        ...google.claims(n),
        sub: "g-mallory",
        email: "mallory-target@example.org",
        email_verified: false,
      });
    expect((await signInWithGoogle()).location).toBe("/signin?error=email_unverified");
  });

  it("reports a Google that cannot be reached at discovery time", async () => {
    google.routes["GET https://accounts.google.com/.well-known/openid-configuration"] = () =>
      new Response("unavailable", { status: 503 });
    const flow = await beginFlow("google", google.fetch);
    expect(flow.response.headers.get("location")).toBe("/signin?error=provider_unavailable");
    const [failed] = await auditRows("auth.sign_in_failed");
    expect(failed!.after).toMatchObject({
      provider: "google",
      reason: "provider_unavailable",
      detail: "discovery: HTTP 503",
    });
  });
});
