/** `GET /api/v2/me` over real HTTP: with an access key, with the browser's session cookie, and refusals. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revokeAccessKey } from "@server/access-keys/manage.server";
import { createUserSession } from "@server/auth/session.server";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { grantCredits } from "@server/billing/credits.server";
import { settings } from "@drizzle/schema";
import { publish } from "@server/cache/invalidation.server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let hub: TempHub;
let api: ApiServer;
let seeded: Awaited<ReturnType<typeof seedUserWithKey>>;

beforeAll(async () => {
  hub = await createTempHub();
  seeded = await seedUserWithKey("me@example.com", { appName: "me-app" });
  api = await startApiServer();
});
afterAll(async () => {
  await api.close();
  await hub.cleanup();
});

/**
 * Billing on/off written as the settings row it is. (updateSettings() cannot be used here yet: zod 4 applies the
 * schema's defaults inside .partial(), so a one-key patch also writes paymentLink: null into a NOT NULL column.)
 */
async function setBilling(enabled: boolean) {
  await hub.database.db
    .insert(settings)
    .values({ key: "billingEnabled", value: enabled })
    .onConflictDoUpdate({ target: settings.key, set: { value: enabled } });
  publish("settings");
}

const me = (headers: Record<string, string> = {}) => fetch(`${api.url}/api/v2/me`, { headers });

describe("GET /api/v2/me", () => {
  it("answers who an access key belongs to, and which key it is", async () => {
    const response = await me({ authorization: `Bearer ${seeded.key}` });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({
      id: seeded.user.id,
      email: "me@example.com",
      name: "Dev",
      role: "member",
      key: { id: seeded.keyRecord.id, name: "test", appName: "me-app", prefix: seeded.keyRecord.prefix },
      billing: { enabled: false, balance: null, balanceMicro: null },
    });
  });

  it("shows the credit balance as a decimal string when billing is on", async () => {
    await setBilling(true);
    await grantCredits(seeded.user.id, 12_500_000, "test", CLI_ACTOR);
    const body = await (await me({ authorization: `Bearer ${seeded.key}` })).json();
    expect(body.billing).toEqual({ enabled: true, balance: "12.5", balanceMicro: 12_500_000 });
    await setBilling(false);
  });

  it("answers for the signed-in browser through the session cookie, with no key", async () => {
    const setCookie = await createUserSession(seeded.user.id, new Request("http://hub.test/"));
    const cookie = setCookie.split(";")[0]!;
    const response = await me({ cookie });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: seeded.user.id, email: "me@example.com", key: null });

    // A wrong key is refused even next to a valid cookie: a tool never silently acts as the browser's user.
    const wrong = await me({ cookie, authorization: "Bearer hub-sk-wrong" });
    expect(wrong.status).toBe(401);
  });

  it("refuses no credentials and revoked keys with OpenAI-shaped 401s", async () => {
    const none = await me();
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { type: "authentication_error", code: "missing_api_key" } });

    await revokeAccessKey(seeded.keyRecord.id, seeded.user.id, CLI_ACTOR);
    const revoked = await me({ authorization: `Bearer ${seeded.key}` });
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toMatchObject({ error: { message: "This API key has been revoked." } });
  });
});
