/**
 * GitHub sign-in against recorded GitHub responses: the authorization URL (PKCE S256, state), the code exchange,
 * the profile and verified-email look-ups, and every refusal (state, replay, tampering, unverified email,
 * disabled user), each audited with the client's IP.
 */
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { creditLedger, oauthAccounts, users } from "@drizzle/schema";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { getBalanceMicro } from "@server/billing/credits.server";
import { getSecretBox } from "@server/crypto/secret-key.server";
import { getDb } from "@server/db/client.server";
import { getSession } from "@server/auth/session.server";
import { createUser } from "@server/auth/users.server";
import { setEnvForProcess } from "@server/env.server";
import { createTempHub, type TempHub } from "../helpers/temp-db";
import { createFakeGitHub } from "./fake-github";
import { auditRows, beginFlow, callback, CLIENT_IP, HUB, sessionCookieOf, signIn } from "./oauth-harness";
import { githubToken } from "./recorded/github";
import { setSettings } from "./settings-helper";

let hub: TempHub;
let github: ReturnType<typeof createFakeGitHub>;
let codes = 0;
const nextCode = () => `code-${++codes}`;

beforeAll(async () => {
  hub = await createTempHub({ GITHUB_CLIENT_ID: "Iv1.hubtestclient", GITHUB_CLIENT_SECRET: "github-test-secret" });
});
afterAll(async () => hub.cleanup());
beforeEach(() => {
  github = createFakeGitHub();
});

const sessionOf = (cookies: string[]) =>
  getSession(new Request(`${HUB}/usage`, { headers: { cookie: sessionCookieOf(cookies) ?? "" } }));

describe("GitHub authorization URL", () => {
  it("sends the client id, redirect URI, scopes, state and an S256 PKCE challenge, and keeps the flow in a sealed HttpOnly cookie", async () => {
    const flow = await beginFlow("github", github.fetch, "/keys");
    expect(flow.response.status).toBe(302);
    const url = flow.authorizationUrl;
    expect(url.origin + url.pathname).toBe("https://github.com/login/oauth/authorize");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: "code",
      client_id: "Iv1.hubtestclient",
      redirect_uri: `${HUB}/auth/github/callback`,
      scope: "read:user user:email",
      code_challenge_method: "S256",
    });
    expect(flow.state).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // The cookie is sealed: nothing readable in it, but the hub opens it to the verifier behind the challenge.
    expect(flow.cookie).not.toContain(flow.state);
    const sealed = flow.cookie.slice("hub_oauth_flow=".length);
    const stored = JSON.parse(getSecretBox().open(sealed)) as { codeVerifier: string; next: string; state: string };
    expect(stored.state).toBe(flow.state);
    expect(stored.next).toBe("/keys");
    expect(url.searchParams.get("code_challenge")).toBe(
      createHash("sha256").update(stored.codeVerifier).digest("base64url"),
    );

    expect(flow.setCookie).toMatch(/; Path=\/auth; HttpOnly; SameSite=Lax; Max-Age=600$/); // no Secure on http
    expect(github.sent).toHaveLength(0); // nothing is fetched before the person comes back
  });

  it("refuses a next path on another site", async () => {
    for (const next of ["//evil.example/x", "https://evil.example/", "/\\evil.example"]) {
      const flow = await beginFlow("github", github.fetch, next);
      const stored = JSON.parse(getSecretBox().open(flow.cookie.slice("hub_oauth_flow=".length))) as { next: string };
      expect(stored.next, next).toBe("/usage");
    }
  });

  it("marks the flow cookie Secure when the hub is served over https", async () => {
    setEnvForProcess({ ...hub.env, PUBLIC_URL: "https://hub.example.com" });
    try {
      const flow = await beginFlow("github", github.fetch);
      expect(flow.setCookie).toContain("; Secure");
      expect(flow.authorizationUrl.searchParams.get("redirect_uri")).toBe(
        "https://hub.example.com/auth/github/callback",
      );
    } finally {
      setEnvForProcess(hub.env);
    }
  });

  it("sends an unknown provider back to the sign-in page", async () => {
    const flow = await beginFlow("gitlab", github.fetch);
    expect(flow.response.headers.get("location")).toBe("/signin?error=provider_not_configured");
  });
});

