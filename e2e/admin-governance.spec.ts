/**
 * IP rules, settings and the audit log, main flows: add IP rules (a bad CIDR refused first) and check an
 * address against them, set the trusted proxies; change billing and sign-in settings and configure an OAuth
 * client (its secret shown by the last four characters only); then find these changes in the audit log and
 * read one entry's before and after; then keep call bodies and generate the /metrics token, and read a call's redacted
 * bodies in the call drawer; then a stored Responses answer read and deleted by id, the store turned off in Settings,
 * and a Responses call's note (a tool left out) in the call drawer.
 */
import type { Page } from "@playwright/test";
import { openSection, screenshot } from "./fixtures/pages";
import { expect, lastLine, test, type Hub } from "./fixtures/test";

const OAUTH_SECRET = "gh-e2e-client-secret-7a7a";
let admin: Hub;
let page: Page;
let apiKey: string;
/** A key without rules of its own ("ci" gets a key-scoped allow list below). */
let webKey: string;

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
  apiKey = lastLine(admin.cli(["keys", "create", "--user", "dev@example.com", "--name", "ci", "--app", "ci"]));
  webKey = lastLine(admin.cli(["keys", "create", "--user", "dev@example.com", "--name", "web", "--app", "web"]));
  page = await browser.newPage({ storageState: ownerState });
});

