/**
 * The playground's API endpoints over real HTTP (the production listener and the real route modules): the browser
 * session is the caller, cross-site and session-less requests are refused, and every call goes through the same
 * gateway path as an app's, recorded with app "playground" and no access key.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { modelCalls } from "@drizzle/schema";
import { createUserSession } from "@server/auth/session.server";
import { callRecorder } from "@server/usage/call-recorder.server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { seedProvider, seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let hub: TempHub;
let api: ApiServer;
let seeded: Awaited<ReturnType<typeof seedUserWithKey>>;
let cookie: string;

const ENDPOINTS = [
  ["/api/playground/chat/completions", { model: "mock/mock-chat", messages: [{ role: "user", content: "hi" }] }],
  ["/api/playground/images/generations", { model: "mock/mock-image", prompt: "a dot" }],
  ["/api/playground/embeddings", { model: "mock/mock-embedding", input: "hello" }],
] as const;

beforeAll(async () => {
  hub = await createTempHub();
  seeded = await seedUserWithKey("player@example.com");
  await seedProvider({ kind: "mock", name: "mock" }, [
    { model: "mock-chat", input: 1_000_000_000, output: 2_000_000_000 },
    { model: "mock-image", type: "image" },
    { model: "mock-embedding", type: "embedding", input: 1_000_000 },
  ]);
  cookie = (await createUserSession(seeded.user.id, new Request("http://hub.test/"))).split(";")[0]!;
  api = await startApiServer();
});
afterAll(async () => {
  await api.close();
  await hub.cleanup();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) =>
  fetch(api.url + path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
    signal,
  });

/** The call the browser tagged with its own x-request-id (stored as the client request id). */
async function callByRequestId(requestId: string) {
  await callRecorder.flush();
  const rows = await hub.database.db.select().from(modelCalls).where(eq(modelCalls.clientRequestId, requestId));
  return rows[0];
}

describe("playground endpoints", () => {
  it.each(ENDPOINTS)("%s refuses a request without a session (401, OpenAI-shaped)", async (path, body) => {
    const response = await post(path, body, { "sec-fetch-site": "same-origin" });
    expect(response.status).toBe(401);
    expect((await response.json()).error).toMatchObject({ type: "authentication_error", code: "session_expired" });
  });

  it.each(ENDPOINTS)("%s does not take an access key instead of the session", async (path, body) => {
    const response = await post(path, body, { authorization: `Bearer ${seeded.key}` });
    expect(response.status).toBe(401);
  });

  it.each(ENDPOINTS)("%s refuses a cross-site request even with the session cookie (403)", async (path, body) => {
    const bySite = await post(path, body, { cookie, "sec-fetch-site": "cross-site" });
    expect(bySite.status).toBe(403);
    expect((await bySite.json()).error.code).toBe("cross_site_request");
    const byOrigin = await post(path, body, { cookie, origin: "https://evil.example" });
    expect(byOrigin.status).toBe(403);
  });

  it("streams a chat answer for the session and records it as the playground's call, without a key", async () => {
    const requestId = crypto.randomUUID();
    const response = await post(
      "/api/playground/chat/completions",
      {
        model: "mock/mock-chat",
        messages: [{ role: "user", content: "Hello playground" }],
        stream: true,
        stream_options: { include_usage: true },
      },
      { cookie, "sec-fetch-site": "same-origin", "x-request-id": requestId },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    // The browser's id is echoed in its own header; x-request-id is the hub's.
    expect(response.headers.get("x-client-request-id")).toBe(requestId);
    const hubRequestId = response.headers.get("x-request-id");
    expect(hubRequestId).not.toBe(requestId);
    const events = (await response.text())
      .split("\n\n")
      .filter(Boolean)
      .map((e) => e.replace(/^data: /, ""));
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    const text = chunks.map((c) => c.choices?.[0]?.delta?.content ?? "").join("");
    expect(text).toBe("Mock reply to: Hello playground");
    const usage = chunks.at(-1).usage;
    expect(usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 5 });
    expect(usage.cost).toBeGreaterThan(0);

    const call = await callByRequestId(requestId);
    expect(call).toMatchObject({
      userId: seeded.user.id,
      accessKeyId: null,
      appName: "playground",
      status: "success",
      type: "chat",
      endpoint: "/api/playground/chat/completions",
      outputTokens: 5,
    });
    expect(call!.requestId).toBe(hubRequestId);
    expect(call!.costMicro).toBe(Math.round(usage.cost * 1e6));
  });

  it("records a stream the browser stops as aborted, with the tokens generated so far", async () => {
    const requestId = crypto.randomUUID();
    const controller = new AbortController();
    const response = await post(
      "/api/playground/chat/completions",
      {
        model: "mock/mock-chat",
        messages: [{ role: "user", content: "[[delay=150]] one two three four five six seven eight nine ten" }],
        stream: true,
      },
      { cookie, "sec-fetch-site": "same-origin", "x-request-id": requestId },
      controller.signal,
    );
    expect(response.status).toBe(200);
    // Read until three words have arrived, then hang up as the Stop button does.
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    while ((seen.match(/"content":"[^"]+"/g) ?? []).length < 3) seen += (await reader.read()).value ?? "";
    controller.abort();
    await reader.cancel().catch(() => undefined); // already aborted just above: cancelling only releases the reader
    await expect.poll(async () => (await callByRequestId(requestId))?.status, { timeout: 5_000 }).toBe("aborted");
    const call = await callByRequestId(requestId);
    expect(call).toMatchObject({ appName: "playground", accessKeyId: null, httpStatus: 499 });
    expect(call!.outputTokens).toBeGreaterThan(0);
    expect(call!.outputTokens).toBeLessThan(14); // the whole answer would be 14 words
    expect(call!.costMicro).toBeGreaterThan(0);
  });

  it("generates images and embeddings for the session, recorded as the playground's calls", async () => {
    const headers = { cookie, "sec-fetch-site": "same-origin" };
    const imageId = crypto.randomUUID();
    const images = await post(
      "/api/playground/images/generations",
      { model: "mock/mock-image", prompt: "a dot", n: 2, response_format: "b64_json" },
      { ...headers, "x-request-id": imageId },
    );
    expect(images.status).toBe(200);
    expect((await images.json()).data).toHaveLength(2);
    expect(await callByRequestId(imageId)).toMatchObject({
      appName: "playground",
      accessKeyId: null,
      userId: seeded.user.id,
      type: "image",
      images: 2,
      status: "success",
    });

    const embedId = crypto.randomUUID();
    const embedding = await post(
      "/api/playground/embeddings",
      { model: "mock/mock-embedding", input: "hello" },
      { ...headers, "x-request-id": embedId },
    );
    expect(embedding.status).toBe(200);
    expect((await embedding.json()).data[0].embedding).toHaveLength(16);
    expect(await callByRequestId(embedId)).toMatchObject({
      appName: "playground",
      accessKeyId: null,
      type: "embedding",
      status: "success",
    });
  });

  it("answers an unknown model with the gateway's 404, recorded as a failed playground call", async () => {
    const requestId = crypto.randomUUID();
    const response = await post(
      "/api/playground/chat/completions",
      { model: "nowhere/none", messages: [{ role: "user", content: "hi" }] },
      { cookie, "sec-fetch-site": "same-origin", "x-request-id": requestId },
    );
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe("model_not_found");
    expect(await callByRequestId(requestId)).toMatchObject({
      appName: "playground",
      status: "failed",
      httpStatus: 404,
    });
  });
});
