import { expect, test } from "./fixtures/test";

// A hub of its own, as it first starts (a file with its own hubSetup gets its own worker): this spec uses the
// one-time setup link itself. The fixture checks the graceful shutdown on SIGTERM.
test.use({ hubSetup: {} });

test("first run: the setup link creates the owner, who lands signed in and can sign out", async ({ page, hub }) => {
  expect(hub.setupLink, hub.output()).toMatch(/\/setup\?token=/);

  // Before setup the sign-in page says how to get started.
  await page.goto(hub.url + "/signin");
  await expect(page.getByText("This hub has no owner yet.")).toBeVisible();

  await page.goto(hub.setupLink!);
  await expect(page.getByRole("heading", { name: "Create the owner account" })).toBeVisible();

  // Field errors are shown, and nothing is created.
  await page.getByRole("button", { name: "Create owner and sign in" }).click();
  await expect(page.getByText("Enter an email address")).toBeVisible();

  await page.getByLabel("Your name").fill("Grace Hopper");
  await page.getByLabel("Email").fill("grace@example.com");
  await page.getByRole("button", { name: "Create owner and sign in" }).click();

  await expect(page).toHaveURL(/\/usage$/);
  await expect(page.getByRole("heading", { name: "Usage" })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const name of ["Usage", "Keys", "Playground", "Billing", "Admin"]) {
    await expect(nav.getByRole("link", { name })).toBeVisible();
  }
  await expect(page.getByText("grace@example.com · owner")).toBeVisible();
  await page.screenshot({ path: "test-results/first-run-usage.png", fullPage: true });

  await nav.getByRole("link", { name: "Admin" }).click();
  await expect(page.getByRole("heading", { name: "Admin" })).toBeVisible();

  // The token worked once: /setup is gone now.
  const again = await page.request.get(hub.setupLink!);
  expect(again.status()).toBe(404);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByRole("heading", { name: "Sign in to AI Hub" })).toBeVisible();
  await expect(page.getByText("No sign-in method is configured.")).toBeVisible();
  await page.screenshot({ path: "test-results/first-run-signin.png", fullPage: true });

  // Signed out means signed out: the app redirects to sign-in.
  await page.goto(hub.url + "/keys");
  await expect(page).toHaveURL(/\/signin\?next=%2Fkeys$/);
});

test("signed-out visitors are sent to sign-in from every signed-in page", async ({ page, hub }) => {
  for (const path of ["/usage", "/keys", "/playground", "/billing", "/admin"]) {
    const response = await page.request.get(hub.url + path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(302);
    expect(response.headers()["location"]).toBe(`/signin?next=${encodeURIComponent(path)}`);
  }
  const health = await page.request.get(hub.url + "/readyz");
  expect(await health.json()).toMatchObject({ status: "ready", database: "ok" });
  expect(health.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
});
