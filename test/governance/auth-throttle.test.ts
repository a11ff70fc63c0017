/**
 * Failed authentications throttled per client address, over real HTTP: the 21st wrong key in a minute gets 429
 * with Retry-After in OpenAI's shape, a valid key from the same address still works, another address is not
 * affected; unknown device codes and unknown AIGNE connect sessions count the same way; the owner's setting
 * overrides the default. Addresses are told apart by X-Forwarded-For from a trusted proxy (127.0.0.1 here), the
 * way the hub sees clients behind a load balancer.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { setTrustedProxies } from "@server/governance/ip-rules.server";
import { updateSettings } from "@server/settings/settings.server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { seedProvider, seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let hub: TempHub;
let api: ApiServer;
let key: string;

beforeAll(async () => {
  hub = await createTempHub();
  ({ key } = await seedUserWithKey());
  await seedProvider({ kind: "mock", name: "mock" }, [{ model: "mock-chat" }]);
  await setTrustedProxies(["127.0.0.1"], CLI_ACTOR);
  api = await startApiServer();
});

afterAll(async () => {
  await api.close();
  await hub.cleanup();
});

/** The counts are per minute window: start a burst early in one, so it does not straddle two. */
async function startOfWindow(): Promise<void> {
  const into = Date.now() % 60_000;
  if (into > 45_000) await new Promise((r) => setTimeout(r, 60_000 - into + 50));
}

function chat(from: string, bearer: string) {
  return fetch(`${api.url}/api/v2/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json", "x-forwarded-for": from },
    body: JSON.stringify({ model: "mock/mock-chat", messages: [{ role: "user", content: "hi" }] }),
  });
}

describe("wrong access keys", () => {
  it("answers the 21st wrong key from one address with 429 and Retry-After, and still serves a valid key from it", async () => {
    await startOfWindow();
    const attacker = "203.0.113.7";
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await chat(attacker, `hub-sk-wrong-${i}-xxxxxxxxxxxx`)).status);
    expect(statuses).toEqual(new Array(20).fill(401));

    const refused = await chat(attacker, "hub-sk-wrong-21-xxxxxxxxxxxx");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const body = await refused.json();
    expect(body).toEqual({
      error: {
        message: expect.stringMatching(/^Too many failed authentications from this address/),
        type: "rate_limit_error",
        code: "rate_limit_exceeded",
        param: null,
      },
    });
    // No key at all counts as a failure too.
    const none = await fetch(`${api.url}/api/v2/models`, { headers: { "x-forwarded-for": attacker } });
    expect(none.status).toBe(429);

    const valid = await chat(attacker, key);
    expect(valid.status).toBe(200);
    expect((await valid.json()).choices[0].message.content).toBe("Mock reply to: hi");
    expect(
      (
        await fetch(`${api.url}/api/v2/models`, {
          headers: { authorization: `Bearer ${key}`, "x-forwarded-for": attacker },
        })
      ).status,
    ).toBe(200);

    // Another address is not affected.
    expect((await chat("203.0.113.8", "hub-sk-wrong-other-xxxxxxxxxx")).status).toBe(401);
  });

  it("follows the owner's setting over the default", async () => {
    await startOfWindow();
    await updateSettings({ authFailuresPerMinute: 3 }, CLI_ACTOR);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await chat("198.51.100.1", `hub-sk-nope-${i}-xxxxxxxxxxxx`)).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await updateSettings({ authFailuresPerMinute: null }, CLI_ACTOR);
    }
  });
});

describe("connect flows", () => {
  it("throttles guessed device codes with 429 slow_down", async () => {
    await startOfWindow();
    const poll = (code: string) =>
      fetch(`${api.url}/api/device/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": "192.0.2.10" },
        body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:device_code", device_code: code }),
      });
    for (let i = 0; i < 20; i++) expect((await poll(`guess-${i}`)).status).toBe(400);
    const refused = await poll("guess-21");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await refused.json()).error).toBe("slow_down");
  });

  it("throttles guessed AIGNE connect sessions", async () => {
    await startOfWindow();
    const read = (sid: string) =>
      fetch(`${api.url}/.well-known/service/api/access-key/session?sid=${sid}`, {
        headers: { "x-forwarded-for": "192.0.2.20" },
      });
    for (let i = 0; i < 20; i++) expect((await read(`nope-${i}`)).status).toBe(404);
    const refused = await read("nope-21");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).not.toBeNull();
    expect((await refused.json()).error.type).toBe("rate_limit_error");
  });
});

describe("bounded memory", () => {
  it("keeps failed key lookups under their own bound, without evicting valid keys", async () => {
    const { authenticate, authCacheSizes } = await import("@server/gateway/authenticate.server");
    await updateSettings({ authFailuresPerMinute: 0 }, CLI_ACTOR);
    try {
      const request = (bearer: string) =>
        new Request("http://hub.test/api/v2/models", {
          headers: { authorization: `Bearer ${bearer}`, "x-hub-client-ip": "10.9.9.9" },
        });
      await authenticate(request(key));
      // Every flood key is refused, as it should be: only the size of the failure cache matters here.
      for (let i = 0; i < 2_500; i++) await authenticate(request(`hub-sk-flood-${i}-xxxxxxxxxxxx`)).catch(() => null);
      const sizes = authCacheSizes();
      expect(sizes.failed).toBeLessThanOrEqual(1_000);
      expect(sizes.valid).toBeGreaterThanOrEqual(1);
    } finally {
      await updateSettings({ authFailuresPerMinute: null }, CLI_ACTOR);
    }
  });
});
