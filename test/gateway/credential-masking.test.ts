/**
 * A provider that repeats the key it was sent (raw, URL-encoded, base64 of the key and of `user:key`) in an error,
 * in a 200 answer, in a stream's error event and in a retried 5xx: the key has no known shape, so only masking by
 * value keeps it out of the client's answer, model_calls.error_message, the logged bodies (body logging on) and
 * the process's log lines. See docs/decisions/009-hostile-input.md.
 */
import { eq } from "drizzle-orm";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentials } from "@drizzle/schema";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { testCredential } from "@server/catalog/credential-test.server";
import { setLogLevel, setLogSink } from "@server/log.server";
import { updateSettings } from "@server/settings/settings.server";
import { startFakeUpstream, writeSse, type FakeUpstream } from "@test/fake-upstreams/server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { addCredential } from "@test/helpers/routing";
import { seedProvider, seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";
import { callByRequestId } from "@test/billing/billing-helpers";

const KEY = "zq7-Plain-Opaque-Key-91x";
/** Everything the fake says about the key: as sent, URL-encoded in a query, base64 of the key and of `user:key`. */
const ECHO = `key ${KEY}; url ?key=${encodeURIComponent(KEY + "&")}; b64 ${Buffer.from(KEY).toString("base64")}; basic ${Buffer.from(
  `api:${KEY}`,
).toString("base64")}`;

/** True when the text holds the key, or a base64 run that decodes to something holding it. */
function leaks(text: string | null): boolean {
  if (!text) return false;
  if (text.includes(KEY) || text.includes(encodeURIComponent(KEY))) return true;
  for (const run of text.match(/[A-Za-z0-9+/_-]{16,}={0,2}/g) ?? []) {
    if (Buffer.from(run, "base64").toString("latin1").includes(KEY.slice(1, -1))) return true;
  }
  return false;
}

let hub: TempHub;
let api: ApiServer;
let fake: FakeUpstream;
let key: string;
let client: OpenAI;
const logLines: string[] = [];
let restoreSink: () => void;
let credentialId: string;

const chunk = (content: string) =>
  JSON.stringify({
    id: "c1",
    object: "chat.completion.chunk",
    created: 1,
    model: "echo-1",
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  });

beforeAll(async () => {
  hub = await createTempHub();
  restoreSink = setLogSink((line) => logLines.push(line));
  setLogLevel("debug");
  fake = await startFakeUpstream(async (req, res) => {
    const body = JSON.parse(req.body || "{}");
    const text = String(body.messages?.at(-1)?.content ?? "");
    if (text.includes("[[401]]") || body.model === "deny-1") {
      res.writeHead(401, { "content-type": "application/json" });
      return void res.end(
        JSON.stringify({
          error: { message: `Incorrect API key provided: ${ECHO}`, type: "invalid_request_error", code: `bad_${KEY}` },
        }),
      );
    }
    if (text.includes("[[500]]")) {
      res.writeHead(500, { "content-type": "application/json" });
      return void res.end(
        JSON.stringify({ error: { message: `upstream failed for ${ECHO}`, type: "server_error", code: KEY } }),
      );
    }
    if (body.stream) {
      return writeSse(res, [
        { data: chunk("Hello ") },
        { data: chunk(`you sent ${KEY} `) },
        { data: JSON.stringify({ error: { message: `stream broke: ${ECHO}`, type: "server_error" } }) },
      ]);
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        id: "c2",
        object: "chat.completion",
        created: 1,
        model: "echo-1",
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: `Your key is ${ECHO}; escaped ${KEY.replace(/-/g, "\\u002d")}` },
            finish_reason: "stop",
          },
        ],
        usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 },
      }).replace(/\\\\u002d/g, "\\u002d"),
    );
  });
  const { provider, credential } = await seedProvider(
    { kind: "openai", name: "echo", baseUrl: `${fake.url}/v1`, apiKey: KEY },
    [{ model: "echo-1" }],
  );
  credentialId = credential!.id;
  // A second credential on the same upstream with another opaque key: a 5xx on one fails over to the other.
  await addCredential(provider.id, { name: "second", secret: KEY, baseUrl: `${fake.url}/v1` });
  await updateSettings({ bodyLogRetentionDays: 7 }, CLI_ACTOR);
  ({ key } = await seedUserWithKey("echo@example.com"));
  api = await startApiServer();
  client = new OpenAI({ apiKey: key, baseURL: `${api.url}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  restoreSink();
  setLogLevel("silent");
  await api.close();
  await fake.close();
  await hub.cleanup();
});

async function post(content: string, stream = false) {
  const res = await fetch(`${api.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "echo/echo-1", stream, messages: [{ role: "user", content }] }),
  });
  // The record's request id is the hub's own, answered as x-request-id.
  const requestId = res.headers.get("x-request-id") ?? "";
  return { status: res.status, text: await res.text(), row: await callByRequestId(hub, requestId) };
}