describe("GitHub sign-in", () => {
  it("exchanges the code, reads the primary verified email, creates a member with the welcome credit, and starts a session", async () => {
    await setSettings({ newUserGrantMicro: 5_000_000 });
    github.as("new.person@example.com", true, "New Person");
    const flow = await beginFlow("github", github.fetch, "/keys");
    const result = await callback("github", github.fetch, { code: "code-first", state: flow.state }, flow.cookie);

    expect(result.response.status).toBe(302);
    expect(result.location).toBe("/keys");
    expect(result.cookies.some((c) => c.startsWith("hub_oauth_flow=;") && c.includes("Max-Age=0"))).toBe(true);
    const session = await sessionOf(result.cookies);
    expect(session?.user).toMatchObject({ email: "new.person@example.com", name: "New Person", role: "member" });
    expect(result.cookies.find((c) => c.startsWith("hub_session="))).toMatch(/HttpOnly/);

    // What went to GitHub: the code, the PKCE verifier, the redirect URI, and the client credentials as Basic.
    const [token, user, emails] = github.sent;
    expect(token!.url).toBe("https://github.com/login/oauth/access_token");
    const body = new URLSearchParams(token!.body);
    const verifier = JSON.parse(getSecretBox().open(flow.cookie.slice("hub_oauth_flow=".length)))
      .codeVerifier as string;
    expect(Object.fromEntries(body)).toEqual({
      grant_type: "authorization_code",
      code: "code-first",
      redirect_uri: `${HUB}/auth/github/callback`,
      code_verifier: verifier,
    });
    expect(token!.headers.get("authorization")).toBe(
      `Basic ${Buffer.from("Iv1.hubtestclient:github-test-secret").toString("base64")}`,
    );
    expect(token!.headers.get("accept")).toBe("application/json");
    expect(user!.url).toBe("https://api.github.com/user");
    expect(emails!.url).toBe("https://api.github.com/user/emails");
    expect(user!.headers.get("authorization")).toBe(`Bearer ${githubToken.access_token}`);

    const db = await getDb();
    const [account] = await db.select().from(oauthAccounts).where(eq(oauthAccounts.userId, session!.user.id));
    expect(account).toMatchObject({ provider: "github", email: "new.person@example.com", emailVerified: true });
    expect(await getBalanceMicro(session!.user.id)).toBe(5_000_000);

    const [audit] = await auditRows("auth.sign_in");
    expect(audit).toMatchObject({
      actorId: session!.user.id,
      actorLabel: "new.person@example.com",
      ip: CLIENT_IP,
      targetId: session!.user.id,
    });
    expect(audit!.after).toMatchObject({ provider: "github", method: "new_user", grantedMicro: 5_000_000 });
    expect(JSON.stringify(await auditRows("auth.sign_in"))).not.toContain(githubToken.access_token);

    // The same GitHub identity again, in the same browser: the same user, a new session id while the old session
    // ends (rotation), and no second welcome credit.
    const next = await beginFlow("github", github.fetch);
    const again = await callback(
      "github",
      github.fetch,
      { code: nextCode(), state: next.state },
      `${next.cookie}; ${sessionCookieOf(result.cookies)}`,
    );
    const second = await sessionOf(again.cookies);
    expect(second?.user.id).toBe(session!.user.id);
    expect(second?.session.id).not.toBe(session!.session.id);
    expect(await sessionOf(result.cookies)).toBeNull();
    expect((await auditRows("auth.sign_in"))[0]!.after).toMatchObject({ method: "identity" });
    const grants = await db.select().from(creditLedger).where(eq(creditLedger.userId, session!.user.id));
    expect(grants).toHaveLength(1);
    await setSettings({ newUserGrantMicro: 0 });
  });

  it("links a verified email to the existing user with that email", async () => {
    const existing = await createUser({ email: "linked@example.com", name: "Linked", role: "admin" }, CLI_ACTOR);
    github.as("Linked@Example.com");
    const result = await signIn("github", github.fetch, nextCode());
    const session = await sessionOf(result.cookies);
    expect(session?.user).toMatchObject({ id: existing.id, role: "admin" });
    expect((await auditRows("auth.sign_in"))[0]!.after).toMatchObject({ method: "verified_email" });
  });

  it("does not link, or create an account for, an unverified email", async () => {
    const existing = await createUser({ email: "victim@example.com", name: "Victim" }, CLI_ACTOR);
    github.as("victim@example.com", false);
    const result = await signIn("github", github.fetch, nextCode());
    expect(result.location).toBe("/signin?error=email_unverified");
    expect(sessionCookieOf(result.cookies)).toBeNull();
    const db = await getDb();
    expect(await db.select().from(oauthAccounts).where(eq(oauthAccounts.userId, existing.id))).toHaveLength(0);

    github.as("nobody-yet@example.com", false);
    expect((await signIn("github", github.fetch, nextCode())).location).toBe("/signin?error=email_unverified");
    expect(await db.select().from(users).where(eq(users.email, "nobody-yet@example.com"))).toHaveLength(0);
    const [failed] = await auditRows("auth.sign_in_failed");
    expect(failed).toMatchObject({ actorLabel: "nobody-yet@example.com", ip: CLIENT_IP });
    expect(failed!.after).toMatchObject({ provider: "github", reason: "email_unverified" });
  });

  it("refuses a disabled user, writes nothing for them, and logs the attempt against them", async () => {
    const user = await createUser({ email: "disabled@example.com", name: "Off" }, CLI_ACTOR);
    const db = await getDb();
    await db.update(users).set({ status: "disabled" }).where(eq(users.id, user.id));
    github.as("disabled@example.com");
    const result = await signIn("github", github.fetch, nextCode());
    expect(result.location).toBe("/signin?error=account_disabled");
    expect(sessionCookieOf(result.cookies)).toBeNull();
    expect(await db.select().from(oauthAccounts).where(eq(oauthAccounts.userId, user.id))).toHaveLength(0);
    const [failed] = await auditRows("auth.sign_in_failed");
    expect(failed).toMatchObject({ actorId: user.id, targetId: user.id, ip: CLIENT_IP });
    expect(failed!.after).toMatchObject({ reason: "account_disabled" });
  });
});

