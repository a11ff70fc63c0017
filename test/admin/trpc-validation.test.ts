/**
 * Inputs out of range are refused before anything changes, with a readable message and the field it concerns;
 * service-level rules (a rate in the past, the last owner, a bad CIDR) answer the same way. The HTTP tests go
 * through /api/trpc's real handler with a session cookie, to see exactly what the browser gets.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "@drizzle/schema";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { createUserSession } from "@server/auth/session.server";
import { createUser, type UserRow } from "@server/auth/users.server";
import { getDb } from "@server/db/client.server";
import { handleTrpcRequest } from "@server/trpc/handler.server";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";
import { callerFor, codeOf, type Caller } from "@test/helpers/trpc-caller";

let hub: TempHub;
let owner: UserRow;
let caller: Caller;
let providerId: string;
let modelId: string;

const rate = {
  inputPerMillion: 1,
  outputPerMillion: 1,
  cachedInputPerMillion: null,
  perImage: null,
  imagePrices: null,
};

beforeAll(async () => {
  hub = await createTempHub();
  owner = await createUser({ email: "owner@example.com", role: "owner" }, CLI_ACTOR);
  caller = callerFor(owner);
  providerId = (await caller.providers.create({ kind: "mock", name: "mock" })).id;
  modelId = (await caller.models.create({ providerId, model: "mock-chat", type: "chat", rate })).id;
});
afterAll(() => hub.cleanup());

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string; cause: unknown }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code: string; message: string; cause: unknown };
    return { code: e.code, message: e.message, cause: e.cause };
  }
  throw new Error("expected a refusal");
}

describe("out-of-range inputs are refused", () => {
  const cases: Array<[string, (c: Caller) => Promise<unknown>]> = [
    [
      "a weight above 1000",
      (c) => c.providers.create({ kind: "openai", name: "x", apiKey: "sk-1234567890abcdef", weight: 5000 }),
    ],
    ["a negative weight", (c) => c.providers.addCredential({ providerId, name: "w", weight: -1 })],
    ["an unknown provider kind", (c) => c.providers.create({ kind: "skynet" as "openai", name: "x" })],
    ["a provider name with spaces", (c) => c.providers.create({ kind: "mock", name: "My Provider" })],
    [
      "a base URL that is not http(s)",
      (c) => c.providers.create({ kind: "mock", name: "m2", baseUrl: "ftp://example.com" }),
    ],
    ["a negative rate", (c) => c.models.addRate({ id: modelId, rate: { ...rate, inputPerMillion: -5 } })],
    ["a fractional micro-rate", (c) => c.models.addRate({ id: modelId, rate: { ...rate, outputPerMillion: 0.5 } })],
    [
      "a rate starting last week",
      (c) =>
        c.models.addRate({ id: modelId, effectiveFrom: new Date(Date.now() - 7 * 86_400_000).toISOString(), rate }),
    ],
    [
      "an image price key that is not size:quality",
      (c) => c.models.addRate({ id: modelId, rate: { ...rate, imagePrices: { huge: 1 } } }),
    ],
    ["an unknown model type", (c) => c.models.create({ providerId, model: "m", type: "video" as "chat", rate })],
    ["an alias with spaces", (c) => c.models.setAliases({ id: modelId, aliases: ["my alias"] })],
    ["an unknown role", (c) => c.users.setRole({ id: owner.id, role: "superuser" as "admin" })],
    ["a grant of zero credits", (c) => c.users.grantCredits({ id: owner.id, amountMicro: 0 })],
    ["a negative quota", (c) => c.quotas.set({ scope: "global", requestsPerMinute: -1 })],
    ["zero concurrency", (c) => c.quotas.set({ scope: "global", concurrency: 0 })],
    ["a quota without limits", (c) => c.quotas.set({ scope: "global" })],
    ["a user quota without a user", (c) => c.quotas.set({ scope: "user", requestsPerMinute: 5 })],
    ["an IPv4 prefix of /33", (c) => c.ipRules.create({ action: "deny", cidr: "10.0.0.0/33" })],
    ["an IPv6 CIDR with two ::", (c) => c.ipRules.create({ action: "deny", cidr: "2001::db8::/32" })],
    ["a trusted proxy that is not an address", (c) => c.ipRules.setTrustedProxies({ proxies: ["proxy.local"] })],
    ["a retention of 400 days", (c) => c.settings.update({ bodyLogRetentionDays: 400 })],
    ["a margin over 1000 %", (c) => c.settings.update({ profitMarginBps: 100_001 })],
    ["a credit price of zero", (c) => c.settings.update({ creditPriceMicroUsd: 0 })],
    ["a payment link that is not a URL", (c) => c.settings.update({ paymentLink: "pay me" })],
    ["an email domain that is not a domain", (c) => c.settings.update({ allowedEmailDomains: ["not a domain"] })],
    [
      "an OIDC client without an issuer",
      (c) => c.settings.setOAuthClient({ id: "oidc", clientId: "c", clientSecret: "s" }),
    ],
    ["an audit filter date that is not a date", (c) => c.audit.list({ from: "yesterday-ish" })],
  ];

  it.each(cases)("%s → BAD_REQUEST, nothing written", async (_name, run) => {
    const db = await getDb();
    const before = (await db.select({ id: auditLog.id }).from(auditLog)).length;
    const { code, message } = await refusal(run(caller));
    expect(code).toBe("BAD_REQUEST");
    expect(message.length).toBeGreaterThan(3);
    expect((await db.select({ id: auditLog.id }).from(auditLog)).length).toBe(before);
  });

  it("the owner cannot demote themselves, nor disable themselves", async () => {
    expect(await codeOf(caller.users.setRole({ id: owner.id, role: "member" }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.users.setStatus({ id: owner.id, status: "disabled" }))).toBe("BAD_REQUEST");
  });

  it("an admin cannot disable another admin or an owner; a demoted owner loses owner rights", async () => {
    const admin = await createUser({ email: "admin@example.com", role: "admin" }, CLI_ACTOR);
    const other = await createUser({ email: "other-admin@example.com", role: "admin" }, CLI_ACTOR);
    expect(await codeOf(callerFor(admin).users.setStatus({ id: other.id, status: "disabled" }))).toBe("FORBIDDEN");
    expect(await codeOf(callerFor(admin).users.setStatus({ id: owner.id, status: "disabled" }))).toBe("FORBIDDEN");
    const second = await createUser({ email: "second-owner@example.com", role: "owner" }, CLI_ACTOR);
    expect(await codeOf(callerFor(second).users.setRole({ id: owner.id, role: "admin" }))).toBe("OK");
    // The context reads the role afresh on every request: the demoted owner is an admin now.
    const demoted = { ...owner, role: "admin" as const };
    expect(await codeOf(callerFor(demoted).users.setRole({ id: second.id, role: "member" }))).toBe("FORBIDDEN");
    expect(await codeOf(callerFor(second).users.setRole({ id: owner.id, role: "owner" }))).toBe("OK");
  });

  it("conflicts are CONFLICT, unknown ids NOT_FOUND", async () => {
    expect(await codeOf(caller.providers.create({ kind: "mock", name: "mock" }))).toBe("CONFLICT");
    expect(await codeOf(caller.models.create({ providerId, model: "mock-chat", type: "chat", rate }))).toBe("CONFLICT");
    expect(await codeOf(caller.providers.update({ id: "prv_nope", enabled: false }))).toBe("NOT_FOUND");
    expect(await codeOf(caller.users.grantCredits({ id: owner.id, amountMicro: 1 }))).toBe("CONFLICT"); // billing is off
  });
});

describe("errors over HTTP, as the browser sees them", () => {
  async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
    const cookieRequest = new Request("http://localhost:3999/", { headers: { "x-hub-client-ip": "127.0.0.1" } });
    const cookie = (await createUserSession(headers.as ?? owner.id, cookieRequest)).split(";")[0]!;
    const response = await handleTrpcRequest(
      new Request(`http://localhost:3999/api/trpc/${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          cookie,
          "sec-fetch-site": "same-origin",
          "x-hub-client-ip": "127.0.0.1",
          ...headers,
        },
        body: JSON.stringify(body),
      }),
    );
    return {
      status: response.status,
      body: (await response.json()) as {
        error: {
          message: string;
          data: { code: string; fieldErrors: Record<string, string> | null } & Record<string, unknown>;
        };
      },
    };
  }

  it("input errors name each field in readable words, with no stack", async () => {
    const { status, body } = await post("providers.create", { kind: "openai", name: "", weight: 5000 });
    expect(status).toBe(400);
    expect(body.error.data.fieldErrors).toEqual({ name: "is required", weight: "must be at most 1000" });
    expect(body.error.message).toBe("Check 2 fields: name: is required");
    expect(body.error.data).not.toHaveProperty("stack");
  });

  it("service errors carry their field too", async () => {
    const { status, body } = await post("ipRules.create", { action: "deny", cidr: "10.0.0.0/33" });
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/is not an IPv4 or IPv6 address or CIDR/);
    expect(body.error.data.fieldErrors).toEqual({ cidr: body.error.message });
    const conflict = await post("providers.create", { kind: "mock", name: "mock" });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.message).toBe("A provider named mock already exists");
  });

  it("a cross-site POST is refused with a sentence, not a stack", async () => {
    const { status, body } = await post(
      "providers.create",
      { kind: "mock", name: "evil" },
      { "sec-fetch-site": "cross-site" },
    );
    expect(status).toBe(403);
    expect(body.error.message).toBe("This request came from another site and was refused.");
  });

  it("a request without a session is told to sign in", async () => {
    const response = await handleTrpcRequest(new Request("http://localhost:3999/api/trpc/providers.list"));
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe("Sign in to continue.");
    expect(response.headers.get("cache-control")).toBe("no-store");
  });
});
