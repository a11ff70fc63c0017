/**
 * Streaming faults through real HTTP with the real `openai` SDK: an upstream that breaks or stalls after the
 * first byte ends the client's stream with an in-band error event (never a silent close), a first byte slower
 * than the provider's first-token timeout fails over (or answers 504), a client that goes away stops the
 * upstream and is recorded as aborted with what was generated, and an oversize body is refused with 413.
 */
import http from "node:http";
import { eq } from "drizzle-orm";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { modelCalls } from "@drizzle/schema";
import { callRecorder } from "@server/usage/call-recorder.server";
import { startFakeOpenAI } from "@test/fake-upstreams/openai";
import { startFakeUpstream, type FakeUpstream } from "@test/fake-upstreams/server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { addCredential } from "@test/helpers/routing";
import { seedProvider, seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

/** Instrumentation only: every mock upstream call's abort signal, and how many body reads the gateway made. */
const mockCalls = vi.hoisted(() => [] as Array<{ signal: AbortSignal | undefined; reads: number }>);
vi.mock("@server/providers/mock/index", async (importOriginal) => {
  const real = await importOriginal<typeof import("@server/providers/mock/index")>();
  return {
    ...real,
    handleMockRequest: async (req: Parameters<typeof real.handleMockRequest>[0], signal?: AbortSignal) => {
      const res = await real.handleMockRequest(req, signal);
      if (!res.body) return res;
      const call = { signal, reads: 0 };
      mockCalls.push(call);
      const reader = res.body.getReader();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { done, value } = await reader.read();
          if (done) return controller.close();
          call.reads++;
          controller.enqueue(value);
        },
        cancel: (reason) => reader.cancel(reason),
      });
      return new Response(body, { status: res.status, headers: res.headers });
    },
  };
});

let hub: TempHub;
let api: ApiServer;
let fake: FakeUpstream;
let key: string;
let client: OpenAI;
const closers: Array<() => Promise<void>> = [];

async function record(requestId: string, until?: (row: typeof modelCalls.$inferSelect) => boolean) {
  for (let i = 0; ; i++) {
    await callRecorder.flush();
    const [row] = await hub.database.db.select().from(modelCalls).where(eq(modelCalls.requestId, requestId));
    if (row && (!until || until(row))) return row;
    if (i > 100) throw new Error(`no matching record for ${requestId}: ${JSON.stringify(row)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function openStream(model: string, content: string, signal?: AbortSignal) {
  const { data, response } = await client.chat.completions
    .create({ model, messages: [{ role: "user", content }], stream: true }, { signal })
    .withResponse();
  return { stream: data, requestId: response.headers.get("x-request-id")! };
}

async function consume(stream: AsyncIterable<OpenAI.ChatCompletionChunk>) {
  let text = "";
  let error: unknown = null;
  try {
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
  } catch (e) {
    error = e;
  }
  return { text, error };
}

beforeAll(async () => {
  hub = await createTempHub();
  fake = await startFakeOpenAI({ reply: "Hello from upstream, streaming in pieces." });
  closers.push(() => fake.close());
  await seedProvider({ kind: "openai", name: "up", baseUrl: `${fake.url}/v1`, apiKey: "sk-test" }, [
    { model: "gpt-4o-mini" },
  ]);
  await seedProvider(
    { kind: "openai", name: "stally", baseUrl: `${fake.url}/v1`, apiKey: "sk-test", options: { idleTimeoutMs: 300 } },
    [{ model: "gpt-4o-mini" }],
  );
  await seedProvider({ kind: "mock", name: "mock" });
  ({ key } = await seedUserWithKey("streams@example.com"));
  api = await startApiServer();
  closers.push(() => api.close());
  client = new OpenAI({ apiKey: key, baseURL: `${api.url}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await hub.cleanup();
});

describe("streams that fail after the first byte", () => {
  it("an upstream that breaks mid-stream ends the client's stream with an error event; recorded failed, partial usage", async () => {
    const { stream, requestId } = await openStream("up/gpt-4o-mini", "Tell me [[break]]");
    const { text, error } = await consume(stream);
    expect(text).toBe("Hello");
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({
      type: "api_error",
      code: "upstream_unreachable",
    });
    const row = await record(requestId);
    expect(row).toMatchObject({
      status: "failed",
      stream: true,
      usageSource: "partial",
      providerName: "up",
      httpStatus: 200,
      errorCode: "upstream_unreachable",
    });
    expect(row.outputTokens).toBe(Math.ceil("Hello".length / 4));
    expect(row.inputTokens).toBeGreaterThan(0);
  });

  it("an upstream that stalls longer than idleTimeoutMs ends with an in-band error; recorded failed", async () => {
    const started = performance.now();
    const { stream, requestId } = await openStream("stally/gpt-4o-mini", "wait [[stall]]");
    const { text, error } = await consume(stream);
    expect(text).toBe("");
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ code: "upstream_idle_timeout" });
    expect(performance.now() - started).toBeLessThan(3_000);
    const row = await record(requestId);
    expect(row).toMatchObject({ status: "failed", usageSource: "partial", errorCode: "upstream_idle_timeout" });
    expect(row.outputTokens).not.toBeNull();
  });
});

