/**
 * The Providers page's health and traffic: the circuit breaker's state while it has one, else the state stored
 * by any instance; calls and error rate over the last hour only, per credential and per provider.
 */
import net from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentials, modelCalls } from "@drizzle/schema";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { testCredential } from "@server/catalog/credential-test.server";
import { addCredential } from "@server/catalog/credentials.server";
import { listProvidersForAdmin } from "@server/catalog/provider-list.server";
import { addProvider } from "@server/catalog/providers.server";
import { newId } from "@server/crypto/tokens";
import { getDb } from "@server/db/client.server";
import { breaker } from "@server/gateway/credential-health.server";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let hub: TempHub;
let providerId: string;
let a: string;
let b: string;

beforeAll(async () => {
  hub = await createTempHub();
  const { provider, credential } = await addProvider(
    { kind: "openai", name: "openai", apiKey: "sk-list-test-aaaa1111" },
    CLI_ACTOR,
  );
  providerId = provider.id;
  a = credential!.id;
  b = (await addCredential({ providerId, name: "b", apiKey: "sk-list-test-bbbb2222", weight: 3 }, CLI_ACTOR)).id;
});
afterAll(() => hub.cleanup());

async function call(credentialId: string, status: "success" | "failed", minutesAgo: number) {
  const db = await getDb();
  await db.insert(modelCalls).values({
    id: newId("cal"),
    requestId: newId("req"),
    type: "chat",
    endpoint: "/v1/chat/completions",
    providerId,
    providerName: "openai",
    credentialId,
    status,
    createdAt: new Date(Date.now() - minutesAgo * 60_000),
  });
}

describe("listProvidersForAdmin", () => {
  it("counts the last hour's calls and errors per credential and provider", async () => {
    await call(a, "success", 5);
    await call(a, "failed", 10);
    await call(a, "success", 59);
    await call(a, "failed", 61); // older than an hour: not counted
    await call(b, "success", 1);
    const [p] = await listProvidersForAdmin();
    expect(p!.lastHour).toEqual({ calls: 4, errors: 1, errorRate: 0.25 });
    const byName = Object.fromEntries(p!.credentials.map((c) => [c.name, c]));
    expect(byName.default!.lastHour).toEqual({ calls: 3, errors: 1, errorRate: 1 / 3 });
    expect(byName.b!.lastHour).toEqual({ calls: 1, errors: 0, errorRate: 0 });
    expect(byName.b).toMatchObject({ weight: 3, secretPreview: "…2222", enabled: true, health: "healthy" });
    expect(JSON.stringify(p)).not.toContain("sk-list-test");
  });

  it("shows the breaker's verdict while it has one", async () => {
    const now = Date.now();
    for (let i = 0; i < 3; i++) breaker.recordFailure(a, now);
    let [p] = await listProvidersForAdmin(now + 1_000);
    const cred = p!.credentials.find((c) => c.id === a)!;
    expect(cred).toMatchObject({ health: "unhealthy", consecutiveFailures: 3 });
    expect(Date.parse(cred.cooldownUntil!)).toBe(now + 30_000);
    [p] = await listProvidersForAdmin(now + 31_000);
    expect(p!.credentials.find((c) => c.id === a)!.health).toBe("probing");
    breaker.reset();
  });

  it("otherwise shows the state another instance stored, with its last error", async () => {
    const db = await getDb();
    const past = new Date(Date.now() - 1_000);
    await db
      .update(credentials)
      .set({
        health: "unhealthy",
        consecutiveFailures: 4,
        cooldownUntil: past,
        lastError: "503 overloaded",
        lastErrorAt: past,
      })
      .where(eq(credentials.id, b));
    const [p] = await listProvidersForAdmin();
    // The stored cooldown has passed: the next call is the probe.
    expect(p!.credentials.find((c) => c.id === b)).toMatchObject({
      health: "probing",
      consecutiveFailures: 4,
      lastError: "503 overloaded",
    });
  });
});

describe("the credential test", () => {
  it("reports an unreachable provider in words, and remembers it as the last error", async () => {
    const port = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const dead = await addCredential(
      { providerId, name: "dead", apiKey: "sk-list-test-cccc3333", baseUrl: `http://127.0.0.1:${port}/v1` },
      CLI_ACTOR,
    );
    const result = await testCredential(dead.id, undefined, CLI_ACTOR);
    expect(result).toMatchObject({ ok: false, status: 502, model: "gpt-4.1-nano" });
    expect(result.message).toMatch(/^502 upstream_unreachable: Could not reach the provider/);
    const [p] = await listProvidersForAdmin();
    expect(p!.credentials.find((c) => c.id === dead.id)!.lastError).toBe(`Test: ${result.message}`);
  });

  it("asks for a model when the provider's kind has no well-known one", async () => {
    const { credential } = await addProvider(
      { kind: "openrouter", name: "router", apiKey: "sk-or-list-test-dddd4444" },
      CLI_ACTOR,
    );
    expect(await testCredential(credential!.id, undefined, CLI_ACTOR)).toMatchObject({
      ok: false,
      status: null,
      message: expect.stringMatching(/Add a chat model/),
    });
  });
});
