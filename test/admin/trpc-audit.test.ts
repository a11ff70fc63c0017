/**
 * Every console mutation leaves an audit row naming the actor, the action, the target, the IP and the time, and
 * every catalog or governance change tells the caches (publish). The scenario below calls each mutation with a
 * real input; the last test proves the scenario covered every mutation the router has.
 */
import { desc } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "@drizzle/schema";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { createAccessKey } from "@server/access-keys/manage.server";
import { createUser, type UserRow } from "@server/auth/users.server";
import { subscribe, type Topic } from "@server/cache/invalidation.server";
import { getDb } from "@server/db/client.server";
import { startFakeOpenAI } from "@test/fake-upstreams/openai";
import type { FakeUpstream } from "@test/fake-upstreams/server";
import { chargedCall } from "@test/helpers/charged-call";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";
import { allProcedures, callerFor, TEST_IP, type Caller } from "@test/helpers/trpc-caller";

let hub: TempHub;
let upstream: FakeUpstream;
let owner: UserRow;
let member: UserRow;
let caller: Caller;
const covered = new Set<string>();
const published: Topic[] = [];

beforeAll(async () => {
  hub = await createTempHub();
  upstream = await startFakeOpenAI({ apiKey: "sk-audit-test-key-0123456789" });
  owner = await createUser({ email: "owner@example.com", name: "Olive Owner", role: "owner" }, CLI_ACTOR);
  member = await createUser({ email: "member@example.com", name: "Max Member" }, CLI_ACTOR);
  caller = callerFor(owner);
  for (const topic of ["catalog", "governance", "settings", "access-keys"] as Topic[])
    subscribe(topic, () => published.push(topic));
});
afterAll(async () => {
  await upstream.close();
  await hub.cleanup();
});

const seen = new Set<string>();
let last: typeof auditLog.$inferSelect;

/** Audit rows written since the previous call. */
async function newAuditRows() {
  const rows = await (await getDb()).select().from(auditLog).orderBy(desc(auditLog.createdAt));
  const fresh = rows.filter((r) => !seen.has(r.id));
  for (const r of fresh) seen.add(r.id);
  return fresh;
}

async function lastAudit() {
  return last;
}

