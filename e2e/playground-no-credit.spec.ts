/**
 * The playground on a hub with billing on and no credit (docs/decisions/006-playground.md): a prompt is answered
 * with the insufficient-credit error and the payment link, the prompt is kept, and the hub records the failed call.
 */
import { MOCK_MODELS, openPlayground, signedInPage } from "./fixtures/playground";
import { expect, test } from "./fixtures/test";

const PAYMENT_LINK = "https://buy.stripe.com/test_playground";

test.use({ hubSetup: { cli: MOCK_MODELS, settings: { billingEnabled: true, paymentLink: PAYMENT_LINK } } });

test("the insufficient-credit error is shown with the payment link", async ({ browser, hub, ownerState }) => {
  const { page, problems } = await signedInPage(browser, ownerState);
  await openPlayground(page, hub.url + "/playground");
  await page.getByLabel("Message").fill("Hello without credit");
  await page.getByLabel("Message").press("Enter");
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("Not enough credit (402)");
  const buy = alert.getByRole("link", { name: "Buy credits" });
  await expect(buy).toHaveAttribute("href", new RegExp(`^${PAYMENT_LINK}\\?client_reference_id=usr_`));
  await expect(alert).not.toContainText("buy.stripe.com"); // the button, not the raw address
  await expect(page.getByRole("status", { name: "Credit" })).toContainText("You are out of credit.");
  await expect(page.getByLabel("Message")).toHaveValue("Hello without credit");
  await page.screenshot({ path: "test-results/playground-402.png", fullPage: true });
  const call = (
    await hub.db.execute(
      "select app_name, status, http_status, error_code from model_calls order by created_at desc limit 1",
    )
  ).rows[0]!;
  expect({ ...call }).toEqual({
    app_name: "playground",
    status: "failed",
    http_status: 402,
    error_code: "insufficient_quota",
  });
  expect(problems).toEqual([]);
  await page.close();
});