describe("refused callbacks", () => {
  const lastFailure = async () => (await auditRows("auth.sign_in_failed"))[0]!;

  it("refuses a state that differs from the flow cookie's", async () => {
    const flow = await beginFlow("github", github.fetch);
    const result = await callback("github", github.fetch, { code: nextCode(), state: "attacker-state" }, flow.cookie);
    expect(result.location).toBe("/signin?error=state_mismatch");
    expect(github.sent).toHaveLength(0); // the code is never redeemed
    expect(await lastFailure()).toMatchObject({
      ip: CLIENT_IP,
      after: { reason: "state_mismatch", provider: "github" },
    });
  });

  it("refuses the second use of the same flow cookie (replay)", async () => {
    github.as("replay@example.com");
    const flow = await beginFlow("github", github.fetch);
    const first = await callback("github", github.fetch, { code: "code-replay", state: flow.state }, flow.cookie);
    expect(first.location).toBe("/usage");
    const replay = await callback("github", github.fetch, { code: "code-replay", state: flow.state }, flow.cookie);
    expect(replay.location).toBe("/signin?error=flow_reused");
    expect(sessionCookieOf(replay.cookies)).toBeNull();
    expect(await lastFailure()).toMatchObject({ ip: CLIENT_IP, after: { reason: "flow_reused" } });
  });

  it("refuses a code the provider already redeemed", async () => {
    github.as("used-code@example.com");
    await signIn("github", github.fetch, "code-once");
    const result = await signIn("github", github.fetch, "code-once"); // a new flow, the same code
    expect(result.location).toBe("/signin?error=code_rejected");
    expect(await lastFailure()).toMatchObject({
      after: { reason: "code_rejected", detail: "token endpoint: bad_verification_code" },
    });
  });

  it("refuses a tampered, a missing and an expired flow cookie", async () => {
    const flow = await beginFlow("github", github.fetch);
    const value = flow.cookie.slice("hub_oauth_flow=".length);
    const flipped = value.slice(0, -2) + (value.at(-2) === "A" ? "B" : "A") + value.at(-1);
    const tampered = await callback(
      "github",
      github.fetch,
      { code: nextCode(), state: flow.state },
      `hub_oauth_flow=${flipped}`,
    );
    expect(tampered.location).toBe("/signin?error=flow_tampered");
    expect(await lastFailure()).toMatchObject({ after: { reason: "flow_tampered" } });

    const missing = await callback("github", github.fetch, { code: nextCode(), state: flow.state }, null);
    expect(missing.location).toBe("/signin?error=flow_missing");

    const later = () => Date.now() + 11 * 60 * 1000;
    const expired = await callback("github", github.fetch, { code: nextCode(), state: flow.state }, flow.cookie, later);
    expect(expired.location).toBe("/signin?error=flow_missing");
    expect(await lastFailure()).toMatchObject({ after: { reason: "flow_missing", detail: "the flow cookie expired" } });
    expect(github.sent).toHaveLength(0);
  });

  it("explains a sign-in the person cancelled at GitHub", async () => {
    const flow = await beginFlow("github", github.fetch);
    const result = await callback("github", github.fetch, { error: "access_denied", state: flow.state }, flow.cookie);
    expect(result.location).toBe("/signin?error=provider_denied");
  });

  it("reports an unreachable GitHub without leaking anything", async () => {
    const down = async () => {
      throw new TypeError("fetch failed");
    };
    const flow = await beginFlow("github", down);
    const result = await callback("github", down, { code: nextCode(), state: flow.state }, flow.cookie);
    expect(result.location).toBe("/signin?error=provider_unavailable");
  });
});
