/**
 * Models page, main flow: add a model with rates (refusing a bad price first), schedule a new rate, give the
 * model an alias and call the API by it at once (the catalog reloads on change), import from the starter list.
 */
import type { Page } from "@playwright/test";
import { openSection, screenshot } from "./fixtures/pages";
import { expect, lastLine, test, type Hub } from "./fixtures/test";

let admin: Hub;
let page: Page;
let apiKey: string;

test.use({
  hubSetup: {
    cli: [
      ["providers", "add", "--kind", "mock", "--name", "mock"],
      ["users", "create", "--email", "dev@example.com", "--name", "Dev"],
    ],
  },
});
test.describe.configure({ mode: "serial" });
test.beforeAll(async ({ browser, hub, ownerState }) => {
  admin = hub;
  apiKey = lastLine(admin.cli(["keys", "create", "--user", "dev@example.com", "--name", "e2e"]));
  page = await browser.newPage({ storageState: ownerState });
});

test("add a model with rates, schedule a new rate, alias it and call it", async () => {
  await page.goto(admin.url + "/admin");
  await openSection(page, "Models");
  await expect(page.getByText("No models listed")).toBeVisible();

  await page.getByRole("button", { name: "Add model" }).click();
  const dialog = page.getByRole("dialog", { name: "Add model" });
  await dialog.getByLabel("Model id").fill("mock-chat");
  await dialog.getByLabel("Display name (optional)").fill("Mock chat");
  await dialog.getByLabel("Input", { exact: true }).fill("0.15");
  await dialog.getByLabel("Output", { exact: true }).fill("abc");
  await dialog.getByRole("button", { name: "Add model" }).click();
  await expect(dialog.getByText("must be an amount such as 0.15")).toBeVisible();
  await expect(dialog.getByLabel("Output", { exact: true })).toBeFocused();
  await dialog.getByLabel("Output", { exact: true }).fill("0.60");
  await dialog.getByLabel("Cached input").fill("0.075");
  await dialog.getByLabel("Cache write").fill("0.1875");
  await dialog.getByRole("button", { name: "Add model" }).click();
  await expect(dialog).toBeHidden();

  const row = page.getByTestId("model-mock/mock-chat");
  await expect(row).toContainText("$0.15 in · $0.60 out · $0.075 cached · $0.1875 cache write");
  await expect(row).toContainText("Enabled");

  // A new rate from tomorrow: scheduled, the current one stays in force.
  await row.getByRole("button", { name: "Rates of mock/mock-chat" }).click();
  const rates = page.getByRole("dialog", { name: "Rates of mock/mock-chat" });
  await expect(rates.getByText("In force")).toBeVisible();
  const tomorrow = new Date(Date.now() + 86_400_000);
  const local = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, "0")}-${String(tomorrow.getDate()).padStart(2, "0")}T09:00`;
  await rates.getByLabel("Input", { exact: true }).fill("0.10");
  await rates.getByLabel("Takes effect (optional)").fill(local);
  await rates.getByRole("button", { name: "Add rate" }).click();
  await expect(rates.getByText("Scheduled")).toBeVisible();
  // A rate in the past is refused: calls already made keep their price.
  await rates.getByLabel("Takes effect (optional)").fill("2020-01-01T09:00");
  await rates.getByRole("button", { name: "Add rate" }).click();
  await expect(rates.getByText("A rate cannot start in the past")).toBeVisible();
  await screenshot(page, "admin-models-rates");
  await page.keyboard.press("Escape");
  await expect(row).toContainText("From ");

  // An alias, then a call by it through the API: the gateway sees the change at once. The page says how to serve
  // the names agent clients send, and an alias named like Claude Code's model serves it with this model.
  await expect(page.getByRole("region", { name: "Model names of Claude Code and Codex CLI" })).toContainText(
    "claude-haiku-4-5",
  );
  await row.getByRole("button", { name: "Edit mock/mock-chat" }).click();
  const edit = page.getByRole("dialog", { name: "Edit mock/mock-chat" });
  await expect(edit.getByText("serve Claude Code's names with this model")).toBeVisible();
  await edit.getByLabel("Aliases").fill("fast, claude-sonnet-4-5");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit).toBeHidden();
  await expect(row.getByText("fast", { exact: true })).toBeVisible();
  const reply = await page.request.post(admin.url + "/api/v2/chat/completions", {
    headers: { authorization: `Bearer ${apiKey}` },
    data: { model: "fast", messages: [{ role: "user", content: "Hi" }] },
  });
  expect(reply.status()).toBe(200);
  expect((await reply.json()).choices[0].message.content).toContain("Mock reply to: Hi");
  const asClaude = await page.request.post(admin.url + "/api/v2/chat/completions", {
    headers: { authorization: `Bearer ${apiKey}` },
    data: { model: "claude-sonnet-4-5", messages: [{ role: "user", content: "Hi Claude" }] },
  });
  expect(asClaude.status()).toBe(200);
  expect((await asClaude.json()).choices[0].message.content).toContain("Mock reply to: Hi Claude");
});

test("import the starter list, editing a price first", async () => {
  await page.getByRole("button", { name: "Import starter models" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Import starter models" });
  await expect(dialog.getByText("Already added")).toBeVisible(); // mock-chat
  await expect(dialog.getByRole("checkbox", { name: "Import mock-chat" })).toBeDisabled();
  await dialog.getByRole("textbox", { name: "Input price of mock-embedding", exact: true }).fill("0.02");
  await screenshot(page, "admin-models-starter");
  await dialog.getByRole("button", { name: "Import selected" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: "Imported 2 models" })).toBeVisible();
  await expect(page.getByTestId("model-mock/mock-embedding")).toContainText("$0.02 in");
  await expect(page.getByTestId("model-mock/mock-image")).toContainText("per image");
  await screenshot(page, "admin-models", { fullPage: true });
});
