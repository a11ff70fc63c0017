/**
 * The admin home's numbers over real HTTP (tRPC's own handler behind a node server, signed in by session
 * cookie) against known calls: requests, failures, spend and error rate for today, yesterday and 7 days equal sums
 * of the seeded rows exactly; the p95 is the Usage page's (usage.totals for the same range); the top spenders,
 * the latest failures, the providers' 24-hour traffic and credential health, and the credit outstanding match
 * what was recorded. A member is refused.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentials } from "../../drizzle/schema";
import { homeRanges, type AdminHome, type Range } from "@server/admin/home.server";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { createAccessKey } from "@server/access-keys/manage.server";
import { createUserSession } from "@server/auth/session.server";
import { createUser, type UserRow } from "@server/auth/users.server";
import { grantCredits } from "@server/billing/credits.server";
import { newId } from "@server/crypto/tokens";
import { getDb } from "@server/db/client.server";
import { breaker } from "@server/gateway/credential-health.server";
import { writeWebResponse } from "@server/http/node-bridge.server";
import { NodeRequest } from "@server/http/node-request";
import { updateSettings } from "@server/settings/settings.server";
import { handleTrpcRequest } from "@server/trpc/handler.server";
import { rebuildRollups } from "@server/usage/rebuild-rollups.server";
import { seedProvider } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";
import { callerFor } from "@test/helpers/trpc-caller";

const DAY = 86_400_000;
const ORIGIN = "http://localhost:3999";

let hub: TempHub;
let server: http.Server;
let url: string;
let owner: UserRow;
let member: UserRow;
let openaiCredential: string;

interface Seeded {
  id: string;
  userId: string;
  keyId: string;
  provider: string;
  model: string;
  status: "success" | "failed";
  cost: number;
  duration: number;
  createdAt: number;
}
const calls: Seeded[] = [];
const emails = new Map<string, string>();
const keyNames = new Map<string, string>();

async function cookieFor(user: UserRow): Promise<string> {
  return (
    (
      await createUserSession(user.id, new Request(`${ORIGIN}/`, { headers: { "x-hub-client-ip": "127.0.0.1" } }))
    ).split(";")[0] ?? ""
  );
}

async function getHome(
  user: UserRow,
): Promise<{ status: number; body: { result?: { data: AdminHome }; error?: { data: { code: string } } } }> {
  const response = await fetch(`${url}/api/trpc/adminHome.get`, {
    headers: { cookie: await cookieFor(user), "x-hub-client-ip": "127.0.0.1" },
  });
  return {
    status: response.status,
    body: (await response.json()) as { result?: { data: AdminHome }; error?: { data: { code: string } } },
  };
}

beforeAll(async () => {
  hub = await createTempHub();
  owner = await createUser({ email: "owner@example.com", role: "owner" }, CLI_ACTOR);
  member = await createUser({ email: "member@example.com", role: "member" }, CLI_ACTOR);
  const ada = await createUser({ email: "ada@example.com" }, CLI_ACTOR);
  const bob = await createUser({ email: "bob@example.com" }, CLI_ACTOR);
  for (const u of [ada, bob]) emails.set(u.id, u.email);
  const keys = [];
  for (const [user, name] of [
    [ada, "ada-laptop"],
    [ada, "ada-ci"],
    [bob, "bob-bot"],
  ] as const) {
    const { record } = await createAccessKey({ userId: user.id, name }, CLI_ACTOR);
    keyNames.set(record.id, name);
    keys.push(record);
  }
  await seedProvider({ kind: "mock", name: "mock" });
  const openai = await seedProvider({ kind: "openai", name: "openai", apiKey: "sk-admin-home-test-0000" });
  openaiCredential = openai.credential?.id ?? "";

  // Known calls: today, yesterday, 3 days ago (in the week) and 10 days ago (outside it), at fixed minutes.
  const today = homeRanges(Date.now()).today.from;
  const plan: Array<[dayOffset: number, count: number]> = [
    [0, 14],
    [-1, 9],
    [-3, 6],
    [-10, 5],
  ];
  let n = 0;
  for (const [offset, count] of plan) {
    for (let i = 0; i < count; i++, n++) {
      const key = keys[n % keys.length]!;
      const openaiCall = n % 3 === 0;
      calls.push({
        id: newId("call"),
        userId: key.userId,
        keyId: key.id,
        provider: openaiCall ? "openai" : "mock",
        model: openaiCall ? "gpt-4o-mini" : "mock-chat",
        status: n % 4 === 1 ? "failed" : "success",
        cost: n % 4 === 1 ? 0 : 1_000 + n * 137,
        duration: 80 + ((n * 211) % 3_000),
        createdAt: today + offset * DAY + (i + 1) * 60_000,
      });
    }
  }
  await hub.database.client.execute({
    sql: `insert into model_calls (id, request_id, user_id, access_key_id, type, endpoint, provider_name, model, status, cost_micro,
        duration_ms, error_code, created_at, finished_at)
      values ${calls.map(() => "(?,?,?,?,?,?,?,?,?,?,?,?,?,?)").join(",")}`,
    args: calls.flatMap((c, i) => [
      c.id,
      `req-${i}`,
      c.userId,
      c.keyId,
      "chat",
      "/api/v2/chat/completions",
      c.provider,
      c.model,
      c.status,
      c.cost,
      c.duration,
      c.status === "failed" ? "upstream_error" : null,
      c.createdAt,
      c.createdAt + c.duration,
    ]),
  });
  await rebuildRollups();

  // The openai credential failed three times in a row: this process's breaker has opened it.
  for (let i = 0; i < 3; i++) breaker.recordFailure(openaiCredential, Date.now());
  const db = await getDb();
  await db
    .update(credentials)
    .set({ lastError: "502 upstream_error: Bad gateway", lastErrorAt: new Date(today) })
    .where(eq(credentials.id, openaiCredential));

  await updateSettings({ billingEnabled: true }, CLI_ACTOR);
  await grantCredits(ada.id, 10_000_000, "test grant", CLI_ACTOR);
  await grantCredits(bob.id, 2_500_000, "test grant", CLI_ACTOR);

  server = http.createServer((req, res) => {
    void handleTrpcRequest(new NodeRequest(req, ORIGIN, null)).then((response) => writeWebResponse(res, response));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  breaker.reset();
  await new Promise((resolve) => server?.close(resolve));
  await hub.cleanup();
});

const within = (r: Range) => calls.filter((c) => c.createdAt >= r.from && c.createdAt < r.to);

function expectedPeriod(r: Range) {
  const rows = within(r);
  const failed = rows.filter((c) => c.status === "failed").length;
  return {
    requests: rows.length,
    failed,
    costMicro: rows.reduce((s, c) => s + c.cost, 0),
    errorRate: rows.length ? failed / rows.length : 0,
  };
}

function expectedTop(rows: Seeded[], keyOf: (c: Seeded) => string, label: (key: string) => string) {
  const sums = new Map<string, { cost: number; requests: number }>();
  for (const c of rows) {
    const s = sums.get(keyOf(c)) ?? { cost: 0, requests: 0 };
    s.cost += c.cost;
    s.requests++;
    sums.set(keyOf(c), s);
  }
  return [...sums]
    .sort((a, b) => b[1].cost - a[1].cost || b[1].requests - a[1].requests)
    .slice(0, 5)
    .map(([k, s]) => ({ label: label(k), costMicro: s.cost, requests: s.requests }));
}

describe("admin home over HTTP", () => {
  it("gives today, yesterday and the week exactly as recorded, with the Usage page's p95", async () => {
    const { status, body } = await getHome(owner);
    expect(status).toBe(200);
    const home = body.result?.data;
    if (!home) throw new Error("no data");
    expect(home.ranges).toEqual(homeRanges(Date.now()));
    const usage = callerFor(owner).usage;
    for (const name of ["today", "yesterday", "week"] as const) {
      const range = home.ranges[name];
      expect(home[name], name).toMatchObject(expectedPeriod(range));
      const shown = await usage.totals({ scope: "all", from: range.from, to: range.to });
      expect(home[name].p95DurationMs, name).toBe(shown.p95DurationMs);
      expect(home[name].p95DurationMs, name).not.toBeNull();
    }
    expect(home.today.requests).toBe(14);
    expect(home.week.requests).toBe(14 + 9 + 6);
  });

  it("ranks users, keys and models by spend over the 7 days", async () => {
    const home = (await getHome(owner)).body.result?.data;
    if (!home) throw new Error("no data");
    const week = within(home.ranges.week);
    const pick = (rows: AdminHome["top"]["user"]) =>
      rows.map((r) => ({ label: r.label, costMicro: r.costMicro, requests: r.requests }));
    expect(pick(home.top.user)).toEqual(
      expectedTop(
        week,
        (c) => c.userId,
        (k) => emails.get(k) ?? k,
      ),
    );
    expect(pick(home.top.key)).toEqual(
      expectedTop(
        week,
        (c) => c.keyId,
        (k) => keyNames.get(k) ?? k,
      ),
    );
    expect(pick(home.top.model)).toEqual(
      expectedTop(
        week,
        (c) => `${c.provider}/${c.model}`,
        (k) => k,
      ),
    );
    expect(home.top.key).toHaveLength(3);
  });

  it("lists the newest failures, each provider's 24 hours and credential health, and the credit held", async () => {
    const home = (await getHome(owner)).body.result?.data;
    if (!home) throw new Error("no data");
    const failures = within(home.ranges.week)
      .filter((c) => c.status === "failed")
      .sort((a, b) => b.createdAt - a.createdAt);
    expect(home.failures.map((f) => f.id)).toEqual(failures.slice(0, 5).map((c) => c.id));
    expect(home.failures[0]).toMatchObject({
      errorCode: "upstream_error",
      userEmail: emails.get(failures[0]?.userId ?? ""),
    });

    const recent = within(home.ranges.recent);
    for (const name of ["mock", "openai"]) {
      const rows = recent.filter((c) => c.provider === name);
      const failed = rows.filter((c) => c.status === "failed").length;
      const p = home.providers.find((x) => x.name === name);
      expect(p?.recent, name).toEqual({
        requests: rows.length,
        failed,
        errorRate: rows.length ? failed / rows.length : null,
      });
    }
    const openai = home.providers.find((p) => p.name === "openai");
    expect(openai?.title).toBe("OpenAI");
    expect(openai?.credentials).toEqual([
      expect.objectContaining({
        id: openaiCredential,
        health: "unhealthy",
        consecutiveFailures: 3,
        lastError: "502 upstream_error: Bad gateway",
      }),
    ]);
    expect(home.providers.find((p) => p.name === "mock")?.credentials).toEqual([
      expect.objectContaining({ health: "healthy", consecutiveFailures: 0 }),
    ]);

    expect(home.billing).toEqual({ balanceMicro: 12_500_000, reservedMicro: 0, accounts: 2 });
  });

  it("is for owners and admins only", async () => {
    const { status, body } = await getHome(member);
    expect(status).toBe(403);
    expect(body.error?.data.code).toBe("FORBIDDEN");
  });
});