describe("a provider that echoes the key", () => {
  it("masks it in an error answer, the stored error message and the logged error body", async () => {
    const { status, text, row } = await post("[[401]]");
    expect(status).toBe(401);
    expect(JSON.parse(text).error.message).toContain("Incorrect API key provided: key [redacted]");
    expect(leaks(text)).toBe(false);
    expect(row.errorMessage).toContain("[redacted]");
    for (const stored of [row.errorMessage, row.errorCode, row.responseBody, row.requestBody])
      expect(leaks(stored)).toBe(false);
  });

  it("masks it in a 200 answer (also when written with JSON escapes) and in the logged answer", async () => {
    const { status, text, row } = await post("hello");
    expect(status).toBe(200);
    expect(JSON.parse(text).choices[0].message.content).toMatch(/^Your key is key \[redacted\];/);
    expect(leaks(text)).toBe(false);
    expect(leaks(row.responseBody)).toBe(false);
    expect(row.responseBody).toContain("[redacted]");
  });

  it("masks it in a stream's chunks and its error event, with the SDK reading the stream", async () => {
    const stream = await client.chat.completions.create({
      model: "echo/echo-1",
      stream: true,
      messages: [{ role: "user", content: "hi" }],
    });
    let seen = "";
    const error = await (async () => {
      for await (const c of stream) seen += c.choices[0]?.delta?.content ?? "";
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toContain("stream broke: key [redacted]");
    expect(leaks((error as Error).message)).toBe(false);
    expect(seen).toBe("Hello you sent [redacted] ");
    const raw = await post("hi", true);
    expect(leaks(raw.text)).toBe(false);
    expect(leaks(raw.row.errorMessage)).toBe(false);
    expect(leaks(raw.row.responseBody)).toBe(false);
  });

  it("masks it when every credential fails with a 5xx (failover warnings included)", async () => {
    const { status, text, row } = await post("[[500]]");
    expect(status).toBe(500);
    expect(leaks(text)).toBe(false);
    expect(leaks(row.errorMessage)).toBe(false);
    expect(leaks(row.errorCode)).toBe(false);
    expect(logLines.some((l) => l.includes("upstream attempt failed"))).toBe(true);
  });

  it("masks it in the console's credential test and the credential's last error", async () => {
    const result = await testCredential(credentialId, "deny-1", CLI_ACTOR);
    expect(result).toMatchObject({ ok: false, status: 401 });
    expect(result.message).toContain("[redacted]");
    expect(leaks(result.message)).toBe(false);
    const [row] = await hub.database.db.select().from(credentials).where(eq(credentials.id, credentialId));
    expect(leaks(row!.lastError)).toBe(false);
  });

  it("never wrote it to a log line", () => {
    expect(logLines.length).toBeGreaterThan(5);
    expect(logLines.filter(leaks)).toEqual([]);
  });
});