/** Run one mutation and check the audit row it left; `publishes` is the cache topic it must announce. */
async function audited<T>(path: string, action: string, run: () => Promise<T>, publishes?: Topic): Promise<T> {
  await newAuditRows();
  published.length = 0;
  const result = await run();
  const rows = await newAuditRows();
  const row = rows.find((r) => r.action === action);
  expect(
    row,
    `${path} wrote no ${action} audit row (wrote ${rows.map((r) => r.action).join(", ") || "nothing"})`,
  ).toBeDefined();
  expect(row).toMatchObject({
    action,
    actorId: owner.id,
    actorLabel: "owner@example.com",
    ip: TEST_IP,
    userAgent: "vitest",
  });
  expect(row!.createdAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
  if (publishes) expect(published, `${path} did not publish ${publishes}`).toContain(publishes);
  covered.add(path);
  last = row!;
  return result;
}

const rate = {
  inputPerMillion: 150_000,
  outputPerMillion: 600_000,
  cachedInputPerMillion: null,
  perImage: null,
  imagePrices: null,
};

describe("every mutation is audited", () => {
  let providerId = "";
  let credentialId = "";
  let modelId = "";

  it("providers and credentials", async () => {
    const created = await audited(
      "providers.create",
      "provider.create",
      () =>
        caller.providers.create({
          kind: "openai",
          name: "openai",
          baseUrl: `${upstream.url}/v1`,
          apiKey: "sk-audit-test-key-0123456789",
        }),
      "catalog",
    );
    providerId = created.id;
    expect((await lastAudit()).targetId).toBe(providerId);
    await audited(
      "providers.update",
      "provider.disable",
      () => caller.providers.update({ id: providerId, enabled: false }),
      "catalog",
    );
    expect(await lastAudit()).toMatchObject({
      before: expect.objectContaining({ enabled: true }),
      after: expect.objectContaining({ enabled: false }),
    });
    await caller.providers.update({ id: providerId, enabled: true });
    const credential = await audited(
      "providers.addCredential",
      "credential.create",
      () =>
        caller.providers.addCredential({
          providerId,
          name: "backup",
          apiKey: "sk-audit-test-key-0123456789",
          weight: 3,
        }),
      "catalog",
    );
    credentialId = credential.id;
    await audited(
      "providers.updateCredential",
      "credential.update",
      () => caller.providers.updateCredential({ id: credentialId, weight: 5 }),
      "catalog",
    );
    const test = await audited("providers.testCredential", "credential.test", () =>
      caller.providers.testCredential({ id: credentialId, model: "gpt-4o-mini" }),
    );
    expect(test).toMatchObject({ ok: true, status: 200, model: "gpt-4o-mini" });
    expect(test.latencyMs).toBeGreaterThanOrEqual(0);
    await audited(
      "providers.deleteCredential",
      "credential.delete",
      () => caller.providers.deleteCredential({ id: credentialId }),
      "catalog",
    );
  });

  it("models, rates, aliases and the starter list", async () => {
    const created = await audited(
      "models.create",
      "model.create",
      () => caller.models.create({ providerId, model: "gpt-4o-mini", type: "chat", rate }),
      "catalog",
    );
    modelId = created.id;
    await audited(
      "models.update",
      "model.update",
      () => caller.models.update({ id: modelId, displayName: "Mini" }),
      "catalog",
    );
    await audited(
      "models.setAliases",
      "model.aliases",
      () => caller.models.setAliases({ id: modelId, aliases: ["fast"] }),
      "catalog",
    );
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const added = await audited(
      "models.addRate",
      "model_rate.create",
      () => caller.models.addRate({ id: modelId, effectiveFrom: future, rate: { ...rate, inputPerMillion: 100_000 } }),
      "catalog",
    );
    expect(added.state).toBe("scheduled");
    await audited(
      "models.deleteRate",
      "model_rate.delete",
      () => caller.models.deleteRate({ id: added.id }),
      "catalog",
    );
    const starter = await caller.models.starterList({ providerId });
    const embed = starter.models.find((m) => m.model === "text-embedding-3-small")!;
    const imported = await audited(
      "models.importStarter",
      "model.import",
      () =>
        caller.models.importStarter({
          providerId,
          models: [
            {
              model: embed.model,
              type: embed.type,
              displayName: embed.displayName,
              rate: { ...rate, outputPerMillion: 0 },
            },
          ],
        }),
      "catalog",
    );
    expect(imported).toEqual({ added: ["text-embedding-3-small"], skipped: [] });
    await audited("models.delete", "model.delete", () => caller.models.delete({ id: modelId }), "catalog");
  });

  it("users", async () => {
    await audited("users.setRole", "user.role", () => caller.users.setRole({ id: member.id, role: "admin" }));
    expect(await lastAudit()).toMatchObject({
      targetId: member.id,
      before: { role: "member" },
      after: { role: "admin" },
    });
    await caller.users.setRole({ id: member.id, role: "member" });
    await audited(
      "users.setStatus",
      "user.disable",
      () => caller.users.setStatus({ id: member.id, status: "disabled" }),
      "access-keys",
    );
    await caller.users.setStatus({ id: member.id, status: "active" });
    await caller.settings.update({ billingEnabled: true });
    await audited("users.grantCredits", "credits.grant", () =>
      caller.users.grantCredits({ id: member.id, amountMicro: 5_000_000, reason: "welcome" }),
    );
    const callId = await chargedCall(member.id, 400_000);
    await audited("users.refundCall", "credits.refund", () =>
      caller.users.refundCall({ callId, reason: "The answer was cut off" }),
    );
    expect(await lastAudit()).toMatchObject({
      targetType: "call",
      targetId: callId,
      after: { userId: member.id, amountMicro: 400_000, reason: "The answer was cut off" },
    });
  });

  it("keys, quotas and IP rules", async () => {
    const { record } = await createAccessKey({ userId: member.id, name: "laptop", appName: "cli" }, CLI_ACTOR);
    const quota = await audited(
      "quotas.set",
      "quota.set",
      () => caller.quotas.set({ scope: "user", scopeId: member.id, requestsPerMinute: 60 }),
      "governance",
    );
    await audited("quotas.delete", "quota.delete", () => caller.quotas.delete({ id: quota.id }), "governance");
    const rule = await audited(
      "ipRules.create",
      "ip_rule.create",
      () => caller.ipRules.create({ action: "deny", cidr: "198.51.100.0/24", accessKeyId: record.id }),
      "governance",
    );
    await audited("ipRules.delete", "ip_rule.delete", () => caller.ipRules.delete({ id: rule.id }), "governance");
    await audited(
      "ipRules.setTrustedProxies",
      "settings.update",
      () => caller.ipRules.setTrustedProxies({ proxies: ["10.0.0.0/8"] }),
      "governance",
    );
    await audited("keys.revoke", "key.revoke", () => caller.keys.revoke({ id: record.id }), "access-keys");
  });

  it("settings and OAuth clients", async () => {
    await audited(
      "settings.update",
      "settings.update",
      () => caller.settings.update({ profitMarginBps: 2000, paymentLink: "https://pay.example.com/x" }),
      "settings",
    );
    expect(await lastAudit()).toMatchObject({
      before: { profitMarginBps: 0, paymentLink: null },
      after: { profitMarginBps: 2000 },
    });
    await audited(
      "settings.setOAuthClient",
      "settings.update",
      () =>
        caller.settings.setOAuthClient({ id: "github", clientId: "gh-client", clientSecret: "gh-secret-value-1234" }),
      "settings",
    );
    await audited(
      "settings.removeOAuthClient",
      "settings.update",
      () => caller.settings.removeOAuthClient({ id: "github" }),
      "settings",
    );
    // The metrics token: audited as its own act, with neither the token nor its hash in the entry.
    const { token } = await audited(
      "settings.generateMetricsToken",
      "settings.metrics_token.generate",
      () => caller.settings.generateMetricsToken(),
      "settings",
    );
    expect(JSON.stringify(await lastAudit())).not.toContain(token);
    expect(JSON.stringify(await lastAudit())).not.toMatch(/[0-9a-f]{64}/);
    expect(await lastAudit()).toMatchObject({
      before: { metricsTokenHash: null },
      after: { metricsTokenHash: "[redacted]" },
    });
    await audited(
      "settings.revokeMetricsToken",
      "settings.metrics_token.revoke",
      () => caller.settings.revokeMetricsToken(),
      "settings",
    );
    expect(await lastAudit()).toMatchObject({ after: { metricsTokenHash: null } });
  });

  it("the provider's deletion last", async () => {
    await audited("providers.delete", "provider.delete", () => caller.providers.delete({ id: providerId }), "catalog");
  });

  it("covered every mutation of the router", () => {
    const mutations = allProcedures()
      .filter((p) => p.type === "mutation")
      .map((p) => p.path)
      .sort();
    expect([...covered].sort()).toEqual(mutations);
  });

  it("shows the trail in the audit log, filtered by actor, action and time", async () => {
    const all = await caller.audit.list({ actor: "owner@", limit: 200 });
    expect(all.entries.length).toBeGreaterThanOrEqual(covered.size);
    const providerEntries = await caller.audit.list({ action: "provider." });
    expect(providerEntries.entries.map((e) => e.action).sort()).toEqual([
      "provider.create",
      "provider.delete",
      "provider.disable",
      "provider.enable",
    ]);
    const none = await caller.audit.list({ to: new Date(Date.now() - 3_600_000).toISOString() });
    expect(none.entries).toEqual([]);
    const page1 = await caller.audit.list({ limit: 3 });
    const page2 = await caller.audit.list({ limit: 3, cursor: page1.nextCursor });
    expect(page2.entries.map((e) => e.id)).not.toContain(page1.entries[0]!.id);
    const detail = await caller.audit.get({
      id: providerEntries.entries.find((e) => e.action === "provider.disable")!.id,
    });
    expect(detail).toMatchObject({ actorLabel: "owner@example.com", ip: TEST_IP, targetType: "provider" });
    expect(await caller.audit.actions()).toContain("credential.test");
  });
});
