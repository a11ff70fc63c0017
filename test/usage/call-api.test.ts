/**
 * The inbound API on each call's record, over real HTTP: calls on chat completions, embeddings and images land with
 * the right `api`; the call log's tRPC query (signed in, through /api/trpc) and the calls CSV narrow to one API;
 * a member filtering by API still sees only their own calls. The migration's backfill of older rows applies the
 * same rule as the gateway (server/gateway/call-api.ts), checked endpoint by endpoint.
 */
import fs from "node:fs";
import path from "node:path";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelCalls } from "@drizzle/schema";
import type { ModelType } from "@drizzle/schema";
import { createUserSession } from "@server/auth/session.server";
import { newId } from "@server/crypto/tokens";
import { callApiFor } from "@server/gateway/call-api";
import type { AppRouter } from "@server/trpc/root";
import { callRecorder } from "@server/usage/call-recorder.server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { seedProvider, seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let hub: TempHub;
let api: ApiServer;
let dev: Awaited<ReturnType<typeof seedUserWithKey>>;
let other: Awaited<ReturnType<typeof seedUserWithKey>>;
let cookie: string;
const requestIds: Record<string, string> = {};

function post(path: string, body: unknown, key = dev.key) {
  return fetch(api.url + path, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

const CALLS = [
  ["chat-v1", "/v1/chat/completions", { model: "mock/mock-chat", messages: [{ role: "user", content: "one" }] }],
  [
    "chat-v2-stream",
    "/api/v2/chat/completions",
    { model: "mock/mock-chat", messages: [{ role: "user", content: "two" }], stream: true },
  ],
  ["embeddings-v1", "/v1/embeddings", { model: "mock/mock-embedding", input: "three" }],
  ["embeddings-v2", "/api/v2/embeddings", { model: "mock/mock-embedding", input: "four" }],
  ["images", "/api/v2/images/generations", { model: "mock/mock-image", prompt: "five" }],
] as const;

beforeAll(async () => {
  hub = await createTempHub();
  await seedProvider({ kind: "mock", name: "mock" });
  dev = await seedUserWithKey("dev@example.com");
  other = await seedUserWithKey("other@example.com");
  api = await startApiServer();
  for (const [name, path, body] of CALLS) {
    const response = await post(path, body);
    expect(response.status, name).toBe(200);
    await response.text();
    requestIds[name] = response.headers.get("x-request-id")!;
  }
  // Someone else's embeddings call: a member's filtered log must not show it.
  expect((await post("/v1/embeddings", { model: "mock/mock-embedding", input: "not yours" }, other.key)).status).toBe(
    200,
  );
  await callRecorder.flush();
  cookie = (await createUserSession(dev.user.id, new Request("http://hub.test/"))).split(";")[0]!;
});

afterAll(async () => {
  await api.close();
  await hub.cleanup();
});

const range = () => ({ from: Date.now() - 3_600_000, to: Date.now() + 3_600_000 });

describe("the api of each call", () => {
  it("is recorded from the endpoint the call came in on", async () => {
    const rows = await hub.database.db
      .select({ requestId: modelCalls.requestId, api: modelCalls.api, endpoint: modelCalls.endpoint })
      .from(modelCalls);
    const byRequest = new Map(rows.map((r) => [r.requestId, r]));
    expect(byRequest.get(requestIds["chat-v1"]!)).toMatchObject({ api: "chat", endpoint: "/v1/chat/completions" });
    expect(byRequest.get(requestIds["chat-v2-stream"]!)).toMatchObject({
      api: "chat",
      endpoint: "/api/v2/chat/completions",
    });
    expect(byRequest.get(requestIds["embeddings-v1"]!)).toMatchObject({ api: "embeddings" });
    expect(byRequest.get(requestIds["embeddings-v2"]!)).toMatchObject({ api: "embeddings" });
    expect(byRequest.get(requestIds["images"]!)).toMatchObject({ api: "images" });
  });

  it("narrows the signed-in call log (tRPC over HTTP) and shows in the call's detail", async () => {
    const trpc = createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: `${api.url}/api/trpc`, headers: { cookie } })],
    });
    const all = await trpc.usage.calls.query({ scope: "mine", ...range() });
    expect(all.calls).toHaveLength(CALLS.length);
    const embeddings = await trpc.usage.calls.query({ scope: "mine", ...range(), api: "embeddings" });
    expect(embeddings.calls.map((c) => c.requestId).sort()).toEqual(
      [requestIds["embeddings-v1"], requestIds["embeddings-v2"]].sort(),
    );
    expect(embeddings.calls.every((c) => c.api === "embeddings")).toBe(true);
    const chat = await trpc.usage.calls.query({ scope: "mine", ...range(), api: "chat" });
    expect(chat.calls).toHaveLength(2);
    expect(await trpc.usage.calls.query({ scope: "mine", ...range(), api: "messages" })).toMatchObject({ calls: [] });
    const detail = await trpc.usage.callDetail.query({ id: chat.calls[0]!.id });
    expect(detail.api).toBe("chat");
  });

  it("refuses an API the hub does not know", async () => {
    const response = await fetch(
      `${api.url}/api/usage/export/calls?scope=mine&from=${range().from}&to=${range().to}&api=soap`,
      {
        headers: { cookie },
      },
    );
    expect(response.status).toBe(400);
  });

  it("is a column of the calls CSV, and the CSV follows the filter", async () => {
    const { from, to } = range();
    const csv = async (query: string) => {
      const response = await fetch(`${api.url}/api/usage/export/calls?scope=mine&from=${from}&to=${to}${query}`, {
        headers: { cookie },
      });
      expect(response.status).toBe(200);
      return (await response.text()).trimEnd().split("\r\n");
    };
    const [header, ...rows] = await csv("");
    const column = header!.split(",").indexOf("api");
    expect(column).toBeGreaterThan(0);
    expect(rows).toHaveLength(CALLS.length);
    expect(rows.map((r) => r.split(",")[column]).sort()).toEqual([
      "chat",
      "chat",
      "embeddings",
      "embeddings",
      "images",
    ]);
    const [, ...filtered] = await csv("&api=embeddings");
    expect(filtered).toHaveLength(2);
    expect(filtered.every((r) => r.split(",")[column] === "embeddings")).toBe(true);
  });
});

