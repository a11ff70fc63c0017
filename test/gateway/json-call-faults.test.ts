/**
 * Faults of non-streaming calls (server/gateway/json-call.server.ts), through real HTTP with the real `openai` SDK:
 * an upstream slower than the first-token timeout fails over, one that stalls in the middle of its body ends in 504
 * once every credential did, an informational 1xx before the answer is skipped, a provider's error keeps its status
 * and headers, and a client that goes away stops the upstream request and is recorded as aborted.
 */
import { eq } from "drizzle-orm";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelCalls } from "@drizzle/schema";
import { callRecorder } from "@server/usage/call-recorder.server";
import { startFakeOpenAI } from "@test/fake-upstreams/openai";
import { startFakeUpstream, type FakeHandler, type FakeUpstream } from "@test/fake-upstreams/server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { ask, callRecord } from "@test/helpers/chat-checks";
import { addCredential } from "@test/helpers/routing";
import { seedProvider, seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let hub: TempHub;
let api: ApiServer;
let good: FakeUpstream;
let client: OpenAI;
const closers: Array<() => Promise<void>> = [];

const completion = (content: string) =>
  JSON.stringify({
    id: "chatcmpl-faults",
    object: "chat.completion",
    created: 1_700_000_000,
    model: "gpt-4o-mini",
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
  });

async function fake(handler: FakeHandler): Promise<FakeUpstream> {
  const f = await startFakeUpstream(handler);
  closers.push(() => f.close());
  return f;
}

/** The records of a model's calls once none of them is still processing (a call whose client left closes late). */
async function settledRecords(model: string) {
  for (let i = 0; ; i++) {
    await callRecorder.flush();
    const rows = await hub.database.db.select().from(modelCalls).where(eq(modelCalls.requestedModel, model));
    if ((rows.length && rows.every((r) => r.status !== "processing")) || i >= 100) return rows;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const hello: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "hello" }];

beforeAll(async () => {
  hub = await createTempHub();
  good = await startFakeOpenAI({ reply: "from the backup" });
  closers.push(() => good.close());
  const { key } = await seedUserWithKey("json-faults@example.com");
  api = await startApiServer();
  closers.push(() => api.close());
  client = new OpenAI({ apiKey: key, baseURL: `${api.url}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await hub.cleanup();
});

describe("non-streaming calls", () => {
  it("fails over when the first credential's headers come later than firstTokenTimeoutMs", async () => {
    const slow = await fake((_req, res) => {
      setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end(completion("too late")), 1_500);
    });
    const { provider } = await seedProvider(
      { kind: "openai", name: "late", baseUrl: `${slow.url}/v1`, apiKey: "sk-test", weight: 1, options: { firstTokenTimeoutMs: 200 } }, // prettier-ignore
      [{ model: "gpt-4o-mini" }],
    );
    const backup = await addCredential(provider.id, { name: "backup", secret: "sk-test", baseUrl: `${good.url}/v1`, weight: 0 }); // prettier-ignore
    const { data, requestId } = await ask(client, "late/gpt-4o-mini", hello);
    expect(data.choices[0]?.message.content).toBe("from the backup");
    expect(slow.requests).toHaveLength(1);
    expect(await callRecord(hub, requestId)).toMatchObject({ status: "success", attempts: 2, credentialId: backup });
  });

  it("answers 504 upstream_idle_timeout when the body stalls past idleTimeoutMs", async () => {
    const stalling = await fake((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "400" });
      res.write('{"id":"chatcmpl-stall","object":"chat.completion","choices":[');
    });
    await seedProvider(
      { kind: "openai", name: "stalling", baseUrl: `${stalling.url}/v1`, apiKey: "sk-test", options: { idleTimeoutMs: 200 } }, // prettier-ignore
      [{ model: "gpt-4o-mini" }],
    );
    const error = await ask(client, "stalling/gpt-4o-mini", hello).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const apiError = error as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status).toBe(504);
    expect(apiError.error).toMatchObject({ code: "upstream_idle_timeout" });
    const requestId = apiError.headers?.get("x-request-id") ?? "";
    expect(await callRecord(hub, requestId)).toMatchObject({ status: "failed", httpStatus: 504, errorCode: "upstream_idle_timeout" }); // prettier-ignore
  });

  it("skips an informational 103 before the answer", async () => {
    const hinting = await fake((_req, res) => {
      res.writeEarlyHints({ link: "</style.css>; rel=preload; as=style" });
      res.writeHead(200, { "content-type": "application/json" }).end(completion("after the hints"));
    });
    await seedProvider({ kind: "openai", name: "hinting", baseUrl: `${hinting.url}/v1`, apiKey: "sk-test" }, [
      { model: "gpt-4o-mini" },
    ]);
    const { data, requestId } = await ask(client, "hinting/gpt-4o-mini", hello);
    expect(data.choices[0]?.message.content).toBe("after the hints");
    expect(await callRecord(hub, requestId)).toMatchObject({ status: "success", inputTokens: 5, outputTokens: 3 });
  });

  it("keeps a provider's error status and its retry-after", async () => {
    const limited = await fake((_req, res) => {
      res.writeHead(429, { "content-type": "application/json", "retry-after": "9" });
      res.end(JSON.stringify({ error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } })); // prettier-ignore
    });
    await seedProvider({ kind: "openai", name: "limited", baseUrl: `${limited.url}/v1`, apiKey: "sk-test" }, [
      { model: "gpt-4o-mini" },
    ]);
    const error = (await ask(client, "limited/gpt-4o-mini", hello).catch((e: unknown) => e)) as InstanceType<
      typeof OpenAI.APIError
    >;
    expect(error.status).toBe(429);
    expect(error.headers?.get("retry-after")).toBe("9");
    expect(error.message).toContain("Rate limit reached");
  });

  it("stops the upstream request when the client goes away, and records the call as aborted", async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
    const hanging = await fake((_req, res) => {
      res.on("close", () => upstreamClosed());
    });
    await seedProvider({ kind: "openai", name: "hanging", baseUrl: `${hanging.url}/v1`, apiKey: "sk-test" }, [
      { model: "gpt-4o-mini" },
    ]);
    const controller = new AbortController();
    const asked = ask(client, "hanging/gpt-4o-mini", hello, {}, { signal: controller.signal }).catch((e: unknown) => e);
    for (let i = 0; i < 100 && hanging.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(hanging.requests).toHaveLength(1);
    controller.abort();
    expect(await asked).toBeInstanceOf(OpenAI.APIUserAbortError);
    await closed;
    const rows = await settledRecords("hanging/gpt-4o-mini");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "aborted", httpStatus: 499, errorCode: "client_closed_request" });
  });
});
