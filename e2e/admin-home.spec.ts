/**
 * The admin home in the browser: after real calls through the API (some failing), /admin shows today's requests,
 * spend and error rate as the database records them, the providers with their credentials' health, the top
 * spenders, the latest failures and the credit outstanding; and each number opens the page behind it with the
 * same count (Usage for the same range, the call log filtered to failures, Billing, Providers).
 */
import type { Page } from "@playwright/test";
import { waitForHydration } from "./fixtures/pages";
import { expect, lastLine, test, type Hub } from "./fixtures/test";

let hub: Hub;
let key: string;
let page: Page;

test.use({
  hubSetup: {
    cli: [
      ["providers", "add", "--kind", "mock", "--name", "mock"],
      ["models", "add", "--provider", "mock", "--model", "mock-chat", "--input-rate", "150", "--output-rate", "600"],
      ["users", "create", "--email", "dev@example.com", "--name", "Dev"],
      ["credits", "grant", "--user", "dev@example.com", "--amount", "50"],
    ],
    settings: { billingEnabled: true },
  },
});
test.describe.configure({ mode: "serial" });
test.beforeAll(async ({ browser, hub: started, ownerState }) => {
  hub = started;
  key = lastLine(hub.cli(["keys", "create", "--user", "dev@example.com", "--name", "ci-runner"]));
  page = await browser.newPage({ storageState: ownerState });
});

async function recorded(sql: string, args: Array<string | number> = []): Promise<number> {
  return Number((await hub.db.execute({ sql, args })).rows[0]?.n ?? 0);
}

test.setTimeout(120_000);

