/**
 * OAuth clients the owner configured in settings (client secret sealed): listed on the sign-in page, usable for a
 * sign-in with the opened secret, overridden by environment variables, and refused clearly when the secret cannot
 * be opened.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { listOAuthClients } from "@server/auth/oauth/provider-config.server";
import { getSignInPage } from "@server/auth/sign-in-options.server";
import { getSecretBox } from "@server/crypto/secret-key.server";
import { setEnvForProcess } from "@server/env.server";
import { createTempHub, type TempHub } from "../helpers/temp-db";
import { createFakeGitHub } from "./fake-github";
import { auditRows, beginFlow, signIn } from "./oauth-harness";
import { setSettings } from "./settings-helper";

let hub: TempHub;
let github: ReturnType<typeof createFakeGitHub>;

beforeAll(async () => {
  hub = await createTempHub();
});
afterAll(async () => hub.cleanup());
beforeEach(() => {
  github = createFakeGitHub();
});

describe("clients configured in settings", () => {
  it("says nothing is configured when nothing is", async () => {
    await setSettings({ oauthClients: [] });
    expect(await getSignInPage()).toMatchObject({ options: [], callbackBase: "http://localhost:3999/auth" });
  });

  it("lists them on the sign-in page and signs in with the sealed secret", async () => {
    await setSettings({
      oauthClients: [
        {
          id: "oidc",
          clientId: "hub",
          sealedClientSecret: getSecretBox().seal("x"),
          issuer: "https://sso.example.com",
          name: "Acme SSO",
        },
        {
          id: "github",
          clientId: "Iv1.fromsettings",
          sealedClientSecret: getSecretBox().seal("settings-secret"),
          issuer: null,
          name: null,
        },
      ],
    });
    expect((await getSignInPage()).options).toEqual([
      { id: "github", label: "Continue with GitHub" },
      { id: "oidc", label: "Continue with Acme SSO" },
    ]);
    const result = await signIn("github", github.fetch, "settings-code");
    expect(result.location).toBe("/usage");
    expect(result.flow.authorizationUrl.searchParams.get("client_id")).toBe("Iv1.fromsettings");
    expect(github.sent[0]!.headers.get("authorization")).toBe(
      `Basic ${Buffer.from("Iv1.fromsettings:settings-secret").toString("base64")}`,
    );
  });

  it("lets environment variables take precedence", async () => {
    setEnvForProcess({ ...hub.env, GITHUB_CLIENT_ID: "Iv1.fromenv", GITHUB_CLIENT_SECRET: "env-secret" });
    try {
      const github = (await listOAuthClients()).find((c) => c.id === "github")!;
      expect(github).toMatchObject({ clientId: "Iv1.fromenv", source: "env" });
    } finally {
      setEnvForProcess(hub.env);
    }
  });

  it("refuses clearly when the sealed secret cannot be opened (the hub's key changed)", async () => {
    await setSettings({
      oauthClients: [
        { id: "github", clientId: "Iv1.broken", sealedClientSecret: "v1.AAAA.BBBB.CCCC", issuer: null, name: null },
      ],
    });
    const flow = await beginFlow("github", github.fetch);
    expect(flow.response.headers.get("location")).toBe("/signin?error=provider_misconfigured");
    expect((await auditRows("auth.sign_in_failed"))[0]!.after).toMatchObject({
      provider: "github",
      reason: "provider_misconfigured",
    });
  });
});