describe("the migration's backfill", () => {
  it("gives older rows the api the gateway would have recorded", async () => {
    const cases: Array<[string, ModelType, boolean]> = [
      ["/v1/chat/completions", "chat", false],
      ["/api/v2/chat/completions", "chat", false],
      ["/api/v1/completions", "chat", false],
      ["/api/playground/chat/completions", "chat", false],
      ["/v1/embeddings", "embedding", false],
      ["/api/playground/embeddings", "embedding", false],
      ["/v1/images/generations", "image", false],
      ["/api/v2/image/generations", "image", false],
      ["/api/v2/images/generate", "image", false],
      ["/api/v2/chat", "chat", true],
      ["/api/v2/image", "image", true],
      ["/v1/responses", "chat", false],
      ["/api/v2/responses", "chat", false],
      ["/v1/messages", "chat", false],
      ["/api/v2/messages", "chat", false],
      ["/v1/messages/count_tokens", "chat", false],
    ];
    const ids = cases.map(() => newId("call"));
    await hub.database.db
      .insert(modelCalls)
      .values(cases.map(([endpoint, type], i) => ({ id: ids[i]!, requestId: `backfill-${i}`, type, endpoint })));
    expect(await hub.database.db.select().from(modelCalls).where(isNull(modelCalls.api))).toHaveLength(cases.length);
    const sql = fs
      .readFileSync(path.resolve("drizzle/migrations/0004_call_api.sql"), "utf8")
      .split("--> statement-breakpoint");
    const backfill = sql.find((statement) => statement.trim().startsWith("UPDATE"))!;
    await hub.database.client.execute(backfill);
    const rows = await hub.database.db.select({ endpoint: modelCalls.endpoint, api: modelCalls.api }).from(modelCalls);
    for (const [endpoint, type, aigne] of cases) {
      expect(rows.find((r) => r.endpoint === endpoint)?.api, endpoint).toBe(callApiFor(endpoint, type, aigne));
    }
  });
});
