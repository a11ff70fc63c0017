/**
 * The permission matrix of every console procedure: nobody → UNAUTHORIZED, a member → FORBIDDEN everywhere, an
 * admin → FORBIDDEN on the owner's procedures, and cross-site mutations refused even for the owner. The list of
 * procedures is read from the router itself, so a new procedure is covered without editing this file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { createUser, type UserRow } from "@server/auth/users.server";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";
import { allProcedures, callerFor, callPath, codeOf, CONSOLE_ROUTERS } from "@test/helpers/trpc-caller";

// settings.update is open to admins for the settings an admin may change; its per-field rules are tested in
// test/admin/setting-permissions.test.ts.
const OWNER_ONLY = new Set([
  "users.setRole",
  "settings.setOAuthClient",
  "settings.removeOAuthClient",
  "settings.generateMetricsToken",
  "settings.revokeMetricsToken",
  "ipRules.setTrustedProxies",
]);

let hub: TempHub;
let owner: UserRow;
let admin: UserRow;
let member: UserRow;

beforeAll(async () => {
  hub = await createTempHub();
  owner = await createUser({ email: "owner@example.com", role: "owner" }, CLI_ACTOR);
  admin = await createUser({ email: "admin@example.com", role: "admin" }, CLI_ACTOR);
  member = await createUser({ email: "member@example.com", role: "member" }, CLI_ACTOR);
});
afterAll(() => hub.cleanup());

const procedures = allProcedures();

describe("console procedures", () => {
  it("include every page's router", () => {
    const routers = new Set(procedures.map((p) => p.path.split(".")[0]));
    expect([...routers].sort()).toEqual([...CONSOLE_ROUTERS]);
    expect(procedures.length).toBeGreaterThan(35);
    for (const path of OWNER_ONLY)
      expect(
        procedures.some((p) => p.path === path),
        path,
      ).toBe(true);
  });

  it.each(procedures.map((p) => [p.path, p]))("%s: signed-out callers get UNAUTHORIZED", async (_path, p) => {
    expect(await codeOf(callPath(callerFor(null), p.path, {}))).toBe("UNAUTHORIZED");
  });

  it.each(procedures.map((p) => [p.path, p]))("%s: a member gets FORBIDDEN", async (_path, p) => {
    expect(await codeOf(callPath(callerFor(member), p.path, {}))).toBe("FORBIDDEN");
  });

  it.each(procedures.filter((p) => OWNER_ONLY.has(p.path)).map((p) => [p.path, p]))(
    "%s: an admin gets FORBIDDEN",
    async (_path, p) => {
      expect(await codeOf(callPath(callerFor(admin), p.path, {}))).toBe("FORBIDDEN");
    },
  );

  it.each(procedures.filter((p) => !OWNER_ONLY.has(p.path)).map((p) => [p.path, p]))(
    "%s: an admin gets past the role check",
    async (_path, p) => {
      // With an empty input the call fails validation or finds nothing, but never for want of a role.
      expect(await codeOf(callPath(callerFor(admin), p.path, {}))).not.toMatch(/FORBIDDEN|UNAUTHORIZED/);
    },
  );

  it.each(procedures.filter((p) => OWNER_ONLY.has(p.path)).map((p) => [p.path, p]))(
    "%s: the owner gets past the role check",
    async (_path, p) => {
      expect(await codeOf(callPath(callerFor(owner), p.path, {}))).not.toMatch(/FORBIDDEN|UNAUTHORIZED/);
    },
  );

  it.each(procedures.filter((p) => p.type === "mutation").map((p) => [p.path, p]))(
    "%s: refused cross-site, even for the owner",
    async (_path, p) => {
      expect(await codeOf(callPath(callerFor(owner, { sameOrigin: false }), p.path, {}))).toBe("FORBIDDEN");
    },
  );

  it("cross-site reads are still answered (a browser cannot read them across origins anyway)", async () => {
    await expect(callerFor(owner, { sameOrigin: false }).providers.list()).resolves.toEqual([]);
  });
});
