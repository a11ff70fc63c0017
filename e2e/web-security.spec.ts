/**
 * Web-side security against the production build: pages carry a Content-Security-Policy whose nonce is on every
 * script they hold (and the browser runs them without a violation: the CSP guard in ./fixtures/test.ts), the other security
 * headers, a 403 page for posts from another site or from nowhere (the action never runs, the log says why at
 * warn level), the admin Billing form's setting rules per field and role, and sign-in redirects that never leave
 * the hub. People sign in with sessions written straight into the database as the hub writes them: the SHA-256
 * of the cookie's token.
 */
import { createHash, randomBytes } from "node:crypto";
import { waitForHydration } from "./fixtures/pages";
import { expect, test, type Hub } from "./fixtures/test";

type Role = "owner" | "admin" | "member";

let owned: Hub;
const tokens = {} as Record<Role, string>;

test.use({
  hubSetup: {
    cli: (["owner", "admin", "member"] as const).map((role) => [
      "users",
      "create",
      "--email",
      `${role}@example.com`,
      "--role",
      role,
    ]),
    prepare: async (_dataDir, prep) => {
      for (const role of ["owner", "admin", "member"] as const) {
        tokens[role] = randomBytes(32).toString("base64url");
        const { rows } = await prep.execute({
          sql: "select id from users where email = ?",
          args: [`${role}@example.com`],
        });
        await prep.execute({
          sql: "insert into sessions (id, user_id, expires_at, created_at) values (?, ?, ?, ?)",
          args: [
            createHash("sha256").update(tokens[role]).digest("hex"),
            String(rows[0]!.id),
            Math.floor(Date.now() / 1000) + 3600,
            Date.now(),
          ],
        });
      }
    },
  },
});
test.describe.configure({ mode: "serial" });
test.beforeAll(({ hub }) => {
  owned = hub;
});

const cookie = (role: Role) => `hub_session=${tokens[role]}`;

async function setting(key: string): Promise<unknown> {
  const { rows } = await owned.db.execute({ sql: "select value from settings where key = ?", args: [key] });
  return rows[0]?.value ?? null;
}

async function settingsAudits(role: Role): Promise<number> {
  const { rows } = await owned.db.execute({
    sql: "select count(*) as n from audit_log where action = 'settings.update' and actor_label = ?",
    args: [`${role}@example.com`],
  });
  return Number(rows[0]!.n);
}

test("pages carry a CSP whose nonce is on every script, and the other security headers", async ({ browser }) => {
  const nonces = new Set<string>();
  for (const page of ["/usage", "/admin/billing", "/keys"]) {
    const response = await fetch(owned.url + page, { headers: { cookie: cookie("owner") } });
    expect(response.status, page).toBe(200);
    const csp = response.headers.get("content-security-policy") ?? "";
    const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(nonce, csp).toBeTruthy();
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(response.headers.get("permissions-policy")).toMatch(/camera=\(\)/);
    const html = await response.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length, page).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag, page).toContain(`nonce="${nonce}"`);
    nonces.add(nonce!);
  }
  expect(nonces.size).toBe(3); // a new nonce for every page

  // And the browser runs them: the pages hydrate, and the CSP guard (./fixtures/test.ts) fails this test on any violation.
  const context = await browser.newContext();
  await context.addCookies([{ name: "hub_session", value: tokens.owner, url: owned.url }]);
  const page = await context.newPage();
  for (const path of ["/usage", "/admin/billing", "/keys", "/billing"]) {
    await page.goto(owned.url + path);
    await waitForHydration(page);
  }
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Usage", exact: true }).click(); // client-side
  await expect(page).toHaveURL(/\/usage$/);
  await context.close();
});

test("assets and API answers carry the security headers too", async () => {
  for (const url of ["/favicon.svg", "/healthz", "/api/v2/models"]) {
    const response = await fetch(owned.url + url);
    expect(response.headers.get("x-content-type-options"), url).toBe("nosniff");
    expect(response.headers.get("content-security-policy"), url).toMatch(/^default-src 'none'/);
    await response.arrayBuffer();
  }
});

