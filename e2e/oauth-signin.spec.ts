/**
 * Sign-in through a real OpenID Connect server (oidc-provider on 127.0.0.1) in Chromium, against the production
 * server: a new person becomes a member, the owner's email links to the owner, "Sign out everywhere" ends the
 * sessions of another browser, and refused attempts (forged or stale callbacks, a cross-site post) get a clear
 * answer and an audit row.
 */
import type { Browser, Page } from "@playwright/test";
import OpenAI from "openai";
import { startOidcServer, type OidcServer } from "./fixtures/oidc-server";
import { waitForHydration } from "./fixtures/pages";
import { test as base, expect, signInWithSetupLink, type Hub } from "./fixtures/test";

const OWNER_EMAIL = "owner@example.com";
let hub: Hub;
let oidc: OidcServer;

/** The issuer's redirect URI names the hub's address, known before the hub starts; the hub's environment names the issuer. */
const test = base.extend<object, { oidc: OidcServer }>({
  oidc: [
    async ({ hubUrl }, use) => {
      const server = await startOidcServer({ redirectUri: `${hubUrl}/auth/oidc/callback` });
      await use(server);
      await server.stop();
    },
    { scope: "worker" },
  ],
  hubSetup: [
    async ({ oidc }, use) =>
      use({
        env: {
          OIDC_ISSUER: oidc.issuer,
          OIDC_CLIENT_ID: oidc.clientId,
          OIDC_CLIENT_SECRET: oidc.clientSecret,
          OIDC_NAME: "Acme SSO",
        },
      }),
    { scope: "worker" },
  ],
});

test.beforeAll(async ({ browser, hub: started, oidc: issuer }) => {
  hub = started;
  oidc = issuer;
  // The owner is created through the setup link first, in a browser of its own.
  const context = await browser.newContext();
  await signInWithSetupLink(await context.newPage(), hub, { name: "Olive Owner", email: OWNER_EMAIL });
  await context.close();
});

/** From the hub's sign-in page through the issuer's login and consent pages, back to the hub. */
async function signInWithSso(page: Page, login: string) {
  await page.goto(hub.url + "/signin");
  await page.getByRole("link", { name: "Continue with Acme SSO" }).click();
  await expect(page).toHaveURL(new RegExp(`^${oidc.issuer}/interaction/`));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click(); // consent
  await expect(page).toHaveURL(`${hub.url}/usage`);
}

async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

async function audit(action: string): Promise<Array<Record<string, unknown>>> {
  const rows = await hub.db.execute({
    sql: "select actor_label, ip, after from audit_log where action = ? order by created_at desc",
    args: [action],
  });
  return rows.rows.map((r) => ({ actor: r.actor_label, ip: r.ip, after: JSON.parse(String(r.after ?? "null")) }));
}

