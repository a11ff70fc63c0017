/**
 * The connect flows end to end against the production build: a tool (this test, speaking HTTP exactly as
 * @aigne/cli or an RFC 8628 client does) starts a session and polls, while the owner approves in the browser;
 * the tool ends up with a working key bound to its app.
 */
import {
  aigneApprovalUrl,
  aigneCliCollect,
  aigneCliStart,
  deviceFlowPoll,
  deviceFlowStart,
} from "../test/helpers/connect-clients";
import { expect, test, type Hub } from "./fixtures/test";

// The worker's shared hub, as it starts: no provider, only the owner.
let owned: Hub;
test.beforeAll(({ hub }) => {
  owned = hub;
});

const me = async (apiKey: string) => {
  const response = await fetch(`${owned.url}/api/v2/me`, { headers: { authorization: `Bearer ${apiKey}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as { email: string; key: { appName: string | null; name: string } };
};

test("AIGNE CLI connect: the tool polls while the owner approves in the browser", async ({
  page: signedOut,
  ownerPage: page,
}) => {
  const { id } = await aigneCliStart(owned.url);
  const approvalUrl = aigneApprovalUrl(owned.url, id);

  // Signed out, the approval page sends the person to sign in and back to exactly this page.
  await signedOut.goto(approvalUrl);
  await expect(signedOut).toHaveURL(/\/signin\?next=/);
  const next = new URL(signedOut.url()).searchParams.get("next")!;
  expect(owned.url + next).toBe(approvalUrl);

  // The tool polls every 1.5 s, as @aigne/cli does, while the owner (signed in now) comes back to that page.
  const collecting = aigneCliCollect(owned.url, id, { intervalMs: 1500, timeoutMs: 45_000 });
  await page.goto(owned.url + next);
  await expect(page.getByRole("heading", { name: "Connect an app" })).toBeVisible();
  await expect(page.getByTestId("connect-app-name")).toHaveText("AIGNE CLI");
  await expect(page.getByText("grace@example.com")).toBeVisible();
  await page.screenshot({ path: "test-results/connect-aigne-approve.png", fullPage: true });
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByText("Approved", { exact: true })).toBeVisible();
  await page.screenshot({ path: "test-results/connect-aigne-approved.png", fullPage: true });

  const { apiKey, polls } = await collecting;
  expect(polls).toBeGreaterThan(1);
  expect(await me(apiKey)).toMatchObject({
    email: "grace@example.com",
    key: { appName: "AIGNE CLI", name: "AIGNE CLI (connected)" },
  });

  // The session worked once: polling it again is refused, and the page says it was answered.
  const again = await fetch(`${owned.url}/.well-known/service/api/access-key/session?sid=${id}`);
  expect(again.status).toBe(410);
  await page.reload();
  await expect(page.getByText("Approved", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Approve" })).toHaveCount(0);

  // The key shows up on the Keys page, bound to the app.
  await page.goto(owned.url + "/keys");
  await expect(page.getByTestId(`key-row-${apiKey.slice(0, 13)}`)).toContainText("App: AIGNE CLI");
});

test("RFC 8628 device flow: the code typed on /device, approved, polled for the token; a denial ends it", async ({
  ownerPage: page,
}) => {
  const start = await deviceFlowStart(owned.url, "e2e-device-tool");
  expect(start.verification_uri).toBe(`${owned.url}/device`);
  const polling = deviceFlowPoll(owned.url, start);

  await page.goto(start.verification_uri);
  await page.getByLabel("Code").fill(start.user_code.toLowerCase().replace("-", ""));
  await page.screenshot({ path: "test-results/connect-device-code.png", fullPage: true });
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByTestId("connect-app-name")).toHaveText("e2e-device-tool");
  await expect(page.getByText(start.user_code)).toBeVisible();
  await page.screenshot({ path: "test-results/connect-device-approve.png", fullPage: true });
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByText("Approved", { exact: true })).toBeVisible();

  const { accessToken, tokenType } = await polling;
  expect(tokenType).toBe("Bearer");
  expect(await me(accessToken)).toMatchObject({ email: "grace@example.com", key: { appName: "e2e-device-tool" } });

  const denied = await deviceFlowStart(owned.url, "unwanted-tool");
  const deniedPoll = deviceFlowPoll(owned.url, denied).then(
    () => "granted",
    (e: Error) => e.message,
  );
  await page.goto(denied.verification_uri_complete);
  await expect(page.getByTestId("connect-app-name")).toHaveText("unwanted-tool");
  await page.getByRole("button", { name: "Deny" }).click();
  await expect(page.getByText("Denied", { exact: true })).toBeVisible();
  expect(await deniedPoll).toBe("device flow failed: access_denied");
});