test("add IP rules, check an address, set trusted proxies", async () => {
  await page.goto(admin.url + "/admin");
  await openSection(page, "IP rules");
  await expect(page.getByText("No rules: every address may call the API.")).toBeVisible();

  await page.getByRole("button", { name: "Add rule" }).click();
  const dialog = page.getByRole("dialog", { name: "Add IP rule" });
  await dialog.getByLabel("Address or range").fill("203.0.113.0/33");
  await dialog.getByRole("button", { name: "Add rule" }).click();
  await expect(dialog.getByText("is not an IPv4 or IPv6 address or CIDR")).toBeVisible();
  await dialog.getByLabel("Address or range").fill("203.0.113.7/24");
  await dialog.getByLabel("Note (optional)").fill("Abusive scraper");
  await dialog.getByRole("button", { name: "Add rule" }).click();
  await expect(dialog).toBeHidden();
  // Stored in canonical form, host bits cleared.
  await expect(page.getByTestId("ip-rule-203.0.113.0/24")).toContainText("The whole API");

  await page.getByRole("button", { name: "Add rule" }).click();
  await dialog.getByLabel("Action").selectOption("allow");
  await dialog.getByLabel("Address or range").fill("2001:DB8:0:0::/32");
  const keyOption = await dialog
    .getByLabel("Applies to")
    .locator("option", { hasText: "Key ci" })
    .getAttribute("value");
  await dialog.getByLabel("Applies to").selectOption(keyOption);
  await dialog.getByRole("button", { name: "Add rule" }).click();
  await expect(page.getByTestId("ip-rule-2001:db8::/32")).toContainText("Key ci");

  await page.getByLabel("Address", { exact: true }).fill("203.0.113.99");
  await page.getByRole("button", { name: "Check", exact: true }).click();
  await expect(page.getByText("by the deny rule 203.0.113.0/24")).toBeVisible();

  await page.getByLabel("Proxy addresses or ranges, one per line").fill("10.0.0.0/8\nfd00::/8");
  await page.getByRole("button", { name: "Save trusted proxies" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Trusting 2 proxy ranges" })).toBeVisible();
  await screenshot(page, "admin-ip-rules", { fullPage: true });
});

test("a denied address is refused by the API", async () => {
  await page.goto(admin.url + "/admin/ip-rules");
  await page.getByRole("button", { name: "Add rule" }).click();
  const dialog = page.getByRole("dialog", { name: "Add IP rule" });
  await dialog.getByLabel("Address or range").fill("127.0.0.1"); // where this test calls from
  await dialog.getByRole("button", { name: "Add rule" }).click();
  await expect(page.getByTestId("ip-rule-127.0.0.1/32")).toBeVisible();
  const call = (key: string) =>
    page.request.post(admin.url + "/api/v2/chat/completions", {
      headers: { authorization: `Bearer ${key}` },
      data: { model: "mock/mock-chat", messages: [{ role: "user", content: "Hi" }] },
    });
  const refused = await call(webKey);
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error).toMatchObject({
    type: "permission_error",
    code: "ip_not_allowed",
    message: expect.stringContaining("denied by an IP rule"),
  });
  // The "ci" key may only call from 2001:db8::/32 (the allow rule above), so it is refused here too.
  expect((await call(apiKey)).status()).toBe(403);
  await page.getByRole("button", { name: "Delete the deny rule for 127.0.0.1/32" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete rule" }).click();
  await expect(page.getByTestId("ip-rule-127.0.0.1/32")).toHaveCount(0);
  expect((await call(webKey)).status()).toBe(200);
  expect((await call(apiKey)).status()).toBe(403);
});

test("change billing and sign-in settings, configure an OAuth client", async () => {
  await openSection(page, "Settings");
  const billing = page.getByRole("form", { name: "Billing" });
  await billing.getByLabel("Bill calls in credits").check();
  await billing.getByLabel("Profit margin (%)").fill("abc");
  await billing.getByRole("button", { name: "Save billing" }).click();
  await expect(billing.getByText("must be a percentage such as 20 or 12.5")).toBeVisible();
  await billing.getByLabel("Profit margin (%)").fill("20");
  await billing.getByLabel("New-user grant (credits)").fill("5");
  await billing.getByLabel("Payment link (optional)").fill("https://pay.example.com/hub");
  await billing.getByRole("button", { name: "Save billing" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Billing saved" })).toBeVisible();

  const signIn = page.getByRole("form", { name: "Sign-in policy" });
  await signIn.getByRole("radio", { name: /Email domains/ }).check();
  await signIn.getByLabel("Allowed email domains").fill("example.com");
  await signIn.getByRole("button", { name: "Save sign-in policy" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Sign-in policy saved" })).toBeVisible();

  await page.getByRole("button", { name: "Configure GitHub" }).click();
  const oauth = page.getByRole("dialog", { name: "Set up GitHub sign-in" });
  await expect(oauth).toContainText(`${admin.url}/auth/github/callback`);
  await oauth.getByLabel("Client ID").fill("Iv1.e2e-client");
  await oauth.getByLabel("Client secret").fill(OAUTH_SECRET);
  await oauth.getByRole("button", { name: "Save" }).click();
  await expect(oauth).toBeHidden();
  await expect(page.getByText("Client Iv1.e2e-client · secret …7a7a")).toBeVisible();
  await expect(page.getByText(OAUTH_SECRET)).toHaveCount(0);

  // Reloaded from the server, the values stay.
  await page.reload();
  await expect(page.getByRole("form", { name: "Billing" }).getByLabel("Profit margin (%)")).toHaveValue("20");
  await expect(page.getByRole("form", { name: "Billing" }).getByLabel("Bill calls in credits")).toBeChecked();
  await screenshot(page, "admin-settings", { fullPage: true });
});

test("find the changes in the audit log and read one", async () => {
  await openSection(page, "Audit log");
  await expect(page.getByRole("cell", { name: "ip_rule.create" }).first()).toBeVisible();
  await page.getByLabel("Action").selectOption("settings.update");
  await page.getByLabel("Actor").fill("grace@");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("cell", { name: "ip_rule.create" })).toHaveCount(0);
  const rows = page.getByRole("row").filter({ hasText: "settings.update" });
  await expect(rows).toHaveCount(4); // trusted proxies, billing, sign-in policy, OAuth client
  await screenshot(page, "admin-audit", { fullPage: true });

  // The newest: the OAuth client, its secret sealed and redacted.
  await rows
    .first()
    .getByRole("button", { name: /^View settings.update/ })
    .click();
  const detail = page.getByRole("dialog", { name: "settings.update" });
  await expect(detail).toContainText("grace@example.com");
  await expect(detail).toContainText("Iv1.e2e-client");
  await expect(detail).toContainText("[redacted]");
  await expect(detail).not.toContainText(OAUTH_SECRET);
  await expect(detail.getByText("IP address")).toBeVisible();
  await screenshot(page, "admin-audit-detail");
  await page.keyboard.press("Escape");

  // The billing change: before and after side by side.
  await rows.nth(2).getByRole("button", { name: /^View/ }).click();
  await expect(detail.getByRole("heading", { name: "Before" })).toBeVisible();
  await expect(detail).toContainText('"profitMarginBps": 0');
  await expect(detail).toContainText('"profitMarginBps": 2000');
});

test("keep call bodies and generate the /metrics token in Settings; the call drawer shows a redacted body", async () => {
  // The previous test leaves an audit entry's dialog open over the navigation: start from the page itself.
  await page.goto(admin.url + "/admin/settings");
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  const records = page.getByRole("form", { name: "Call records" });
  await records.getByLabel("Keep request and response bodies").check();
  await records.getByLabel("Keep them for (days)").fill("3");
  await records.getByRole("button", { name: "Save call records" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Call records saved" })).toBeVisible();

  // The metrics token: none yet (404), generated and shown once, accepted by /metrics, gone after a reload.
  const metrics = page.locator("section").filter({ has: page.getByRole("heading", { name: "Prometheus metrics" }) });
  await expect(metrics.getByTestId("metrics-token-status")).toContainText("No token");
  await expect(metrics.getByTestId("scrape-config")).toContainText('credentials: "<your metrics token>"');
  await expect(metrics.getByTestId("scrape-config")).toContainText(`targets: ["127.0.0.1:${new URL(admin.url).port}"]`);
  expect((await page.request.get(admin.url + "/metrics")).status()).toBe(404);
  await metrics.getByRole("button", { name: "Generate token" }).click();
  const token = await metrics.getByTestId("metrics-token").inputValue();
  expect(token).toMatch(/^hub-metrics-/);
  await expect(metrics.getByTestId("metrics-token-status")).toContainText("Token set");
  const scraped = await page.request.get(admin.url + "/metrics", { headers: { authorization: `Bearer ${token}` } });
  expect(scraped.status()).toBe(200);
  expect(await scraped.text()).toContain("aihub_requests_total");
  await screenshot(page, "admin-settings-metrics-token", { fullPage: true });
  await page.reload();
  await expect(page.getByTestId("metrics-token-status")).toContainText("Token set");
  await expect(page.getByTestId("metrics-token")).toHaveCount(0);

  // A call carrying a secret: the drawer shows both bodies, pretty-printed, the secret masked in each.
  const secret = "sk-proj-E2eSecretNeverShown0123456789";
  const requestId = `e2e-bodies-${Date.now()}`;
  const res = await page.request.post(admin.url + "/api/v2/chat/completions", {
    headers: { authorization: `Bearer ${webKey}`, "x-request-id": requestId },
    data: { model: "mock/mock-chat", messages: [{ role: "user", content: `Hello, my key is ${secret}` }] },
  });
  expect(res.status()).toBe(200);
  await page.goto(admin.url + "/usage/calls?scope=all&range=24h");
  const row = page.getByTestId("call-log").locator("tbody tr").first();
  await expect(row).toContainText("mock-chat");
  await row.getByRole("button").click();
  const drawer = page.getByRole("dialog", { name: "Call details" });
  await expect(drawer).toContainText(requestId);
  const request = drawer.getByTestId("call-body-request-body");
  await expect(request).toContainText('"content": "Hello, my key is [redacted]"');
  await expect(drawer.getByTestId("call-body-response-body")).toContainText(
    "Mock reply to: Hello, my key is [redacted]",
  );
  await expect(drawer).not.toContainText(secret);
  await drawer.getByTestId("call-body-response-body").scrollIntoViewIfNeeded();
  await screenshot(page, "usage-call-drawer-bodies");
});

test("the Responses store retention is a setting, and the call drawer shows which tools a Responses call left out", async () => {
  // Stored by default; GET and DELETE by id go through Remix's router in the production build ($id routes).
  const auth = { authorization: `Bearer ${webKey}` };
  const created = await page.request.post(admin.url + "/v1/responses", {
    headers: auth,
    data: { model: "mock/mock-chat", input: "keep me" },
  });
  const { id } = await created.json();
  expect((await (await page.request.get(`${admin.url}/v1/responses/${id}`, { headers: auth })).json()).id).toBe(id);
  expect(
    await (await page.request.delete(`${admin.url}/api/v2/responses/${id}`, { headers: auth })).json(),
  ).toMatchObject({ deleted: true });
  const gone = await page.request.get(`${admin.url}/v1/responses/${id}`, { headers: auth });
  expect(gone.status()).toBe(404);
  expect((await gone.json()).error.message).toBe(`Response with id '${id}' not found.`);

  await page.goto(admin.url + "/admin/settings");
  const records = page.getByRole("form", { name: "Call records" });
  await expect(records.getByLabel("Keep Responses API answers for (days)")).toHaveValue("30");
  await records.getByLabel("Keep Responses API answers for (days)").fill("0");
  await records.getByRole("button", { name: "Save call records" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Call records saved" })).toBeVisible();
  const refused = await page.request.post(admin.url + "/v1/responses", {
    headers: { authorization: `Bearer ${webKey}` },
    data: { model: "mock/mock-chat", input: "again", previous_response_id: "resp_earlier" },
  });
  expect(refused.status()).toBe(400);
  expect((await refused.json()).error.code).toBe("responses_store_disabled");

  const requestId = `e2e-responses-${Date.now()}`;
  const res = await page.request.post(admin.url + "/v1/responses", {
    headers: { authorization: `Bearer ${webKey}`, "x-request-id": requestId },
    data: { model: "mock/mock-chat", input: "Search for me", tools: [{ type: "web_search" }] },
  });
  expect(res.status()).toBe(200);
  expect((await res.json()).store).toBe(false);
  await page.goto(admin.url + "/usage/calls?scope=all&range=24h");
  await page.getByTestId("call-log").locator("tbody tr").first().getByRole("button").click();
  const drawer = page.getByRole("dialog", { name: "Call details" });
  await expect(drawer).toContainText(requestId);
  await expect(drawer).toContainText("/v1/responses");
  await expect(drawer).toContainText("Left out tools the provider cannot run: web_search");
});
