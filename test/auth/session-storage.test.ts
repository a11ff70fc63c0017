/**
 * What the database keeps of a session: only the SHA-256 of the cookie's token, as the row's id. Over real HTTP
 * (the console's tRPC endpoint and /signout-everywhere): the cookie signs in, a value copied from the id column
 * does not, and signing out ends the session.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessions } from "@drizzle/schema";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { createUserSession } from "@server/auth/session.server";
import { createUser, type UserRow } from "@server/auth/users.server";
import { sha256Hex } from "@server/crypto/tokens";
import { getDb } from "@server/db/client.server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let hub: TempHub;
let api: ApiServer;
let owner: UserRow;

beforeAll(async () => {
  hub = await createTempHub();
  api = await startApiServer();
  owner = await createUser({ email: "owner@example.com", role: "owner" }, CLI_ACTOR);
});
afterAll(async () => {
  await api.close();
  await hub.cleanup();
});

/** Sign in as setup does; the cookie's value is the token. */
async function signIn(): Promise<string> {
  const setCookie = await createUserSession(
    owner.id,
    new Request(`${api.url}/setup`, { headers: { "user-agent": "vitest" } }),
  );
  return /^hub_session=([^;]+)/.exec(setCookie)![1]!;
}

/** A console read with this cookie value: 200 when it signs someone in, 401 when not. */
async function consoleStatus(token: string): Promise<number> {
  const response = await fetch(`${api.url}/api/trpc/settings.get`, { headers: { cookie: `hub_session=${token}` } });
  await response.arrayBuffer();
  return response.status;
}

describe("session storage", () => {
  it("keeps only the token's SHA-256, nowhere the token itself", async () => {
    const token = await signIn();
    const rows = await (await getDb()).select().from(sessions).where(eq(sessions.userId, owner.id));
    expect(rows.map((r) => r.id)).toContain(sha256Hex(token));
    const dump = (await hub.database.client.execute("select * from sessions")).rows
      .map((r) => JSON.stringify(r))
      .join("\n");
    expect(dump).not.toContain(token);
  });

  it("signs in with the cookie's token, never with a value read from the database", async () => {
    const token = await signIn();
    expect(await consoleStatus(token)).toBe(200);
    const [row] = await (
      await getDb()
    )
      .select()
      .from(sessions)
      .where(eq(sessions.id, sha256Hex(token)));
    expect(row).toBeDefined();
    expect(await consoleStatus(row!.id)).toBe(401);
  });

  it("signing out everywhere over HTTP ends the session", async () => {
    const token = await signIn();
    const response = await fetch(`${api.url}/signout-everywhere`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: `hub_session=${token}`, origin: api.url, "sec-fetch-site": "same-origin" },
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("set-cookie")).toMatch(/^hub_session=; .*Max-Age=0/);
    expect(await consoleStatus(token)).toBe(401);
    expect(await (await getDb()).select().from(sessions).where(eq(sessions.userId, owner.id))).toHaveLength(0);
  });
});
