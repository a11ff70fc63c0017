/**
 * Every page fits a phone (390 px) and a laptop (1280 px): the layout check (./fixtures/layout-check.ts) fails on
 * sideways scrolling of the page, on anything clipped where it cannot be scrolled to, and at 1280 px on any table
 * hiding a column. The hub has a bit of everything first: a provider, a priced model, keys, successful and failed
 * calls, a quota, an IP rule, audit entries, billing on with balances, a pending device code.
 * Screenshots of each page at each width go to test-results/layout/ for a human look.
 */
import type { Page } from "@playwright/test";
import { layoutProblems, type LayoutProblem } from "./fixtures/layout-check";
import { waitForHydration } from "./fixtures/pages";
import { expect, lastLine, test, type Hub } from "./fixtures/test";

const WIDTHS = [390, 1280] as const;

let hub: Hub;
let userCode: string;

test.setTimeout(180_000);

test.use({
  hubSetup: {
    cli: [
      ["providers", "add", "--kind", "mock", "--name", "mock"],
      // Tiny rates, so calls cost a few millionths of a credit (the amounts that used to print as 0.0000040).
      ["models", "add", "--provider", "mock", "--model", "mock-chat", "--input-rate", "0.15", "--output-rate", "0.6"],
      ["users", "create", "--email", "dev@example.com", "--name", "Devon Longname-Example"],
      ["credits", "grant", "--user", "dev@example.com", "--amount", "25"],
    ],
    settings: { billingEnabled: true },
  },
});
test.beforeAll(({ hub: started }) => {
  hub = started;
});

async function settle(page: Page): Promise<void> {
  await expect(page.locator("h1").first()).toBeVisible();
  await page.waitForLoadState("networkidle");
  await waitForHydration(page);
  await expect(page.getByText(/^Loading\b/)).toHaveCount(0);
}

async function check(page: Page, name: string, path: string, found: LayoutProblem[]): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(hub.url + path);
    await settle(page);
    await page.screenshot({ path: `test-results/layout/${name}-${width}.png`, fullPage: true });
    const problems = await layoutProblems(page, { allowScroll: width < 640 });
    // The first few per page are enough to find the cause (a clipped column has one problem per row).
    for (const p of problems.slice(0, 4)) found.push({ what: `${name} at ${width} px: ${p.what}`, why: p.why });
    if (problems.length > 4) found.push({ what: `${name} at ${width} px`, why: `and ${problems.length - 4} more` });
  }
}

test("signed out: sign-in and setup fit both widths", async ({ page }) => {
  const found: LayoutProblem[] = [];
  await check(page, "signin", "/signin", found);
  const setup = hub.setupLink;
  expect(setup).toBeTruthy();
  await check(page, "setup", new URL(setup ?? "").pathname + new URL(setup ?? "").search, found);
  expect(found).toEqual([]);
});

test("signed in: every page fits 390 px and 1280 px", async ({ ownerPage: page, owner }) => {
  hub.cli(["credits", "grant", "--user", owner.email, "--amount", "10"]);
  const ownerKey = lastLine(
    hub.cli(["keys", "create", "--user", owner.email, "--name", "laptop", "--app", "notebook"]),
  );
  const devKey = lastLine(
    hub.cli(["keys", "create", "--user", "dev@example.com", "--name", "ci-pipeline", "--app", "ci"]),
  );
  const call = (key: string, content: string) =>
    page.request.post(hub.url + "/api/v2/chat/completions", {
      headers: { authorization: `Bearer ${key}` },
      data: { model: "mock/mock-chat", messages: [{ role: "user", content }], max_tokens: 50 },
    });
  for (const [key, text] of [
    [ownerKey, "Hello there"],
    [ownerKey, "How are you"],
    [devKey, "Build passed?"],
    [devKey, "Summarise the log"],
  ] as const) {
    expect((await call(key, text)).status()).toBe(200);
  }
  expect((await call(devKey, "please fail [[error]]")).status()).toBe(500);

  // A quota and an IP rule through the console's own API (real HTTP, same origin), which also audits them.
  await page.goto(hub.url + "/admin");
  const trpc = (path: string, input: unknown) =>
    page.evaluate(
      async ([p, i]) =>
        (
          await fetch(`/api/trpc/${p}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(i),
          })
        ).status,
      [path, input] as const,
    );
  expect(await trpc("quotas.set", { scope: "global", requestsPerMinute: 600, tokensPerDay: 2_000_000 })).toBe(200);
  expect(
    await trpc("ipRules.create", {
      action: "deny",
      cidr: "203.0.113.0/24",
      note: "A scraper that ignored the rate limits",
    }),
  ).toBe(200);

  const device = await page.request.post(hub.url + "/api/device/code", { form: { client_name: "aigne-cli" } });
  userCode = ((await device.json()) as { user_code: string }).user_code;

  const found: LayoutProblem[] = [];
  const pages: Array<[string, string]> = [
    ["usage", "/usage?range=7d"],
    ["calls", "/usage/calls?range=7d"],
    ["calls-all", "/usage/calls?scope=all&range=7d"],
    ["keys", "/keys"],
    ["playground", "/playground"],
    ["billing", "/billing"],
    ["device", "/device"],
    ["device-approve", `/device?user_code=${encodeURIComponent(userCode)}`],
    ["admin", "/admin"],
    ["admin-providers", "/admin/providers"],
    ["admin-models", "/admin/models"],
    ["admin-users", "/admin/users"],
    ["admin-keys", "/admin/keys"],
    ["admin-quotas", "/admin/quotas"],
    ["admin-ip-rules", "/admin/ip-rules"],
    ["admin-settings", "/admin/settings"],
    ["admin-audit", "/admin/audit"],
    ["admin-usage", "/admin/usage?range=7d"],
    ["admin-billing", "/admin/billing"],
    ["not-found", "/no-such-page"],
  ];
  for (const [name, path] of pages) await check(page, name, path, found);
  expect(found).toEqual([]);

  // On a phone: a key's Rotate and Revoke are on screen without scrolling anything sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(hub.url + "/keys");
  await waitForHydration(page);
  for (const name of ["Rotate laptop", "Revoke laptop"])
    await expect(page.getByRole("button", { name })).toBeInViewport({ ratio: 1 });
  // Every admin section is one tap away in the menu, and choosing one closes it.
  await page.goto(hub.url + "/admin/quotas");
  await waitForHydration(page);
  await page.getByText("Admin · Quotas").click();
  const sections = page.getByRole("navigation", { name: "Admin" }).getByRole("link");
  await expect(sections).toHaveCount(11);
  for (const link of await sections.all()) await expect(link).toBeInViewport({ ratio: 1 });
  await sections.filter({ hasText: "Audit log" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Admin" })).toBeHidden();
});
