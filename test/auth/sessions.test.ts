/**
 * Sessions as sign-in leaves them: "sign out everywhere" ends every session of the user (after the cross-site
 * check, which refuses and records a forged post), an expired session and a disabled user's session no longer
 * sign anyone in, and a tampered session cookie is just "signed out".
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessions, users } from "@drizzle/schema";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { getSession, createUserSession } from "@server/auth/session.server";
import { signOutEverywhere } from "@server/auth/sign-out-everywhere.server";
import { createUser } from "@server/auth/users.server";
import { sha256Hex } from "@server/crypto/tokens";
import { getDb } from "@server/db/client.server";
import { createTempHub, type TempHub } from "../helpers/temp-db";
import { auditRows, CLIENT_IP, HUB } from "./oauth-harness";

let hub: TempHub;
beforeAll(async () => {
  hub = await createTempHub();
});
afterAll(async () => hub.cleanup());

const page = (cookie: string) => new Request(`${HUB}/usage`, { headers: { cookie } });
const newSession = async (userId: string) =>
  (await createUserSession(userId, new Request(`${HUB}/setup`))).split(";")[0]!;
const post = (cookie: string, headers: Record<string, string>) =>
  new Request(`${HUB}/signout-everywhere`, {
    method: "POST",
    headers: { cookie, "x-hub-client-ip": CLIENT_IP, ...headers },
  });

describe("sign out everywhere", () => {
  it("refuses a cross-site post, records it, and ends nothing", async () => {
    const user = await createUser({ email: "csrf@example.com", name: "C" }, CLI_ACTOR);
    const cookie = await newSession(user.id);
    let thrown: unknown;
    try {
      await signOutEverywhere(post(cookie, { origin: "https://evil.example", "sec-fetch-site": "cross-site" }));
    } catch (error) {
      thrown = error;
    }
    expect((thrown as Response).status).toBe(403);
    expect(await getSession(page(cookie))).not.toBeNull();
    expect((await auditRows("auth.csrf_refused"))[0]).toMatchObject({
      ip: CLIENT_IP,
      after: { path: "/signout-everywhere", origin: "https://evil.example" },
    });
  });

  it("ends the sessions of every browser, clears this one's cookie, and is audited", async () => {
    const user = await createUser({ email: "everywhere@example.com", name: "E" }, CLI_ACTOR);
    const other = await createUser({ email: "bystander@example.com", name: "B" }, CLI_ACTOR);
    const laptop = await newSession(user.id);
    const phone = await newSession(user.id);
    const bystander = await newSession(other.id);
    const setCookie = await signOutEverywhere(post(laptop, { origin: HUB, "sec-fetch-site": "same-origin" }));
    expect(setCookie).toMatch(/^hub_session=; .*Max-Age=0/);
    expect(await getSession(page(laptop))).toBeNull();
    expect(await getSession(page(phone))).toBeNull();
    expect(await getSession(page(bystander))).not.toBeNull();
    expect((await auditRows("auth.sign_out_everywhere"))[0]).toMatchObject({
      actorId: user.id,
      ip: CLIENT_IP,
      targetId: user.id,
    });
  });

  it("sends a signed-out browser to sign in", async () => {
    await expect(
      signOutEverywhere(post("hub_session=nope", { "sec-fetch-site": "same-origin" })),
    ).rejects.toMatchObject({ status: 302 });
  });
});

describe("sessions", () => {
  it("refuse an expired session, a tampered cookie, and a disabled user", async () => {
    const user = await createUser({ email: "s@example.com", name: "S" }, CLI_ACTOR);
    const db = await getDb();
    const expired = await newSession(user.id);
    const expiredId = sha256Hex(expired.split("=")[1]!); // the database keeps the token's hash
    await db
      .update(sessions)
      .set({ expiresAt: Math.floor(Date.now() / 1000) - 1 })
      .where(eq(sessions.id, expiredId));
    expect(await getSession(page(expired))).toBeNull();

    const valid = await newSession(user.id);
    expect(await getSession(page(valid.slice(0, -1) + (valid.endsWith("a") ? "b" : "a")))).toBeNull();
    expect(await getSession(page(valid))).not.toBeNull();

    await db.update(users).set({ status: "disabled" }).where(eq(users.id, user.id));
    expect(await getSession(page(valid))).toBeNull();
    expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0); // signed out at once
  });
});
