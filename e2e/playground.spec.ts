/**
 * The playground in Chromium against the production build and the mock provider (docs/decisions/006-playground.md): an answer streams in
 * word by word (measured in the page), Stop aborts it and the hub records the call as aborted with its tokens,
 * the conversation survives a reload and can be renamed and deleted, compare mode answers twice, images and an
 * embedding come back, View code shows the request, and errors are said plainly: a 429 from the provider (and, in
 * ./playground-no-credit.spec.ts, a 402 with the payment link). Screenshots go to test-results/.
 */
import type { Page } from "@playwright/test";
import { MOCK_MODELS, openPlayground, signedInPage } from "./fixtures/playground";
import { waitForHydration } from "./fixtures/pages";
import { expect, test, type Hub } from "./fixtures/test";

const chatLog = (page: Page) => page.getByTestId("chat-log");
const lastAnswer = (page: Page) => chatLog(page).getByTestId("assistant-message").last();

test.use({ hubSetup: { cli: MOCK_MODELS } });
test.describe.configure({ mode: "serial" });

test.describe("playground with the mock provider", () => {
  let hub: Hub;
  let page: Page;
  let problems: string[];

  test.beforeAll(async ({ browser, hub: started, ownerState }) => {
    hub = started;
    ({ page, problems } = await signedInPage(browser, ownerState));
  });
  test.afterAll(async () => {
    await page?.close();
  });

  test("an answer streams in word by word, with its tokens, times and cost, and survives a reload", async () => {
    await openPlayground(page, hub.url + "/playground");
    const model = page.getByLabel("Model", { exact: true });
    await expect(model).toHaveValue("mock/mock-chat");
    // The menu names the model whole; its rate is in the option's title and in full under the menu.
    await expect(model.locator("option", { hasText: "mock-chat" })).toHaveAttribute(
      "title",
      "mock-chat — $1000 in · $2000 out / 1M tokens",
    );
    await expect(page.locator("#chat-model-rate")).toHaveText("$1000 in · $2000 out / 1M tokens");
    await page.getByLabel("System prompt").fill("Answer briefly.");
    await page.getByLabel("Temperature").fill("0.3");
    await page.getByLabel("Max tokens").fill("200");

    // Record, inside the page, when the streaming answer's text grows: proof that tokens arrive one by one.
    await page.evaluate(() => {
      const log = document.querySelector("[data-testid=chat-log]")!;
      const growth: Array<{ t: number; len: number }> = [];
      (window as unknown as { __growth: typeof growth }).__growth = growth;
      new MutationObserver(() => {
        const answers = log.querySelectorAll("[data-testid=assistant-message] [aria-busy=true]");
        const len = answers[answers.length - 1]?.textContent?.replace("Waiting for the first token…", "").length ?? 0;
        if (len > (growth.at(-1)?.len ?? 0)) growth.push({ t: performance.now(), len });
      }).observe(log, { subtree: true, childList: true, characterData: true });
    });
    const prompt = "[[delay=120]] Tell me about **streams** in one two three four";
    await page.getByLabel("Message").fill(prompt);
    await page.getByLabel("Message").press("Enter");
    await expect(page.getByRole("button", { name: "Stop" })).toBeVisible();
    await expect(lastAnswer(page).getByTestId("answer-metrics")).toContainText("credits");
    await expect(lastAnswer(page)).toContainText(
      "Mock reply to: [[delay=120]] Tell me about streams in one two three four",
    );
    await expect(lastAnswer(page).locator("strong")).toHaveText("streams"); // Markdown, rendered as elements

    const growth = await page.evaluate(
      () => (window as unknown as { __growth: Array<{ t: number; len: number }> }).__growth,
    );
    expect(growth.length, JSON.stringify(growth)).toBeGreaterThanOrEqual(6);
    expect(growth.at(-1)!.t - growth[0]!.t, JSON.stringify(growth)).toBeGreaterThan(500); // 13 words 120 ms apart
    const gaps = growth.slice(1).map((g, i) => g.t - growth[i]!.t);
    expect(gaps.filter((g) => g >= 60).length, JSON.stringify(gaps)).toBeGreaterThanOrEqual(5);

    const metrics = lastAnswer(page).getByTestId("answer-metrics");
    await expect(metrics).toContainText("mock/mock-chat");
    await expect(metrics).toContainText(/\d+ in · 13 out tokens/);
    await expect(metrics).toContainText(/first token \d/);
    await expect(metrics).toContainText(/total \d/);
    await expect(page).toHaveURL(/[?&]c=conv_/);
    const call = (
      await hub.db.execute(
        "select app_name, access_key_id, status, output_tokens, cost_micro, request_body from model_calls order by created_at desc limit 1",
      )
    ).rows[0]!;
    expect(call).toMatchObject({ app_name: "playground", access_key_id: null, status: "success", output_tokens: 13 });
    expect(Number(call.cost_micro)).toBeGreaterThan(0);
    await page.screenshot({ path: "test-results/playground-chat.png", fullPage: true });

    // The conversation continues with its history and comes back after a reload, settings included.
    await page.getByLabel("Message").fill("And a follow-up?");
    await page.getByRole("button", { name: "Send" }).click();
    await expect(lastAnswer(page).getByTestId("answer-metrics")).toContainText("credits");
    await page.reload();
    await waitForHydration(page);
    await expect(chatLog(page).getByTestId("user-message")).toHaveText([prompt, "And a follow-up?"]);
    await expect(chatLog(page).getByTestId("assistant-message")).toHaveCount(2);
    await expect(lastAnswer(page).getByTestId("answer-metrics")).toContainText(/first token \d/);
    await expect(page.getByLabel("System prompt")).toHaveValue("Answer briefly.");
    await expect(page.getByLabel("Temperature")).toHaveValue("0.3");
    const list = page.getByRole("navigation", { name: "Conversations" });
    await expect(list.locator("[aria-current=page]")).toHaveText(prompt);

    // Continued after it was opened, left, and opened again: it comes back whole, not from a stale cache.
    await page.getByLabel("Message").fill("A third one");
    await page.getByLabel("Message").press("Enter");
    await expect(chatLog(page).getByTestId("assistant-message")).toHaveCount(3);
    await expect(lastAnswer(page).getByTestId("answer-metrics")).toContainText("credits");
    await page.getByRole("button", { name: "New chat" }).click();
    await expect(chatLog(page).getByTestId("assistant-message")).toHaveCount(0);
    await list.getByRole("button", { name: prompt, exact: true }).click();
    await expect(chatLog(page).getByTestId("user-message")).toHaveText([prompt, "And a follow-up?", "A third one"]);
  });

  test("Stop aborts the answer; the hub records the call as aborted with the tokens generated", async () => {
    await page.getByRole("button", { name: "New chat" }).click();
    await expect(page).not.toHaveURL(/[?&]c=/);
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`).join(" ");
    await page.getByLabel("Message").fill(`[[delay=150]] ${words}`);
    await page.getByLabel("Message").press("Enter");
    await expect(chatLog(page).locator("[aria-busy=true]")).toContainText("Mock reply to: [[delay=150]] w0");
    await page.getByRole("button", { name: "Stop" }).click();
    await expect(lastAnswer(page).getByTestId("answer-metrics")).toContainText("stopped");
    await expect(page.getByRole("button", { name: "Send" })).toBeVisible();

    await expect
      .poll(
        async () =>
          (await hub.db.execute("select status from model_calls order by created_at desc limit 1")).rows[0]?.status,
      )
      .toBe("aborted");
    const call = (
      await hub.db.execute(
        "select app_name, access_key_id, http_status, output_tokens, cost_micro from model_calls order by created_at desc limit 1",
      )
    ).rows[0]!;
    expect(call).toMatchObject({ app_name: "playground", access_key_id: null, http_status: 499 });
    expect(Number(call.output_tokens)).toBeGreaterThanOrEqual(4);
    expect(Number(call.output_tokens)).toBeLessThan(44); // the whole answer is 44 words
    expect(Number(call.cost_micro)).toBeGreaterThan(0);
    // What was shown is saved, with the recorded tokens of the stopped call.
    await expect(page).toHaveURL(/[?&]c=conv_/);
    await expect(lastAnswer(page).getByTestId("answer-metrics")).toContainText(`${call.output_tokens} out tokens`);
    await page.screenshot({ path: "test-results/playground-stopped.png", fullPage: true });
  });

  test("conversations are renamed and deleted through dialogs", async () => {
    const list = page.getByRole("navigation", { name: "Conversations" });
    await expect(list.getByTestId("conversation-item")).toHaveCount(2);
    const stopped = list.getByTestId("conversation-item").first();
    await stopped.getByRole("button", { name: /^Rename / }).click();
    const dialog = page.getByRole("dialog", { name: "Rename conversation" });
    await expect(dialog.getByLabel("Title")).toBeFocused();
    await dialog.getByLabel("Title").fill("Stopped on purpose");
    await dialog.getByRole("button", { name: "Rename" }).click();
    await expect(dialog).toBeHidden();
    await expect(list.getByRole("button", { name: "Stopped on purpose", exact: true })).toBeVisible();

    await list.getByRole("button", { name: "Delete Stopped on purpose" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete conversation?" });
    await page.screenshot({ path: "test-results/playground-delete-dialog.png" });
    await confirm.getByRole("button", { name: "Delete" }).click();
    await expect(confirm).toBeHidden();
    await expect(list.getByTestId("conversation-item")).toHaveCount(1);
    await expect(page).not.toHaveURL(/[?&]c=/);
    await expect(chatLog(page).getByTestId("assistant-message")).toHaveCount(0);
  });

  test("a streamed table and code block show as a table and coloured code, also while they stream", async () => {
    // What the answer looks like at each change while it streams: a table and a code block must appear before the
    // answer is done (half a table, an open fence), and the page must raise no error on the way.
    await page.evaluate(() => {
      const seen: Array<{ busy: boolean; rows: number; code: boolean }> = [];
      (window as unknown as { __seen: typeof seen }).__seen = seen;
      const log = document.querySelector("[data-testid=chat-log]")!;
      new MutationObserver(() => {
        const answers = log.querySelectorAll("[data-testid=assistant-message]");
        const last = answers[answers.length - 1];
        if (!last) return;
        seen.push({
          busy: !!last.querySelector("[aria-busy=true]"),
          rows: last.querySelectorAll("td").length,
          code: !!last.querySelector("code.hljs"),
        });
      }).observe(log, { subtree: true, childList: true, characterData: true });
    });
    const before = problems.length;
    await page
      .getByLabel("Message")
      .fill(
        "[[delay=40]] Here:\n\n| Fruit | Qty |\n| --- | ---: |\n| apple | 3 |\n\n```js\nconst total = 3; // sum\n```",
      );
    await page.getByLabel("Message").press("Enter");
    await expect(lastAnswer(page).getByTestId("answer-metrics")).toContainText("credits");

    const table = lastAnswer(page).locator("table");
    await expect(table.locator("th")).toHaveText(["Fruit", "Qty"]);
    await expect(table.locator("td")).toHaveText(["apple", "3"]);
    const code = lastAnswer(page).locator("pre code.hljs.language-js");
    await expect(code).toContainText("const total = 3; // sum");
    await expect(code.locator(".hljs-keyword")).toHaveText("const");
    await expect(code.locator(".hljs-comment")).toHaveText("// sum");
    // Coloured by the theme, not the plain text colour of the block.
    const colours = await code.evaluate((el) => {
      const keyword = el.querySelector(".hljs-keyword")!;
      return [getComputedStyle(keyword).color, getComputedStyle(el).color];
    });
    expect(colours[0]).not.toBe(colours[1]);
    await expect(lastAnswer(page).getByRole("button", { name: "Copy code" })).toBeVisible();

    const seen = await page.evaluate(
      () => (window as unknown as { __seen: Array<{ busy: boolean; rows: number; code: boolean }> }).__seen,
    );
    expect(
      seen.some((s) => s.busy && s.rows > 0),
      "a table while streaming",
    ).toBe(true);
    expect(
      seen.some((s) => s.busy && s.code),
      "an open code block while streaming",
    ).toBe(true);
    expect(problems.slice(before)).toEqual([]);
    await page.screenshot({ path: "test-results/playground-markdown.png" });
  });

  test("View code shows the request for the public API with a key placeholder", async () => {
    await page.getByLabel("Message").fill("Show me the code");
    await page.getByRole("button", { name: "View code" }).click();
    const dialog = page.getByRole("dialog", { name: "View code" });
    const panel = dialog.getByRole("tabpanel");
    await expect(panel).toContainText(`curl ${hub.url}/api/v2/chat/completions`);
    await expect(panel).toContainText("Bearer $AI_HUB_KEY");
    await expect(panel).toContainText('"content": "Show me the code"');
    await dialog.getByRole("tab", { name: "curl", exact: true }).press("ArrowRight");
    await expect(dialog.getByRole("tab", { name: "TypeScript" })).toBeFocused();
    await expect(panel).toContainText(`baseURL: "${hub.url}/api/v2"`);
    await dialog.getByRole("tab", { name: "@aigne/aigne-hub" }).click();
    await expect(panel).toContainText("AIGNEHubChatModel");
    // The same chat in the agent APIs: OpenAI Responses and Anthropic Messages, as curl and SDK code.
    await dialog.getByRole("tab", { name: "Responses curl" }).click();
    await expect(panel).toContainText(`curl ${hub.url}/api/v2/responses`);
    await expect(panel).toContainText('"input": [');
    await expect(panel).toContainText('"content": "Show me the code"');
    await dialog.getByRole("tab", { name: "Responses SDK" }).click();
    await expect(panel).toContainText("client.responses.create(");
    await dialog.getByRole("tab", { name: "Messages curl" }).click();
    await expect(panel).toContainText(`curl ${hub.url}/v1/messages`);
    await expect(panel).toContainText("x-api-key: $AI_HUB_KEY");
    await expect(panel).toContainText('"max_tokens":');
    await dialog.getByRole("tab", { name: "Messages SDK" }).click();
    await expect(panel).toContainText(`baseURL: "${hub.url}"`);
    await expect(panel).toContainText("client.messages.create(");
    await page.screenshot({ path: "test-results/playground-view-code.png" });
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("button", { name: "View code" })).toBeFocused();
  });

  test("compare mode streams one prompt to two models side by side", async () => {
    await page.getByRole("tab", { name: "Compare" }).click();
    await expect(page).toHaveURL(/tab=compare/);
    await expect(page.getByLabel("Model A", { exact: true })).toHaveValue("mock/mock-chat");
    await expect(page.getByLabel("Model B", { exact: true })).toHaveValue("mock/mock-fast");
    await page.getByLabel("Prompt for both models").fill("[[delay=60]] compare me please");
    await page.getByLabel("Prompt for both models").press("Enter");
    // Both stream at once: each side shows a growing answer before either is done.
    await expect(page.getByTestId("compare-a").locator("[aria-busy=true]")).toContainText("Mock reply");
    await expect(page.getByTestId("compare-b").locator("[aria-busy=true]")).toContainText("Mock reply");
    for (const side of ["compare-a", "compare-b"]) {
      await expect(page.getByTestId(side).getByTestId("assistant-message")).toContainText(
        "Mock reply to: [[delay=60]] compare me please",
      );
      await expect(page.getByTestId(side).getByTestId("answer-metrics")).toContainText("credits");
    }
    await expect(page.getByTestId("compare-b").getByTestId("answer-metrics")).toContainText("mock/mock-fast");
    await page.screenshot({ path: "test-results/playground-compare.png", fullPage: true });
  });

  test("images come back in a grid, each downloadable; an embedding shows its dimensions and values", async () => {
    await page.getByRole("tab", { name: "Images" }).click();
    // The chat tab stays mounted (hidden) so its stream and draft survive; look inside the shown form.
    const imageForm = page.getByRole("form", { name: "Generate images" });
    await expect(imageForm.getByLabel("Model")).toHaveValue("mock/mock-image");
    await imageForm.getByLabel("Prompt").fill("a tiny red dot");
    await imageForm.getByLabel("Size").selectOption("512x512");
    await imageForm.getByLabel("Count").selectOption("2");
    await imageForm.getByRole("button", { name: "Generate" }).click();
    const images = page.getByTestId("generated-image");
    await expect(images).toHaveCount(2);
    expect(
      await images
        .first()
        .locator("img")
        .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
    ).toBe(1);
    const download = page.waitForEvent("download");
    await images.first().getByRole("link", { name: "Download image 1" }).click();
    expect((await download).suggestedFilename()).toBe("image-1.png");
    await page.screenshot({ path: "test-results/playground-images.png", fullPage: true });

    await page.getByRole("tab", { name: "Images" }).press("ArrowRight");
    await expect(page.getByRole("tab", { name: "Embeddings" })).toHaveAttribute("aria-selected", "true");
    const embedForm = page.getByRole("form", { name: "Create an embedding" });
    await expect(embedForm.getByLabel("Model")).toHaveValue("mock/mock-embedding");
    await embedForm.getByLabel("Text").fill("The quick brown fox");
    await embedForm.getByRole("button", { name: "Embed" }).click();
    await expect(page.getByTestId("embedding-dimensions")).toHaveText("16");
    await expect(page.getByTestId("embedding-preview")).toHaveText(/^\[(-?\d\.\d{6}, ){7}-?\d\.\d{6}, …\]$/);
    await page.screenshot({ path: "test-results/playground-embeddings.png", fullPage: true });

    const calls = await hub.db.execute(
      "select type, app_name, access_key_id, status from model_calls where type in ('image', 'embedding') order by created_at",
    );
    expect(calls.rows.map((r) => ({ ...r }))).toEqual([
      { type: "image", app_name: "playground", access_key_id: null, status: "success" },
      { type: "embedding", app_name: "playground", access_key_id: null, status: "success" },
    ]);
  });

  test("a provider's rate limit is shown as a 429 with the prompt kept for a retry", async () => {
    await page.getByRole("tab", { name: "Chat" }).click();
    await page.getByRole("button", { name: "New chat" }).click();
    await page.getByLabel("Message").fill("please [[429]]");
    await page.getByLabel("Message").press("Enter");
    const alert = page.getByRole("alert");
    await expect(alert).toContainText("Rate limited (429)");
    await expect(alert).toContainText("Mock rate limit");
    await expect(alert).toContainText("Try again in 1 s.");
    await expect(page.getByLabel("Message")).toHaveValue("please [[429]]");
    await page.screenshot({ path: "test-results/playground-429.png", fullPage: true });

    // On a phone the columns stack and nothing runs off the side.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: "test-results/playground-narrow.png", fullPage: true });
    expect(problems).toEqual([]);
  });
});
