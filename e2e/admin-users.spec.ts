/**
 * Users, keys and quotas, main flows: find a person and change their role, see their keys and usage, disable
 * them (their key stops working at once); revoke a key found by its app; set a quota for a person.
 */
import type { Page } from "@playwright/test";
import { openSection, screenshot } from "./fixtures/pages";
import { expect, lastLine, test, type Hub } from "./fixtures/test";

let admin: Hub;
let page: Page;
let adaKey: string;

test.use({
  hubSetup: {
    cli: [
      ["providers", "add", "--kind", "mock", "--name", "mock"],
      ["users", "create", "--email", "ada@example.com", "--name", "Ada Lovelace"],
      ["users", "create", "--email", "alan@example.com", "--name", "Alan Turing"],
      ["keys", "create", "--user", "alan@example.com", "--name", "notebook", "--app", "jupyter"],
    ],
  },
});
test.describe.configure({ mode: "serial" });
test.beforeAll(async ({ browser, hub, ownerState }) => {
  admin = hub;
  adaKey = lastLine(admin.cli(["keys", "create", "--user", "ada@example.com", "--name", "laptop", "--app", "cli"]));
  page = await browser.newPage({ storageState: ownerState });
});

const callAsAda = () =>
  page.request.post(admin.url + "/api/v2/chat/completions", {
    headers: { authorization: `Bearer ${adaKey}` },
    data: { model: "mock/mock-chat", messages: [{ role: "user", content: "Hi" }] },
  });

test("search a person, change their role, read their keys and usage, disable them", async () => {
  expect((await callAsAda()).status()).toBe(200); // some usage to show
  await page.goto(admin.url + "/admin");
  await openSection(page, "Users");
  await expect(page.getByTestId("user-alan@example.com")).toBeVisible();
  await page.getByLabel("Search").fill("ada");
  await expect(page.getByTestId("user-alan@example.com")).toBeHidden();
  const row = page.getByTestId("user-ada@example.com");
  await expect(row).toContainText("member");

  await row.getByRole("button", { name: "Change the role of ada@example.com" }).click();
  const dialog = page.getByRole("dialog", { name: "Change the role of Ada Lovelace" });
  await dialog.getByRole("radio", { name: /^Admin/ }).check();
  await dialog.getByRole("button", { name: "Change role" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText("admin");
  await expect(page.getByRole("status").filter({ hasText: "ada@example.com is now an admin" })).toBeVisible();

  await row.getByRole("button", { name: "Details of ada@example.com" }).click();
  const details = page.getByRole("dialog", { name: "Ada Lovelace" });
  await expect(details.getByText("laptop")).toBeVisible();
  await expect(details.getByText("mock/mock-chat")).toBeVisible();
  await screenshot(page, "admin-user-detail");
  await page.keyboard.press("Escape");

  await row.getByRole("button", { name: "Disable ada@example.com" }).click();
  await page
    .getByRole("dialog", { name: "Disable ada@example.com?" })
    .getByRole("button", { name: "Disable account" })
    .click();
  await expect(row).toContainText("Disabled");
  // Her key stops working at once.
  const refused = await callAsAda();
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.message).toBe("The account that owns this API key is disabled.");
  await row.getByRole("button", { name: "Enable ada@example.com" }).click();
  await page
    .getByRole("dialog", { name: "Enable ada@example.com?" })
    .getByRole("button", { name: "Enable account" })
    .click();
  await expect(row).toContainText("Active");
  await page.getByLabel("Search").fill("");
  await screenshot(page, "admin-users", { fullPage: true });
});

test("find keys by app and revoke one", async () => {
  await openSection(page, "Keys", "Access keys");
  await expect(page.getByText("notebook")).toBeVisible();
  await page.getByLabel("App").selectOption("cli");
  await expect(page.getByText("notebook")).toBeHidden();
  await page.getByRole("button", { name: "Revoke laptop of ada@example.com" }).click();
  const confirm = page.getByRole("dialog", { name: "Revoke laptop?" });
  await confirm.getByRole("button", { name: "Revoke key" }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByRole("cell", { name: "revoked" })).toBeVisible();
  expect((await callAsAda()).status()).toBe(401);
  await page.getByLabel("App").selectOption("");
  await screenshot(page, "admin-keys", { fullPage: true });
});

test("set a quota for a person and for the whole hub", async () => {
  await openSection(page, "Quotas", "Quotas and limits");
  await page.getByRole("button", { name: "Add quota" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Add quota" });
  await dialog.getByLabel("User").selectOption({ label: "alan@example.com" });
  await dialog.getByLabel("Requests per minute").fill("-5");
  await dialog.getByRole("button", { name: "Save quota" }).click();
  await expect(dialog.getByText("must be a whole number")).toBeVisible();
  await dialog.getByLabel("Requests per minute").fill("60");
  await dialog.getByLabel("Tokens per day").fill("100000");
  await dialog.getByLabel("Credits per month").fill("12.5");
  await dialog.getByRole("button", { name: "Save quota" }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByTestId("quota-user-alan@example.com");
  await expect(row).toContainText("60");
  await expect(row).toContainText("100,000");
  await expect(row).toContainText("12.5");

  await page.getByRole("button", { name: "Add quota" }).click();
  const hub = page.getByRole("dialog", { name: "Add quota" });
  await hub.getByLabel("Applies to").selectOption("global");
  await hub.getByLabel("Concurrent requests").fill("50");
  await hub.getByRole("button", { name: "Save quota" }).click();
  await expect(page.getByTestId("quota-global-The whole hub")).toContainText("50");
  await screenshot(page, "admin-quotas", { fullPage: true });
});

test("the users list pages through a crowd, 50 at a time", async () => {
  // 60 more people straight into the hub's database (the CLI would take a minute for this many), older than the
  // rest, so the newest-first list ends with them.
  const now = Date.now();
  await admin.db.batch(
    Array.from({ length: 60 }, (_, i) => ({
      sql: "insert into users (id, email, name, role, status, created_at, updated_at) values (?, ?, ?, 'member', 'active', ?, ?)",
      args: [
        `usr_crowd${i}`,
        `crowd${String(i).padStart(2, "0")}@example.com`,
        `Crowd ${i}`,
        now - 86_400_000 - i * 1000,
        now - 86_400_000 - i * 1000,
      ],
    })),
  );
  const total = 60 + 3; // the crowd, the owner, Ada and Alan
  await page.goto(admin.url + "/admin/users");
  const pager = page.getByRole("navigation", { name: "Pages of people" });
  await expect(pager).toContainText(`1–50 of ${total} people`);
  await expect(page.getByRole("table", { name: "Users" }).locator("tbody tr")).toHaveCount(50);
  await pager.getByRole("button", { name: "Next" }).click();
  await expect(pager).toContainText(`51–${total} of ${total} people`);
  await expect(page.getByRole("table", { name: "Users" }).locator("tbody tr")).toHaveCount(total - 50);
  await expect(page.getByTestId("user-crowd59@example.com")).toBeVisible();
  await expect(page.getByTestId("user-ada@example.com")).toHaveCount(0);
  await expect(pager.getByRole("button", { name: "Next" })).toBeDisabled();
  // A search starts again from the first page.
  await page.getByLabel("Search").fill("crowd0");
  await expect(pager).toContainText("1–10 of 10 people");
  await screenshot(page, "admin-users-paged", { fullPage: true });
});
