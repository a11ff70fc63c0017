/**
 * The gateway-facing loaders of IP rules and quotas: they cache, and a change made through the console reaches
 * them at once through the "governance" topic. `checkRequestIp` believes X-Forwarded-For only from a trusted
 * proxy.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ipRules } from "@drizzle/schema";
import { CLI_ACTOR, type Actor } from "@server/audit/audit.server";
import { createAccessKey } from "@server/access-keys/manage.server";
import { createUser } from "@server/auth/users.server";
import { getDb } from "@server/db/client.server";
import {
  addIpRule,
  checkRequestIp,
  deleteIpRule,
  getIpRules,
  setTrustedProxies,
} from "@server/governance/ip-rules.server";
import { deleteQuota, getQuotaRules, limitsForCaller, setQuota } from "@server/governance/quotas.server";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let hub: TempHub;
let actor: Actor;
let userId: string;
let keyId: string;

beforeAll(async () => {
  hub = await createTempHub();
  const owner = await createUser({ email: "owner@example.com", role: "owner" }, CLI_ACTOR);
  actor = { id: owner.id, label: owner.email, role: "owner" };
  userId = owner.id;
  keyId = (await createAccessKey({ userId, name: "k", appName: "cli" }, CLI_ACTOR)).record.id;
});
afterAll(() => hub.cleanup());

const request = (peer: string, xff?: string) =>
  new Request("http://hub/api/v2/models", {
    headers: { "x-hub-client-ip": peer, ...(xff ? { "x-forwarded-for": xff } : {}) },
  });

describe("IP rules loader", () => {
  it("caches the rules and drops them when the console changes one", async () => {
    expect(await getIpRules()).toEqual([]);
    // Written behind the console's back: the cache does not see it...
    const db = await getDb();
    await db.insert(ipRules).values({ id: "ipr_raw", action: "deny", cidr: "192.0.2.0/24" });
    expect(await getIpRules()).toEqual([]);
    // ...until a console change publishes "governance".
    const rule = await addIpRule({ action: "deny", cidr: "2001:db8::/32 " }, actor);
    expect(rule.cidr).toBe("2001:db8::/32");
    expect((await getIpRules()).map((r) => r.cidr).sort()).toEqual(["192.0.2.0/24", "2001:db8::/32"]);
    await deleteIpRule("ipr_raw", actor);
    expect((await getIpRules()).map((r) => r.cidr)).toEqual(["2001:db8::/32"]);
  });

  it("stores canonical CIDRs and refuses duplicates", async () => {
    const rule = await addIpRule({ action: "allow", cidr: "10.1.2.3/8", accessKeyId: keyId, note: "office" }, actor);
    expect(rule).toMatchObject({
      cidr: "10.0.0.0/8",
      note: "office",
      key: { id: keyId, name: "k", userEmail: "owner@example.com" },
    });
    await expect(addIpRule({ action: "allow", cidr: "10.0.0.0/8", accessKeyId: keyId }, actor)).rejects.toThrow(
      /already an allow rule/,
    );
    await deleteIpRule(rule.id, actor);
  });

  it("checkRequestIp: rules by the socket address; X-Forwarded-For only from trusted proxies", async () => {
    const deny = await addIpRule({ action: "deny", cidr: "198.51.100.7" }, actor);
    expect((await checkRequestIp(request("::ffff:198.51.100.7"), keyId)).decision).toMatchObject({
      allowed: false,
      reason: "denied",
    });
    // A client cannot dodge the rule by sending its own X-Forwarded-For...
    expect(await checkRequestIp(request("198.51.100.7", "203.0.113.1"), keyId)).toMatchObject({
      ip: "198.51.100.7",
      decision: { allowed: false },
    });
    // ...nor frame someone else from behind an untrusted peer.
    expect(await checkRequestIp(request("203.0.113.9", "198.51.100.7"), keyId)).toMatchObject({
      ip: "203.0.113.9",
      decision: { allowed: true },
    });
    // Behind a trusted proxy the forwarded address is the client's.
    await setTrustedProxies(["10.0.0.0/8"], actor);
    expect(await checkRequestIp(request("10.0.0.2", "198.51.100.7"), keyId)).toMatchObject({
      ip: "198.51.100.7",
      decision: { allowed: false, rule: { id: deny.id } },
    });
    await setTrustedProxies([], actor);
    await deleteIpRule(deny.id, actor);
  });
});

describe("quota loader", () => {
  it("applies the console's quotas to a caller at once after each change", async () => {
    expect(await limitsForCaller({ userId, keyId, appName: "cli" })).toEqual([]);
    const quota = await setQuota({ scope: "user", scopeId: userId, requestsPerMinute: 60, tokensPerDay: 1000 }, actor);
    expect(quota.label).toBe("owner@example.com");
    await setQuota({ scope: "app", scopeId: "cli", concurrency: 2 }, actor);
    const limits = await limitsForCaller({ userId, keyId, appName: "cli", keyLimits: { requestsPerMinute: 5 } });
    expect(limits.map((l) => `${l.counterKey}=${l.limit}`)).toEqual([
      `user:${userId}:requestsPerMinute=60`,
      `user:${userId}:tokensPerDay=1000`,
      `key:${keyId}:requestsPerMinute=5`,
      "app:cli:concurrency=2",
    ]);
    // Setting the same scope again replaces its row.
    await setQuota({ scope: "user", scopeId: userId, requestsPerMinute: 30 }, actor);
    expect((await getQuotaRules()).filter((r) => r.scope === "user")).toEqual([
      expect.objectContaining({ requestsPerMinute: 30, tokensPerDay: null }),
    ]);
    await deleteQuota(quota.id, actor);
    expect((await getQuotaRules()).map((r) => r.scope)).toEqual(["app"]);
  });

  it("refuses quotas for users and keys that do not exist", async () => {
    await expect(setQuota({ scope: "user", scopeId: "usr_nope", requestsPerMinute: 1 }, actor)).rejects.toThrow(
      /No such user/,
    );
    await expect(setQuota({ scope: "key", scopeId: "key_nope", requestsPerMinute: 1 }, actor)).rejects.toThrow(
      /No such access key/,
    );
  });
});
