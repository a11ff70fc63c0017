/**
 * Providers page, main flow: add a provider pointing at a fake OpenAI upstream (with a field error on the way),
 * test its key (latency), add a second credential with a wrong key and see the provider's own error, then use the
 * dialogs from the keyboard.
 */
import type { Page } from "@playwright/test";
import { startFakeOpenAI } from "../test/fake-upstreams/openai";
import type { FakeUpstream } from "../test/fake-upstreams/server";
import { openSection, screenshot } from "./fixtures/pages";
import { expect, test, type Hub } from "./fixtures/test";

const KEY = "sk-e2e-provider-key-0000aaaa1234";
let admin: Hub;
let upstream: FakeUpstream;
let page: Page;

// One signed-in browser page for the whole spec, on the worker's shared hub (no provider on it but the ones added here).
test.describe.configure({ mode: "serial" });
test.beforeAll(async ({ browser, hub, ownerState }) => {
  upstream = await startFakeOpenAI({ apiKey: KEY, latencyMs: 20 });
  admin = hub;
  page = await browser.newPage({ storageState: ownerState });
});
test.afterAll(async () => {
  await upstream?.close();
});

test("add a provider at a fake upstream, test its keys, see health and errors", async () => {
  await page.goto(admin.url + "/admin");
  await openSection(page, "Providers");
  await expect(page.getByText("No providers yet")).toBeVisible();

  await page.getByRole("button", { name: "Add provider" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Add provider" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Kind").selectOption("openai");
  await dialog.getByLabel("Base URL (optional)").fill(`${upstream.url}/v1`);
  await dialog.getByLabel("API key", { exact: true }).fill(KEY);
  // A value out of range comes back as a message under its field; what was typed stays.
  await dialog.getByLabel("Weight").fill("5000");
  await dialog.getByRole("button", { name: "Add provider" }).click();
  await expect(dialog.getByText("must be at most 1000")).toBeVisible();
  await expect(dialog.getByLabel("Weight")).toHaveAttribute("aria-invalid", "true");
  await screenshot(page, "admin-providers-field-error");
  await dialog.getByLabel("Weight").fill("2");
  await dialog.getByRole("button", { name: "Add provider" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: "Provider openai added" })).toBeVisible();

  const card = page.getByTestId("provider-openai");
  await expect(card.getByRole("heading", { name: "OpenAI" })).toBeVisible();
  await expect(card.getByText("…1234")).toBeVisible();
  await expect(card.getByText(KEY)).toHaveCount(0);
  await expect(card.getByText("Healthy")).toBeVisible();

  // The test button makes one call of one token and shows the latency.
  await card.getByRole("button", { name: "Test credential default" }).click();
  // With no models listed yet it asks for the kind's cheapest well-known chat model.
  await expect(page.getByTestId("test-result-default")).toContainText(/✓ Answered in \d+ ms · model gpt-4\.1-nano/);
  const call = upstream.requests.find((r) => r.path === "/v1/chat/completions")!;
  expect(JSON.parse(call.body)).toMatchObject({
    model: "gpt-4.1-nano",
    max_tokens: 1,
    messages: [{ role: "user", content: "Hi" }],
  });

  // A second credential with a wrong key: the provider's own error, the key not shown.
  await card.getByRole("button", { name: "Add a credential to openai" }).click();
  const credDialog = page.getByRole("dialog", { name: "Add a credential to openai" });
  await credDialog.getByLabel("Name").fill("backup");
  await credDialog.getByLabel("API key").fill("sk-e2e-wrong-key-9999");
  await credDialog.getByRole("button", { name: "Add credential" }).click();
  await expect(credDialog).toBeHidden();
  await card.getByRole("button", { name: "Test credential backup" }).click();
  await expect(page.getByTestId("test-result-backup")).toContainText(
    "✗ 401 invalid_api_key: Incorrect API key provided",
  );
  await expect(card.getByText("Test: 401 invalid_api_key")).toBeVisible(); // remembered as the last error
  await screenshot(page, "admin-providers", { fullPage: true });

  // Disable the provider, and see it say so.
  await card.getByRole("button", { name: "Disable provider openai" }).click();
  await expect(card.getByText("Disabled", { exact: true })).toBeVisible();
  await card.getByRole("button", { name: "Enable provider openai" }).click();
  await expect(card.getByText("Enabled", { exact: true })).toBeVisible();
});

test("dialogs work from the keyboard, and deleting asks first", async () => {
  const add = page.getByRole("button", { name: "Add provider" });
  await add.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Add provider" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel("Kind")).toBeFocused(); // focus moved into the dialog
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(add).toBeFocused(); // and back to the opener

  const card = page.getByTestId("provider-openai");
  await card.getByRole("button", { name: "Delete credential backup" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete credential backup?" });
  await expect(confirm).toContainText("cannot be recovered");
  await confirm.getByRole("button", { name: "Delete credential" }).click();
  await expect(confirm).toBeHidden();
  await expect(card.getByRole("button", { name: "Test credential backup" })).toHaveCount(0);
});
