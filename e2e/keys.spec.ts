/**
 * The Keys page end to end against the production build: create a key in the dialog, read it from the one-time
 * reveal, call the hub with the real `openai` SDK (mock provider), rotate and revoke through the confirm dialog,
 * and see the SDK refused with 401. Screenshots go to test-results/ for a human look.
 */
import type { Page } from "@playwright/test";
import OpenAI from "openai";
import { waitForHydration } from "./fixtures/pages";
import { expect, test, type Hub } from "./fixtures/test";

let owned: Hub;
test.use({ hubSetup: { cli: [["providers", "add", "--kind", "mock", "--name", "mock"]] } });
test.beforeAll(({ hub }) => {
  owned = hub;
});

const sdk = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${owned.url}/api/v2`, maxRetries: 0 });
const ask = (apiKey: string, content: string) =>
  sdk(apiKey).chat.completions.create({ model: "mock/mock-chat", messages: [{ role: "user", content }] });
const refusedStatus = (apiKey: string) =>
  ask(apiKey, "again?").then(
    () => 200,
    (e: unknown) => (e instanceof OpenAI.APIError ? e.status : -1),
  );

async function readRevealedKey(page: Page): Promise<string> {
  const reveal = page.getByRole("dialog", { name: "Your new access key" });
  await expect(reveal).toBeVisible();
  const key = await reveal.getByTestId("revealed-key").inputValue();
  expect(key).toMatch(/^hub-sk-[A-Za-z0-9_-]{43}$/);
  return key;
}

test("create a key, use it with the openai SDK, rotate and revoke it; the next call is refused", async ({
  ownerPage: page,
}) => {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: owned.url });
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.goto(owned.url + "/keys");
  await expect(page.getByRole("heading", { name: "Access keys", exact: true })).toBeVisible();
  await expect(page.getByText("No access keys yet")).toBeVisible();
  await waitForHydration(page);
  await page.screenshot({ path: "test-results/keys-empty.png", fullPage: true });

  // Keyboard: the button opens the dialog, Escape closes it.
  await page.getByRole("button", { name: "Create key" }).focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Create an access key" });
  await expect(dialog).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  // Field errors come back from the action, nothing is created.
  await page.getByRole("button", { name: "Create key" }).click();
  await dialog.getByRole("button", { name: "Create key" }).click();
  await expect(dialog.getByText("Give the key a name")).toBeVisible();
  await expect(dialog.getByLabel("Name", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await page.screenshot({ path: "test-results/keys-create-errors.png" });

  await dialog.getByLabel("Name", { exact: true }).fill("e2e laptop");
  await dialog.getByLabel("App name (optional)").fill("e2e-app");
  await dialog.getByRole("button", { name: "Create key" }).click();
  const key = await readRevealedKey(page);
  const reveal = page.getByRole("dialog", { name: "Your new access key" });
  await expect(reveal.getByRole("tabpanel")).toContainText(`curl ${owned.url}/api/v2/chat/completions`);
  await expect(reveal.getByRole("tabpanel")).toContainText(`Bearer ${key}`);
  await reveal.getByRole("tab", { name: "Node.js" }).click();
  await expect(reveal.getByRole("tabpanel")).toContainText(`baseURL: "${owned.url}/api/v2"`);
  await expect(reveal.getByRole("tabpanel")).toContainText(`model: "mock/mock-chat"`);
  // The agent CLIs: Claude Code on the origin with the key as its auth token, Codex CLI on <hub>/v1 via Responses.
  await reveal.getByRole("tab", { name: "Claude Code" }).click();
  await expect(reveal.getByRole("tabpanel")).toContainText(`export ANTHROPIC_BASE_URL='${owned.url}'`);
  await expect(reveal.getByRole("tabpanel")).toContainText(`export ANTHROPIC_AUTH_TOKEN='${key}'`);
  await expect(reveal.getByRole("tabpanel")).toContainText(`export ANTHROPIC_API_KEY=""`);
  await expect(reveal.getByRole("tabpanel")).toContainText(`export ANTHROPIC_DEFAULT_HAIKU_MODEL='mock/mock-chat'`);
  await reveal.getByRole("tab", { name: "Codex CLI" }).click();
  await expect(reveal.getByRole("tabpanel")).toContainText(`base_url = "${owned.url}/v1"`);
  await expect(reveal.getByRole("tabpanel")).toContainText(`wire_api = "responses"`);
  await expect(reveal.getByRole("tabpanel")).toContainText(`export HUB_KEY='${key}'`);
  await expect(reveal.getByRole("tabpanel")).toContainText(`model = "mock/mock-chat"`);
  await reveal.getByRole("button", { name: "Copy", exact: true }).click();
  await expect(reveal.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
  await page.screenshot({ path: "test-results/keys-reveal.png" });
  await reveal.getByRole("button", { name: "Done" }).click();
  await expect(reveal).toBeHidden();

  // The list shows the prefix only; the key is in no page the server renders.
  const row = page.getByTestId(`key-row-${key.slice(0, 13)}`);
  await expect(row).toContainText("e2e laptop");
  await expect(row).toContainText("App: e2e-app");
  await expect(row).toContainText("Active");
  await page.reload();
  expect(await page.content()).not.toContain(key);
  await waitForHydration(page);

  const reply = await ask(key, "Hello hub");
  expect(reply.choices[0]!.message.content).toBe("Mock reply to: Hello hub");
  // Usage and "last used" follow (call records are written in small batches).
  await expect(async () => {
    await page.reload();
    await expect(row).toContainText("1 call");
  }).toPass({ timeout: 15_000 });
  await waitForHydration(page);
  await expect(row.getByRole("cell").nth(3)).not.toHaveText("Never"); // last used
  await page.screenshot({ path: "test-results/keys-list.png", fullPage: true });

  // Rotate: a new key, the old one refused at once.
  await page.getByRole("button", { name: "Rotate e2e laptop" }).click();
  const rotateDialog = page.getByRole("dialog", { name: "Rotate this key?" });
  await expect(rotateDialog).toContainText(key.slice(0, 13));
  await rotateDialog.getByRole("button", { name: "Rotate key" }).click();
  const rotated = await readRevealedKey(page);
  expect(rotated).not.toBe(key);
  await page.getByRole("dialog", { name: "Your new access key" }).getByRole("button", { name: "Done" }).click();
  expect(await refusedStatus(key)).toBe(401);
  expect((await ask(rotated, "Still there?")).choices[0]!.message.content).toBe("Mock reply to: Still there?");
  await expect(page.getByTestId(`key-row-${key.slice(0, 13)}`)).toContainText("Revoked");

  // Revoke, confirmed in a dialog; the very next SDK call gets 401.
  await page.getByRole("button", { name: "Revoke e2e laptop" }).click();
  const confirm = page.getByRole("dialog", { name: "Revoke this key?" });
  await expect(confirm).toContainText(rotated.slice(0, 13));
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeVisible();
  await page.screenshot({ path: "test-results/keys-confirm-revoke.png" });
  await confirm.getByRole("button", { name: "Revoke key" }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByTestId(`key-row-${rotated.slice(0, 13)}`)).toContainText("Revoked");
  expect(await refusedStatus(rotated)).toBe(401);
  await expect(page.getByRole("button", { name: "Revoke e2e laptop" })).toHaveCount(0);
  await page.screenshot({ path: "test-results/keys-revoked.png", fullPage: true });
});
