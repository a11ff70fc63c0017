/**
 * Credit billing end to end against the production build: the owner turns billing on in Admin → Billing, sees an
 * empty balance with the low-balance banner and the payment link, gets credit from the operator CLI, spends some
 * through the API with the `openai` SDK (the cost comes back), and sees the transactions, the cost per model, the
 * admin's balances and ledger. Screenshots go to test-results/ for a human look.
 */
import OpenAI from "openai";
import { expect, lastLine, test, type Hub } from "./fixtures/test";

let owned: Hub;
const PAYMENT_LINK = "https://buy.stripe.com/test_e2e";

/** The operator CLI on the hub's data directory, as an operator would run it beside the running server. */
const hubCli = (...args: string[]) => owned.cli(args);

test.use({
  hubSetup: {
    cli: [
      ["providers", "add", "--kind", "mock", "--name", "mock"],
      // $1,000 / $2,000 per million tokens: a short mock answer costs a few hundredths of a credit.
      ["models", "add", "--provider", "mock", "--model", "mock-chat", "--input-rate", "1000", "--output-rate", "2000"],
    ],
  },
});
test.beforeAll(({ hub }) => {
  owned = hub;
});

test("billing on: balance, low-balance banner with the payment link, transactions and the admin's view", async ({
  ownerPage: page,
}) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(e.message));
  page.on(
    "response",
    (r) => void (r.status() >= 400 && !r.url().includes("/api/") && problems.push(`${r.status()} ${r.url()}`)),
  );

  // Billing off (the default): calls are priced for reporting only; no balance, no banner.
  await page.goto(owned.url + "/billing");
  await expect(page.getByText("Credit billing is off on this hub")).toBeVisible();
  await expect(page.getByRole("alert")).toHaveCount(0);
  await page.screenshot({ path: "test-results/billing-off.png", fullPage: true });

  // Admin → Billing: turn billing on with a payment link.
  await page.goto(owned.url + "/admin/billing");
  await expect(page.getByRole("heading", { name: "Billing", exact: true })).toBeVisible();
  const settings = page.getByRole("form", { name: "Billing settings" });
  await settings.getByLabel(/Bill calls in credits/).check();
  await settings.getByLabel("Payment link").fill(PAYMENT_LINK);
  await settings.getByLabel("Warn below (credits)").fill("1");
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(settings.getByRole("status")).toHaveText("Billing settings saved.");

  // No credit yet: the banner says so and links to the payment page, made personal.
  await page.goto(owned.url + "/billing");
  await expect(page.getByTestId("balance")).toHaveText("0 credits");
  const banner = page.getByRole("alert");
  await expect(banner).toContainText("You are out of credit.");
  const buy = banner.getByRole("link", { name: "Buy credits" });
  await expect(buy).toHaveAttribute(
    "href",
    new RegExp(`^${PAYMENT_LINK}\\?client_reference_id=usr_[a-z0-9_]+&prefilled_email=grace%40example.com$`),
  );
  await page.screenshot({ path: "test-results/billing-empty.png", fullPage: true });

  // A call now is refused with 402 and the same link, before any upstream call.
  const key = lastLine(hubCli("keys", "create", "--user", "grace@example.com", "--name", "e2e"));
  const sdk = new OpenAI({ apiKey: key, baseURL: `${owned.url}/api/v2`, maxRetries: 0 });
  const refused = await sdk.chat.completions
    .create({ model: "mock/mock-chat", messages: [{ role: "user", content: "hi" }] })
    .catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(OpenAI.APIError);
  expect((refused as InstanceType<typeof OpenAI.APIError>).status).toBe(402);
  expect((refused as InstanceType<typeof OpenAI.APIError>).message).toContain(PAYMENT_LINK);

  // Credit from the operator CLI, then spend some: the answer carries its cost.
  expect(
    hubCli("credits", "grant", "--user", "grace@example.com", "--amount", "0.5", "--reason", "e2e starter credit"),
  ).toContain("balance 0.5");
  const answer = await sdk.chat.completions.create({
    model: "mock/mock-chat",
    messages: [{ role: "user", content: "Hello billing" }],
    max_tokens: 50,
  });
  const cost = (answer.usage as unknown as { cost: number }).cost;
  expect(cost).toBeGreaterThan(0);

  // Call records are written in batches (within 50 ms), the ledger at once: the per-model view may lag a moment.
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("table", { name: /Cost per model/ })).toContainText("mock/mock-chat", { timeout: 500 });
  }).toPass();
  const balance = Math.round((0.5 - cost) * 1e6) / 1e6;
  await expect(page.getByTestId("balance")).toHaveText(`${balance} credits`);
  await expect(page.getByRole("alert")).toContainText("Your credit is running low.");
  const history = page.getByRole("table", { name: "Your credit transactions" });
  await expect(history.getByTestId("ledger-row")).toHaveCount(2);
  await expect(history.getByTestId("ledger-row").first()).toContainText("Charge");
  await expect(history.getByTestId("ledger-row").first()).toContainText(`-${cost}`);
  await expect(history.getByTestId("ledger-row").last()).toContainText("e2e starter credit");
  await expect(page.getByText(`Spent in`).locator("..")).toContainText(String(cost));
  expect(problems).toEqual([]);
  await expect(page.locator(".recharts-bar-rectangle").first()).toBeVisible(); // the chart drew once hydrated
  await page.screenshot({ path: "test-results/billing-low.png", fullPage: true });
  // Every other page says so too, in a bar under the navigation.
  await page.goto(owned.url + "/keys");
  const bar = page.getByRole("status", { name: "Credit" });
  await expect(bar).toContainText("Your credit is running low.");
  await expect(bar.getByRole("link", { name: "Buy credits" })).toHaveAttribute(
    "href",
    new RegExp(`^${PAYMENT_LINK}\\?client_reference_id=usr_`),
  );
  await page.screenshot({ path: "test-results/billing-low-bar.png" });
  await page.goto(owned.url + "/billing");

  // Filters: only the charges; the holds are there when asked for.
  await page.getByLabel("Show").selectOption("charges");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/kind=charges/);
  await expect(history.getByTestId("ledger-row")).toHaveCount(1);
  await page.getByLabel("Show").selectOption("holds");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(history.getByTestId("ledger-row")).toHaveCount(2);
  await expect(history).toContainText("Hold released");

  // The admin grants more with a reason: the banner goes, the admin sees balances and the ledger.
  await page.goto(owned.url + "/admin/billing");
  const grant = page.getByRole("form", { name: "Grant or adjust credit" });
  await grant.getByLabel("User email").fill("grace@example.com");
  await grant.getByLabel("Credits").fill("5");
  await grant.getByLabel("Reason").fill("e2e admin grant");
  await grant.getByRole("button", { name: "Grant", exact: true }).click();
  await expect(grant.getByRole("status")).toContainText("Granted 5 credits for grace@example.com");
  await expect(grant.getByLabel("Reason")).toHaveValue("");
  await expect(page.getByTestId("account-row").first()).toContainText("grace@example.com");
  await expect(page.getByRole("table", { name: "Ledger entries" })).toContainText("e2e admin grant");
  await page.screenshot({ path: "test-results/billing-admin.png", fullPage: true });

  await page.goto(owned.url + "/billing");
  await expect(page.getByTestId("balance")).toHaveText(`${Math.round((5.5 - cost) * 1e6) / 1e6} credits`);
  await expect(page.getByRole("alert")).toHaveCount(0);
  await page.screenshot({ path: "test-results/billing-topped-up.png", fullPage: true });

  // The admin refunds the call from its drawer in the call log: the charge comes back, once, with the reason.
  await page.goto(owned.url + "/usage/calls?scope=all&range=24h");
  await expect(page.getByRole("status", { name: "Credit" })).toHaveCount(0);
  await page.getByTestId("call-log").locator("tbody tr").first().getByRole("button").click();
  const drawer = page.getByRole("dialog", { name: "Call details" });
  await drawer.getByRole("button", { name: `Refund ${cost} credits` }).click();
  await drawer.getByLabel("Reason for the refund").fill("e2e: the answer was wrong");
  await drawer.getByRole("button", { name: "Refund", exact: true }).click();
  await expect(drawer.getByRole("status")).toContainText(`${cost} credits were refunded`);
  await expect(drawer.getByRole("button", { name: /^Refund/ })).toHaveCount(0);
  await page.screenshot({ path: "test-results/billing-refund.png" });
  await page.goto(owned.url + "/billing");
  await expect(page.getByTestId("balance")).toHaveText("5.5 credits");
  await expect(history.getByTestId("ledger-row").first()).toContainText("Refund");
  await expect(history.getByTestId("ledger-row").first()).toContainText("e2e: the answer was wrong");
  expect(problems).toEqual([]);
});
