/**
 * The web-facing defences of the hub's HTTP listener, over real HTTP: security headers on every answer (HSTS only
 * for an https PUBLIC_URL), and posts to pages from another site, or proving no origin, refused with a clear 403
 * (a page for browsers, JSON otherwise), logged at warn level (audited when they carried a session), never as a
 * server error. The pages
 * themselves are served by the production build: e2e/web-security.spec.ts.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog } from "@drizzle/schema";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { createUserSession } from "@server/auth/session.server";
import { createUser } from "@server/auth/users.server";
import { getDb } from "@server/db/client.server";
import { setEnvForProcess } from "@server/env.server";
import { setLogLevel, setLogSink } from "@server/log.server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let hub: TempHub;
let api: ApiServer;
let lines: Array<Record<string, unknown>> = [];
let restoreSink: () => void;
let cookie: string;

beforeAll(async () => {
  hub = await createTempHub();
  api = await startApiServer();
  setLogLevel("debug");
  restoreSink = setLogSink((line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  const user = await createUser({ email: "victim@example.com" }, CLI_ACTOR);
  cookie = (await createUserSession(user.id, new Request(`${api.url}/setup`))).split(";")[0]!;
});
afterAll(async () => {
  restoreSink();
  await api.close();
  await hub.cleanup();
});
beforeEach(() => {
  lines = [];
});

const refusals = async () =>
  (await (await getDb()).select().from(auditLog).where(eq(auditLog.action, "auth.csrf_refused"))).length;

describe("security headers", () => {
  it("are on API answers, with a policy that lets nothing run, and no HSTS over http", async () => {
    for (const path of ["/healthz", "/api/v2/models", "/no-such-page"]) {
      const response = await fetch(api.url + path);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(response.headers.get("permissions-policy")).toMatch(/camera=\(\)/);
      const csp = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
      expect(response.headers.get("content-security-policy")).toBe(csp);
      expect(response.headers.get("strict-transport-security")).toBeNull();
      await response.arrayBuffer();
    }
  });

  it("add HSTS when PUBLIC_URL is https", async () => {
    setEnvForProcess({ ...hub.env, PUBLIC_URL: "https://hub.example.com" });
    try {
      const response = await fetch(`${api.url}/healthz`);
      expect(response.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    } finally {
      setEnvForProcess(hub.env);
    }
  });
});

describe("posts to pages", () => {
  const post = (path: string, headers: Record<string, string>) =>
    fetch(`${api.url}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: "intent=settings&billingEnabled=on",
    });

  it.each([
    ["a foreign Origin", { origin: "https://evil.example" }],
    ["a foreign Origin, said by Sec-Fetch-Site", { origin: "https://evil.example", "sec-fetch-site": "cross-site" }],
    ["Origin null (a sandboxed frame)", { origin: "null" }],
    ["no Origin and no Referer", {}],
    ["no Origin and a foreign Referer", { referer: "https://evil.example/page?secret=1" }],
  ])("with %s are refused with a 403, a warn line and an audit row", async (_what, headers) => {
    const before = await refusals();
    const response = await post("/admin/billing", { cookie, ...headers });
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: "cross_site_request", message: expect.stringMatching(/another site/) });
    expect(lines.filter((l) => l.level === "error")).toEqual([]);
    expect(lines.find((l) => l.msg === "cross-site form post refused")).toMatchObject({
      level: "warn",
      path: "/admin/billing",
    });
    expect(JSON.stringify(lines)).not.toContain("secret=1"); // only the Referer's origin is kept
    expect(await refusals()).toBe(before + 1);
  });

  it("without a session are refused and logged, but leave no audit row (bots cannot fill the audit log)", async () => {
    const before = await refusals();
    const response = await post("/", { origin: "https://evil.example" });
    expect(response.status).toBe(403);
    await response.arrayBuffer();
    expect(lines.find((l) => l.msg === "cross-site form post refused")).toMatchObject({ level: "warn", path: "/" });
    expect(await refusals()).toBe(before);
  });

  it("answer a browser with a short page", async () => {
    const response = await post("/keys", { origin: "https://evil.example", accept: "text/html,application/xhtml+xml" });
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toMatch(/text\/html/);
    expect(await response.text()).toMatch(/<h1>Not allowed<\/h1>.*another site/s);
  });

  it.each([
    ["its own Origin", (url: string) => ({ origin: url })],
    ["Sec-Fetch-Site same-origin", () => ({ "sec-fetch-site": "same-origin" })],
    ["no Origin but a Referer on the hub", (url: string) => ({ referer: `${url}/admin/billing` })],
  ])("with %s go on to the page (here: not served, 404)", async (_what, headers) => {
    const response = await post("/admin/billing", headers(api.url));
    expect(response.status).toBe(404);
    await response.arrayBuffer();
  });

  it("leave API endpoints to their own rules: an app posts without Origin", async () => {
    const headers = { "content-type": "application/json" };
    const response = await fetch(`${api.url}/api/v2/chat/completions`, { method: "POST", body: "{}", headers });
    expect(response.status).toBe(401);
    await response.arrayBuffer();
  });
});