describe("first-token timeout", () => {
  /** Sends SSE headers at once, then nothing: only the first-token timer can end the wait. */
  async function silent(): Promise<FakeUpstream> {
    const f = await startFakeUpstream((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.flushHeaders();
    });
    closers.push(() => f.close());
    return f;
  }

  it("a first byte slower than firstTokenTimeoutMs fails over to the next credential", async () => {
    const hang = await silent();
    const { provider } = await seedProvider(
      {
        kind: "openai",
        name: "hesitant",
        baseUrl: `${hang.url}/v1`,
        apiKey: "sk-test",
        weight: 1,
        options: { firstTokenTimeoutMs: 200 },
      },
      [{ model: "gpt-4o-mini" }],
    );
    const backup = await addCredential(provider.id, {
      name: "backup",
      secret: "sk-test",
      baseUrl: `${fake.url}/v1`,
      weight: 0,
    });
    const started = performance.now();
    const { stream, requestId } = await openStream("hesitant/gpt-4o-mini", "quick please");
    const { text, error } = await consume(stream);
    expect(error).toBeNull();
    expect(text).toBe("Hello from upstream, streaming in pieces.");
    expect(hang.requests).toHaveLength(1);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(2_000);
    expect(await record(requestId)).toMatchObject({
      status: "success",
      attempts: 2,
      credentialId: backup,
      usageSource: "provider",
    });
  });

  it("answers 504 when no credential sends a first byte in time", async () => {
    const slow = await startFakeOpenAI({ latencyMs: 5_000 });
    closers.push(() => slow.close());
    await seedProvider(
      {
        kind: "openai",
        name: "sluggish",
        baseUrl: `${slow.url}/v1`,
        apiKey: "sk-test",
        options: { firstTokenTimeoutMs: 200 },
      },
      [{ model: "gpt-4o-mini" }],
    );
    const hang = await silent();
    await seedProvider(
      {
        kind: "openai",
        name: "mute",
        baseUrl: `${hang.url}/v1`,
        apiKey: "sk-test",
        options: { firstTokenTimeoutMs: 200 },
      },
      [{ model: "gpt-4o-mini" }],
    );
    for (const name of ["sluggish", "mute"]) {
      const started = performance.now();
      const error = await client.chat.completions
        .create({ model: `${name}/gpt-4o-mini`, messages: [{ role: "user", content: "hi" }], stream: true })
        .catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(OpenAI.APIError);
      expect((error as InstanceType<typeof OpenAI.APIError>).status, name).toBe(504);
      expect(performance.now() - started).toBeLessThan(2_000);
    }
    await callRecorder.flush();
    const rows = await hub.database.db.select().from(modelCalls).where(eq(modelCalls.httpStatus, 504));
    expect(rows.map((r) => r.requestedModel).sort()).toEqual(["mute/gpt-4o-mini", "sluggish/gpt-4o-mini"]);
    expect(rows.every((r) => r.status === "failed")).toBe(true);
  });
});

describe("client abort", () => {
  it("stops the upstream and records the call as aborted with the output so far", async () => {
    const controller = new AbortController();
    const prompt = "[[delay=100]] one two three four five six seven eight nine ten";
    const { stream, requestId } = await openStream("mock/mock-chat", prompt, controller.signal);
    let text = "";
    let error: unknown = null;
    try {
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta?.content ?? "";
        if (text) controller.abort();
      }
    } catch (e) {
      error = e;
    }
    // The SDK ends the iteration quietly on its own abort.
    expect(error).toBeNull();
    expect(text).toBe("Mock ");

    const row = await record(requestId, (r) => r.status !== "processing");
    expect(row).toMatchObject({
      status: "aborted",
      httpStatus: 499,
      errorCode: "client_closed_request",
      providerName: "mock",
      usageSource: "partial",
    });
    expect(row.outputTokens).toBeGreaterThan(0);
    expect(row.outputTokens).toBeLessThan(prompt.split(" ").length);

    // The mock upstream saw the abort and was read no further.
    const call = mockCalls.at(-1)!;
    expect(call.signal?.aborted).toBe(true);
    const reads = call.reads;
    await new Promise((r) => setTimeout(r, 350));
    expect(call.reads).toBe(reads);
    expect(reads).toBeLessThan(6);
  });
});

describe("request size", () => {
  it("refuses a body over maxBodyBytes with 413 in the OpenAI error shape", async () => {
    const small = await startApiServer({ maxBodyBytes: 2048 });
    closers.push(() => small.close());
    const body = JSON.stringify({ model: "mock/mock-chat", messages: [{ role: "user", content: "x".repeat(5_000) }] });
    const res = await fetch(`${small.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body,
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      error: {
        message: "The request body is larger than the limit of 2048 bytes.",
        type: "invalid_request_error",
        code: "request_too_large",
        param: null,
      },
    });

    // Without a content-length (chunked), the limit holds while reading.
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        `${small.url}/v1/chat/completions`,
        { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" } },
        (r) => {
          let text = "";
          r.on("data", (c: Buffer) => (text += c));
          r.on("end", () => resolve({ status: r.statusCode!, body: text }));
        },
      );
      req.on("error", reject);
      req.write(body.slice(0, 1500));
      req.end(body.slice(1500));
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body).error.code).toBe("request_too_large");

    const sdk = new OpenAI({ apiKey: key, baseURL: `${small.url}/v1`, maxRetries: 0 });
    const error = await sdk.chat.completions
      .create({ model: "mock/mock-chat", messages: [{ role: "user", content: "y".repeat(3_000) }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(413);
    // Under the limit, the same server answers.
    const ok = await sdk.chat.completions.create({
      model: "mock/mock-chat",
      messages: [{ role: "user", content: "small" }],
    });
    expect(ok.choices[0]!.message.content).toBe("Mock reply to: small");
  });
});