test("the sign-in page offers the OpenID Connect issuer by its configured name", async ({ page }) => {
  await page.goto(hub.url + "/signin");
  await expect(page.getByRole("heading", { name: "Sign in to AI Hub" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Continue with Acme SSO" })).toHaveAttribute("href", "/auth/oidc");
  await expect(page.getByText("No sign-in method is configured.")).toHaveCount(0);
  await page.screenshot({ path: "test-results/oauth-signin-page.png", fullPage: true });
});

test("a new person signs in through the issuer and lands on the app as a member", async ({ browser }) => {
  const page = await newPage(browser);
  await signInWithSso(page, "marie");
  await expect(page.getByRole("heading", { name: "Usage" })).toBeVisible();
  await expect(page.getByText("marie@example.com · member")).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" })).toHaveCount(0);
  const [signIn] = await audit("auth.sign_in");
  expect(signIn).toMatchObject({
    actor: "marie@example.com",
    ip: "127.0.0.1",
    after: { provider: "oidc", method: "new_user" },
  });
  await page.context().close();
});

test("the owner's verified email links the issuer's identity to the owner", async ({ browser }) => {
  const page = await newPage(browser);
  await signInWithSso(page, OWNER_EMAIL);
  await expect(page.getByText(`${OWNER_EMAIL} · owner`)).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" })).toBeVisible();
  expect((await audit("auth.sign_in"))[0]).toMatchObject({ actor: OWNER_EMAIL, after: { method: "verified_email" } });
  await page.context().close();
});

test("a member signed in through the issuer makes a key, calls the API with it, revokes it, and is refused", async ({
  browser,
}) => {
  // The mock provider, added with the operator CLI on the same data directory (the gateway loads it on first use).
  hub.cli(["providers", "add", "--kind", "mock", "--name", "mock"]);
  const page = await newPage(browser);
  await signInWithSso(page, "maya@example.com");
  await page.goto(hub.url + "/keys");
  await waitForHydration(page);
  await page.getByRole("button", { name: "Create key" }).click();
  const dialog = page.getByRole("dialog", { name: "Create an access key" });
  await dialog.getByLabel("Name", { exact: true }).fill("sso laptop");
  await dialog.getByRole("button", { name: "Create key" }).click();
  const reveal = page.getByRole("dialog", { name: "Your new access key" });
  const key = await reveal.getByTestId("revealed-key").inputValue();
  expect(key).toMatch(/^hub-sk-/);
  await reveal.getByRole("button", { name: "Done" }).click();

  const sdk = new OpenAI({ apiKey: key, baseURL: `${hub.url}/api/v2`, maxRetries: 0 });
  const reply = await sdk.chat.completions.create({
    model: "mock/mock-chat",
    messages: [{ role: "user", content: "hi from SSO" }],
  });
  expect(reply.choices[0]!.message.content).toBe("Mock reply to: hi from SSO");

  await page.getByRole("button", { name: "Revoke sso laptop" }).click();
  await page.getByRole("dialog", { name: "Revoke this key?" }).getByRole("button", { name: "Revoke key" }).click();
  await expect(page.getByTestId(`key-row-${key.slice(0, 13)}`)).toContainText("Revoked");
  const refused = await sdk.chat.completions
    .create({ model: "mock/mock-chat", messages: [{ role: "user", content: "again" }] })
    .catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
  expect((refused as InstanceType<typeof OpenAI.AuthenticationError>).status).toBe(401);
  await page.context().close();
});

test("sign out everywhere ends the sessions of another browser too", async ({ browser }) => {
  const laptop = await newPage(browser);
  const phone = await newPage(browser);
  await signInWithSso(laptop, "sam");
  await signInWithSso(phone, "sam");

  // A forged cross-site post changes nothing and is recorded.
  const forged = await laptop.request.post(hub.url + "/signout-everywhere", {
    headers: { Origin: "https://evil.example" },
    maxRedirects: 0,
  });
  expect(forged.status()).toBe(403);
  expect(await forged.text()).toContain("posted from another site");
  expect((await audit("auth.csrf_refused"))[0]).toMatchObject({
    ip: "127.0.0.1",
    after: { origin: "https://evil.example" },
  });
  await phone.reload();
  await expect(phone).toHaveURL(`${hub.url}/usage`);

  await laptop.getByText("sam@example.com · member").click(); // opens the account menu
  await laptop.screenshot({ path: "test-results/oauth-account-menu.png" });
  await laptop.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(laptop).toHaveURL(`${hub.url}/signin?signed_out=everywhere`);
  await expect(laptop.getByText("You are signed out on every device.")).toBeVisible();

  await phone.goto(hub.url + "/keys");
  await expect(phone).toHaveURL(`${hub.url}/signin?next=%2Fkeys`);
  expect((await audit("auth.sign_out_everywhere"))[0]).toMatchObject({ actor: "sam@example.com", ip: "127.0.0.1" });
  await laptop.context().close();
  await phone.context().close();
});

test("a callback with another state, or without this browser's sign-in, is refused with a clear page", async ({
  page,
}) => {
  // Start a real sign-in (the flow cookie is set), then arrive at the callback with a state the hub never issued.
  await page.goto(hub.url + "/auth/oidc");
  await expect(page).toHaveURL(new RegExp(`^${oidc.issuer}/interaction/`));
  await page.goto(`${hub.url}/auth/oidc/callback?code=stolen-code&state=forged-state`);
  await expect(page).toHaveURL(`${hub.url}/signin?error=state_mismatch`);
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("Sign-in could not be verified");
  await expect(alert).toContainText("Start again from this page.");
  await expect(page.getByRole("link", { name: "Continue with Acme SSO" })).toBeVisible();
  await page.screenshot({ path: "test-results/oauth-signin-error.png", fullPage: true });

  // The flow cookie was cleared by that refusal: the same callback again finds no sign-in in progress.
  await page.goto(`${hub.url}/auth/oidc/callback?code=stolen-code&state=forged-state`);
  await expect(page.getByRole("alert")).toContainText("Sign-in expired");
  const reasons = (await audit("auth.sign_in_failed")).map((r) => (r.after as { reason: string }).reason);
  expect(reasons.slice(0, 2)).toEqual(["flow_missing", "state_mismatch"]);
});
