/**
 * The usage pages against the production build with 5,000 seeded calls (npm run seed:usage): the admin Usage page's
 * total equals the database's count for the shown range, a model filter changes it to that model's count, the CSV
 * download has one line per call, the 7-day chart has a point per day, My usage shows the owner's own calls, and
 * the call log opens a call's drawer.
 * Screenshots go to test-results/ for a human look.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import type { Page } from "@playwright/test";
import { expect, test, type Hub } from "./fixtures/test";

let hub: Hub;

test.use({
  hubSetup: {
    async prepare(dataDir) {
      execFileSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "bench/seed-usage.ts", "--rows", "5000"], {
        env: { ...process.env, HUB_DATA_DIR: dataDir, LOG_LEVEL: "silent" },
        stdio: "pipe",
      });
    },
  },
});
test.beforeAll(({ hub: started }) => {
  hub = started;
});

async function countCalls(where: string, args: Array<string | number>): Promise<number> {
  const rs = await hub.db.execute({ sql: `select count(*) as n from model_calls where ${where}`, args });
  return Number(rs.rows[0]!.n);
}

async function shownRange(page: Page): Promise<[number, number]> {
  const dash = page.getByTestId("usage-dashboard");
  return [Number(await dash.getAttribute("data-from")), Number(await dash.getAttribute("data-to"))];
}

const shownTotal = async (page: Page) =>
  Number((await page.getByTestId("total-requests").innerText()).replace(/,/g, ""));

test.setTimeout(120_000);

test("usage pages: totals match the database, filters change them, the CSV has every row", async ({
  ownerPage: page,
}) => {
  await page.setViewportSize({ width: 1360, height: 900 });

  // Admin Usage: everyone's calls in the last 30 days.
  await page.goto(hub.url + "/admin/usage?range=30d");
  await expect(page.getByTestId("total-requests")).toBeVisible({ timeout: 30_000 });
  const [from, to] = await shownRange(page);
  const all = await countCalls("created_at >= ? and created_at < ?", [from, to]);
  expect(all).toBeGreaterThan(4000);
  expect(await shownTotal(page)).toBe(all);
  await expect(page.getByRole("region", { name: "Requests" }).locator(".recharts-bar-rectangle").first()).toBeVisible();
  await page.screenshot({ path: "test-results/usage-admin.png", fullPage: true });

  // Last 7 days by day: seven whole UTC days, one point each on the latency chart.
  await page.goto(hub.url + "/admin/usage?range=7d");
  await expect(page.getByTestId("total-requests")).toBeVisible();
  const [weekFrom, weekTo] = await shownRange(page);
  expect(weekTo - weekFrom).toBe(7 * 86_400_000);
  expect(weekTo % 86_400_000).toBe(0);
  expect(await shownTotal(page)).toBe(await countCalls("created_at >= ? and created_at < ?", [weekFrom, weekTo]));
  const durationP50 = page.getByRole("region", { name: "Latency" }).locator(".recharts-line-dots").first();
  await expect(durationP50.locator(".recharts-line-dot")).toHaveCount(7);
  await page.screenshot({ path: "test-results/usage-admin-7d.png", fullPage: true });
  await page.goto(hub.url + "/admin/usage?range=30d");
  await expect(page.getByTestId("total-requests")).toBeVisible();

  // A model filter narrows the numbers to that model's calls.
  await page.getByLabel("Model").selectOption("gpt-4o");
  const model = await countCalls("created_at >= ? and created_at < ? and model = ?", [from, to, "gpt-4o"]);
  expect(model).toBeLessThan(all);
  await expect.poll(() => shownTotal(page)).toBe(model);

  // The calls CSV of the filtered view: a header and one line per call.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download calls (CSV)" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^usage-calls-.*\.csv$/);
  const csv = fs
    .readFileSync(await download.path(), "utf8")
    .trimEnd()
    .split("\r\n");
  expect(csv[0]).toMatch(/^created_at,request_id,user,/);
  expect(csv.length - 1).toBe(model);
  expect(csv.slice(1).every((line) => line.includes(",gpt-4o,"))).toBe(true);

  // My usage: give the owner one seeded user's calls (raw and rollups), then the page shows exactly those.
  const owner = String((await hub.db.execute("select id from users where role = 'owner'")).rows[0]!.id);
  const seeded = String(
    (await hub.db.execute("select user_id from model_calls group by user_id order by count(*) desc limit 1")).rows[0]!
      .user_id,
  );
  await hub.db.batch([
    { sql: "update model_calls set user_id = ? where user_id = ?", args: [owner, seeded] },
    { sql: "update usage_rollups set user_id = ? where user_id = ?", args: [owner, seeded] },
  ]);
  await page.goto(hub.url + "/usage?range=30d");
  await expect(page.getByTestId("total-requests")).toBeVisible();
  const [mineFrom, mineTo] = await shownRange(page);
  expect(await shownTotal(page)).toBe(
    await countCalls("created_at >= ? and created_at < ? and user_id = ?", [mineFrom, mineTo, owner]),
  );
  await page.screenshot({ path: "test-results/usage-mine.png", fullPage: true });

  // An empty range shows an empty state rather than empty charts.
  await page.getByLabel("Model").selectOption("mock-chat");
  await page.getByLabel("Provider").selectOption("openai");
  await expect(page).toHaveURL(/model=mock-chat&providerName=openai/);
  await expect(page.getByText("No calls in this range")).toBeVisible();
  await page.screenshot({ path: "test-results/usage-empty.png", fullPage: true });

  // The call log, everyone's, filtered by status; a row opens the drawer.
  await page.goto(hub.url + "/usage/calls?scope=all&range=30d&status=failed");
  await expect(page.getByRole("heading", { name: "Call log (all users)" })).toBeVisible();
  const rows = page.getByTestId("call-log").locator("tbody tr");
  await expect(rows.first()).toContainText("failed");
  await page.screenshot({ path: "test-results/usage-calls.png", fullPage: true });
  await rows.first().getByRole("button").click();
  const drawer = page.getByRole("dialog", { name: "Call details" });
  await expect(drawer).toBeVisible();
  await expect(drawer.getByText("Request id")).toBeVisible();
  await expect(drawer.getByText("upstream_error")).toBeVisible();
  await page.screenshot({ path: "test-results/usage-call-drawer.png" });
  await page.keyboard.press("Escape");
  await expect(drawer).toBeHidden();

  // The API filter: only calls that came in on Anthropic's Messages API, in the table, the drawer and the CSV.
  await page.goto(hub.url + "/usage/calls?scope=all&range=30d");
  await expect(rows.first()).toBeVisible();
  await page.getByLabel("API").selectOption("messages");
  await expect(page).toHaveURL(/api=messages/);
  await expect(rows.first().getByTestId("call-api")).toHaveText("Anthropic Messages");
  await expect
    .poll(async () => new Set(await rows.getByTestId("call-api").allInnerTexts()))
    .toEqual(new Set(["Anthropic Messages"]));
  await rows.first().getByRole("button").click();
  await expect(drawer.getByText("Anthropic Messages")).toBeVisible();
  await expect(drawer.getByText("/v1/messages")).toBeVisible();
  await page.keyboard.press("Escape");
  const [filtered] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download calls (CSV)" }).click(),
  ]);
  const query = new URL(filtered.url()).searchParams;
  expect(query.get("api")).toBe("messages");
  const lines = fs
    .readFileSync(await filtered.path(), "utf8")
    .trimEnd()
    .split("\r\n");
  const apiColumn = lines[0]!.split(",").indexOf("api");
  expect(apiColumn).toBeGreaterThan(0);
  const shown = [Number(query.get("from")), Number(query.get("to"))];
  const messages = await countCalls("created_at >= ? and created_at < ? and api = ?", [...shown, "messages"]);
  expect(messages).toBeGreaterThan(0);
  expect(messages).toBeLessThan(await countCalls("created_at >= ? and created_at < ?", shown));
  expect(lines.length - 1).toBe(messages);
  expect(lines.slice(1).every((line) => line.split(",")[apiColumn] === "messages")).toBe(true);
  await page.screenshot({ path: "test-results/usage-calls-api-filter.png", fullPage: true });
});