test("the admin home shows the recorded numbers and each opens the page that explains it", async () => {
  for (const [text, status] of [
    ["Hello", 200],
    ["Tell me more", 200],
    ["And more words here", 200],
    ["[[error]] please", 500],
    ["Last one", 200],
  ] as const) {
    const r = await page.request.post(hub.url + "/api/v2/chat/completions", {
      headers: { authorization: `Bearer ${key}` },
      data: { model: "mock/mock-chat", messages: [{ role: "user", content: text }], max_tokens: 20 },
    });
    expect(r.status(), text).toBe(status);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(hub.url + "/admin");
  await expect(page.getByTestId("admin-home")).toBeVisible();
  await waitForHydration(page);

  const day = 86_400_000;
  const today = Date.now() - (Date.now() % day);
  const inToday = "created_at >= ? and created_at < ?";
  const requests = await recorded(`select count(*) as n from model_calls where ${inToday}`, [today, today + day]);
  const failed = await recorded(`select count(*) as n from model_calls where ${inToday} and status = 'failed'`, [
    today,
    today + day,
  ]);
  const cost = await recorded(`select coalesce(sum(cost_micro), 0) as n from model_calls where ${inToday}`, [
    today,
    today + day,
  ]);
  expect(requests).toBe(5);
  expect(failed).toBe(1);
  expect(cost).toBeGreaterThan(0);

  await expect(page.getByTestId("home-requests-today")).toHaveText(String(requests));
  await expect(page.getByTestId("home-requests-week")).toHaveText(String(requests));
  await expect(page.getByTestId("home-requests-yesterday")).toHaveText("0");
  await expect(page.getByTestId("home-errors-today")).toHaveText("20.0 %");
  // Spend: the exact credits in the title, the same amount as the database's sum.
  expect(await page.getByTestId("home-spend-today").getAttribute("title")).toBe(`${cost / 1_000_000} credits`);
  await expect(page.getByTestId("home-credential-mock-default")).toContainText("Healthy");
  // The provider's 24 hours: the calls recorded against it (a call refused before routing names no provider).
  const hour = 3_600_000;
  const recentFrom = Math.floor(Date.now() / hour) * hour + hour - 24 * hour;
  const mockCalls = await recorded(
    "select count(*) as n from model_calls where provider_name = 'mock' and created_at >= ?",
    [recentFrom],
  );
  const mockFailed = await recorded(
    "select count(*) as n from model_calls where provider_name = 'mock' and created_at >= ? and status = 'failed'",
    [recentFrom],
  );
  const rate = mockFailed / mockCalls;
  const failedText = mockFailed ? `${(rate * 100).toFixed(rate < 0.1 ? 2 : 1)} %` : "0 %";
  await expect(page.getByTestId("home-provider-mock-recent")).toHaveText(`${mockCalls} calls · ${failedText} failed`);
  await expect(page.getByTestId("home-top-user")).toContainText("dev@example.com");
  await expect(page.getByTestId("home-top-key")).toContainText("ci-runner");
  await expect(page.getByTestId("home-top-model")).toContainText("mock/mock-chat");
  await expect(page.getByTestId("home-failures").getByRole("listitem")).toHaveCount(failed);
  const errorCode = String(
    (await hub.db.execute("select error_code from model_calls where status = 'failed'")).rows[0]?.error_code,
  );
  await expect(page.getByTestId("home-failures")).toContainText(errorCode);
  const balance = await recorded("select coalesce(sum(balance_micro), 0) as n from credit_accounts");
  expect(await page.getByTestId("home-credit-balance").getAttribute("title")).toBe(`${balance / 1_000_000} credits`);
  await page.screenshot({ path: "test-results/admin-home-1280.png", fullPage: true });

  // Requests today → Usage for exactly today, showing the same count.
  await page.getByTestId("home-requests-today").click();
  await expect(page).toHaveURL(new RegExp(`/admin/usage\\?from=${today}&to=${today + day}$`));
  await expect(page.getByTestId("total-requests")).toHaveText(String(requests));
  await expect(page.getByLabel("Time range")).toHaveValue("custom");

  // Error rate today → the call log of today's failures.
  await page.goBack();
  await page.getByTestId("home-errors-today").click();
  await expect(page).toHaveURL(/\/usage\/calls\?scope=all&status=failed&from=\d+&to=\d+$/);
  await expect(page.getByTestId("call-log").locator("tbody tr")).toHaveCount(failed);
  await expect(page.getByTestId("call-log").locator("tbody tr").first()).toContainText("failed");

  // A top user → Usage for the week filtered to that user.
  await page.goBack();
  await page.getByTestId("home-top-user").getByRole("link").first().click();
  await expect(page).toHaveURL(/\/admin\/usage\?from=\d+&to=\d+&userId=usr_/);
  await expect(page.getByTestId("total-requests")).toHaveText(String(requests));

  // Providers and billing.
  await page.goBack();
  await page.getByRole("link", { name: "Manage providers" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Providers" })).toBeVisible();
  await page.goBack();
  await page.getByTestId("home-credit-balance").click();
  await expect(page.getByRole("heading", { level: 1, name: "Billing" })).toBeVisible();

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(hub.url + "/admin");
  await expect(page.getByTestId("admin-home")).toBeVisible();
  await page.screenshot({ path: "test-results/admin-home-390.png", fullPage: true });
});

test("the small things: provider titles, model suggestions, readable credits, honest empty states", async () => {
  await page.setViewportSize({ width: 1280, height: 900 });

  // The mock provider is titled by its name; "no account needed" is a hint in the kind menu only.
  await page.goto(hub.url + "/admin/providers");
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 2, name: "Mock", exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Add provider" }).first().click();
  const providerDialog = page.getByRole("dialog", { name: "Add provider" });
  await expect(
    providerDialog.getByLabel("Kind").locator("option", { hasText: "Mock (no account needed)" }),
  ).toHaveCount(1);
  await page.keyboard.press("Escape");

  // Add model suggests the chosen provider's own ids, for the chosen type.
  await page.goto(hub.url + "/admin/models");
  await waitForHydration(page);
  await page.getByRole("button", { name: "Add model" }).click();
  const modelDialog = page.getByRole("dialog", { name: "Add model" });
  await expect(modelDialog.getByLabel("Model id")).toHaveAttribute("placeholder", "mock-chat");
  await modelDialog.getByLabel("Type").selectOption("embedding");
  await expect(modelDialog.getByLabel("Model id")).toHaveAttribute("placeholder", "mock-embedding");
  await page.keyboard.press("Escape");

  // Everyone's calls: the cost column reads as the records' cost in plain decimals (exact value in the title).
  await page.goto(hub.url + "/usage/calls?scope=all&range=24h");
  const firstCost = page.getByTestId("call-log").locator("tbody tr").first().locator("td").nth(7); // Time, User, Model, API, Key, Status, Tokens, Cost
  await expect(firstCost).toHaveText(/^\d/);
  const costMicro = await recorded("select cost_micro as n from model_calls order by created_at desc, id desc limit 1");
  await expect(firstCost).toHaveAttribute("title", String(costMicro / 1_000_000));
  await expect(firstCost).not.toHaveText(/0$/);

  // The owner has made no calls: nothing to download, and the empty states do not blame filters nobody set.
  await page.goto(hub.url + "/usage/calls?range=24h");
  await expect(page.getByRole("heading", { name: "No calls in this range" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Download calls (CSV)" })).toBeDisabled();
  await expect(page.getByRole("link", { name: "Download calls (CSV)" })).toHaveCount(0);
  await page.goto(hub.url + "/usage/calls?range=24h&model=mock-chat");
  await expect(page.getByRole("heading", { name: "No calls match" })).toBeVisible();
  await page.goto(hub.url + "/billing");
  await expect(page.getByText("No transactions yet.")).toBeVisible();
  await page.goto(hub.url + "/billing?kind=charges");
  await expect(page.getByText("No transactions match these filters.")).toBeVisible();

  // The playground's model menu names each model whole; the rate is below it and in the titles.
  await page.goto(hub.url + "/playground");
  await waitForHydration(page);
  const menu = page.getByLabel("Model", { exact: true });
  await expect(menu.locator("option")).toHaveText(["mock-chat"]);
  await expect(menu).toHaveAttribute("title", /^mock-chat — \$150 in · \$600 out \/ 1M tokens$/);
});