test("a post to a page from another site, or from nowhere, gets a 403 page; the action does not run", async () => {
  const before = await setting("billingEnabled");
  const logBefore = owned.output().length;
  const attempts: Array<Record<string, string>> = [
    { origin: "https://evil.example" },
    { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    {},
  ];
  for (const headers of attempts) {
    const response = await fetch(owned.url + "/admin/billing", {
      method: "POST",
      redirect: "manual",
      headers: {
        cookie: cookie("owner"),
        accept: "text/html",
        "content-type": "application/x-www-form-urlencoded",
        ...headers,
      },
      body: "intent=settings&billingEnabled=on",
    });
    expect(response.status, JSON.stringify(headers)).toBe(403);
    expect(await response.text()).toMatch(/another site/);
  }
  expect(await setting("billingEnabled")).toEqual(before);
  // Sign-out, a form too, refuses a post without any origin: the session still works afterwards.
  const signOut = await fetch(owned.url + "/signout", {
    method: "POST",
    redirect: "manual",
    headers: { cookie: cookie("owner") },
  });
  expect(signOut.status).toBe(403);
  expect((await fetch(owned.url + "/keys", { redirect: "manual", headers: { cookie: cookie("owner") } })).status).toBe(
    200,
  );

  const log = owned.output().slice(logBefore);
  expect(log).toMatch(/"level":"warn","msg":"cross-site form post refused"/);
  expect(log).not.toMatch(/"level":"error"/);
  expect(log).not.toMatch(/Unexpected Server Error|at [\w.]+ \(.*:\d+:\d+\)/);
});

/** Each field of the Billing settings form, a value to post, and the setting it writes. */
const FIELDS: Array<{ field: string; value: (role: Role) => string; key: string }> = [
  { field: "billingEnabled", value: () => "on", key: "billingEnabled" },
  { field: "paymentLink", value: () => "https://buy.stripe.com/e2e", key: "paymentLink" },
  { field: "creditPrice", value: () => "0.5", key: "creditPriceMicroUsd" },
  { field: "margin", value: () => "15", key: "profitMarginBps" },
  { field: "newUserGrant", value: () => "3", key: "newUserGrantMicro" },
  { field: "lowBalance", value: (role) => (role === "owner" ? "7" : "4"), key: "lowBalanceWarningMicro" },
  { field: "webhookSecret", value: () => "whsec_e2eSecret", key: "stripeWebhookSecretSealed" },
];

for (const role of ["member", "admin", "owner"] as const) {
  test(`the Billing settings form as ${role}: each field changed or refused with a 403`, async () => {
    for (const { field, value, key } of FIELDS) {
      const allowed = role === "owner" || (role === "admin" && field === "lowBalance");
      const before = await setting(key);
      const audits = await settingsAudits(role);
      const response = await fetch(owned.url + "/admin/billing", {
        method: "POST",
        redirect: "manual",
        headers: { cookie: cookie(role), origin: owned.url, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ intent: "settings", [field]: value(role) }).toString(),
      });
      const page = await response.text();
      if (allowed) {
        expect(response.status, field).toBe(200);
        expect(page).toContain("Billing settings saved.");
        expect(await setting(key), field).not.toEqual(before);
        expect(await settingsAudits(role), field).toBe(audits + 1);
      } else {
        expect(response.status, field).toBe(403);
        expect(page, field).toMatch(role === "member" ? /Only owners and admins/ : /Only the owner can change/);
        expect(await setting(key), field).toEqual(before);
        expect(await settingsAudits(role), field).toBe(audits);
      }
    }
  });
}

test("the admin sees the owner's billing settings greyed out, and saves the warning threshold", async ({ browser }) => {
  const context = await browser.newContext();
  await context.addCookies([{ name: "hub_session", value: tokens.admin, url: owned.url }]);
  const page = await context.newPage();
  await page.goto(owned.url + "/admin/billing");
  await waitForHydration(page);
  const form = page.getByRole("form", { name: "Billing settings" });
  await expect(form.getByText("Only the owner can change the greyed-out settings.")).toBeVisible();
  await expect(form.getByLabel("Price of one credit (USD)")).toBeDisabled();
  await expect(form.getByLabel(/Bill calls in credits/)).toBeDisabled();
  await form.getByLabel("Warn below (credits)").fill("2");
  await form.getByRole("button", { name: "Save settings" }).click();
  await expect(form.getByRole("status")).toHaveText("Billing settings saved.");
  expect(await setting("lowBalanceWarningMicro")).toBe("2000000"); // stored as JSON text
  await context.close();
});

test("sign-in sends a signed-in person only to paths on the hub", async () => {
  const landing = async (next: string) => {
    const response = await fetch(`${owned.url}/signin?next=${next}`, {
      redirect: "manual",
      headers: { cookie: cookie("member") },
    });
    await response.arrayBuffer();
    return response.headers.get("location");
  };
  const offSite = [
    "//evil.example",
    "/%5Cevil.example",
    "/%09/evil.example",
    "/%0A/evil.example",
    "/%252F%252Fevil.example",
  ];
  for (const next of [...offSite, "javascript:alert(1)", "https%3A%2F%2Fevil.example"]) {
    expect(await landing(next), next).toBe("/usage");
  }
  expect(await landing(encodeURIComponent("/usage/calls?model=mock%2Fmock-chat"))).toBe(
    "/usage/calls?model=mock%2Fmock-chat",
  );
});
