/**
 * No console procedure ever returns a secret. Seed every kind the hub holds (provider keys, a rotated key, an
 * OAuth client secret, an access key, a key echoed back in a provider's error), then call every query of the
 * console with real inputs (and the audit detail of every entry), serialize each answer and search it. Stored
 * keys appear only as their last four characters.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentials } from "@drizzle/schema";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { createAccessKey } from "@server/access-keys/manage.server";
import { createUser, type UserRow } from "@server/auth/users.server";
import { getDb } from "@server/db/client.server";
import { startFakeOpenAI } from "@test/fake-upstreams/openai";
import type { FakeUpstream } from "@test/fake-upstreams/server";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";
import { allProcedures, callerFor, callPath, type Caller } from "@test/helpers/trpc-caller";

const PROVIDER_KEY = "sk-seeded-provider-key-AAAA1111";
const SECOND_KEY = "sk-seeded-second-key-BBBB2222";
const ROTATED_KEY = "sk-seeded-rotated-key-CCCC3333";
const WRONG_KEY = "sk-seeded-wrong-key-DDDD4444";
const OAUTH_SECRET = "oauth-seeded-client-secret-EEEE5555";

let hub: TempHub;
let upstream: FakeUpstream;
let owner: UserRow;
let caller: Caller;
let accessKey: string;
const answers: Array<{ what: string; json: string }> = [];

async function keep(what: string, value: unknown) {
  answers.push({ what, json: JSON.stringify(value) });
  return value;
}

beforeAll(async () => {
  hub = await createTempHub();
  upstream = await startFakeOpenAI({ apiKey: PROVIDER_KEY });
  owner = await createUser({ email: "owner@example.com", role: "owner" }, CLI_ACTOR);
  caller = callerFor(owner);
  await caller.settings.update({ billingEnabled: true });
  const provider = await keep(
    "providers.create",
    await caller.providers.create({
      kind: "openai",
      name: "openai",
      baseUrl: `${upstream.url}/v1`,
      apiKey: PROVIDER_KEY,
    }),
  );
  const providerId = (provider as { id: string }).id;
  const second = (await keep(
    "providers.addCredential",
    await caller.providers.addCredential({ providerId, name: "second", apiKey: SECOND_KEY }),
  )) as { id: string };
  await keep(
    "providers.updateCredential",
    await caller.providers.updateCredential({ id: second.id, apiKey: ROTATED_KEY }),
  );
  const wrong = (await caller.providers.addCredential({ providerId, name: "wrong", apiKey: WRONG_KEY })) as {
    id: string;
  };
  // The fake answers a wrong key the way OpenAI does, quoting part of it back.
  const failed = await keep(
    "providers.testCredential (wrong key)",
    await caller.providers.testCredential({ id: wrong.id, model: "gpt-4o-mini" }),
  );
  expect(failed).toMatchObject({ ok: false, status: 401 });
  await keep(
    "models.create",
    await caller.models.create({
      providerId,
      model: "gpt-4o-mini",
      type: "chat",
      rate: {
        inputPerMillion: 150_000,
        outputPerMillion: 600_000,
        cachedInputPerMillion: null,
        perImage: null,
        imagePrices: null,
      },
    }),
  );
  await keep(
    "settings.setOAuthClient",
    await caller.settings.setOAuthClient({ id: "google", clientId: "google-client-id", clientSecret: OAUTH_SECRET }),
  );
  const created = await createAccessKey({ userId: owner.id, name: "laptop", appName: "cli" }, CLI_ACTOR);
  accessKey = created.key;
  await caller.quotas.set({ scope: "key", scopeId: created.record.id, requestsPerMinute: 10 });
  await caller.ipRules.create({ action: "allow", cidr: "10.0.0.0/8", accessKeyId: created.record.id });
});
afterAll(async () => {
  await upstream.close();
  await hub.cleanup();
});

/** Inputs for queries that need one; the rest are called without. */
async function inputsFor(path: string): Promise<unknown[]> {
  const db = await getDb();
  const providers = (await caller.providers.list()) as Array<{ id: string }>;
  const models = await caller.models.list();
  const users = await caller.users.list();
  const audit = await caller.audit.list({ limit: 200 });
  switch (path) {
    case "models.rates":
      return models.map((m) => ({ id: m.id }));
    case "models.starterList":
      return providers.map((p) => ({ providerId: p.id }));
    case "models.list":
      return [undefined, { providerId: providers[0]!.id }];
    case "users.detail":
      return users.users.map((u) => ({ id: u.id }));
    case "keys.list":
      return [undefined, { userId: owner.id }, { appName: "cli" }, { status: "active" }];
    case "ipRules.check":
      return [{ ip: "10.1.2.3" }, { ip: "192.0.2.1", keyId: (await db.select().from(credentials).limit(1))[0]!.id }];
    case "audit.get":
      return audit.entries.map((e) => ({ id: e.id }));
    case "audit.list":
      return [undefined, { action: "settings.update" }];
    default:
      return [undefined];
  }
}

describe("no console answer contains a secret", () => {
  it("every query, with every input that matters", async () => {
    const queries = allProcedures().filter((p) => p.type === "query");
    for (const q of queries) {
      for (const input of await inputsFor(q.path))
        await keep(`${q.path}(${JSON.stringify(input) ?? ""})`, await callPath(caller, q.path, input));
    }
    expect(answers.length).toBeGreaterThan(queries.length + 10);
    const secrets = [PROVIDER_KEY, SECOND_KEY, ROTATED_KEY, WRONG_KEY, OAUTH_SECRET, accessKey];
    for (const { what, json } of answers) {
      for (const secret of secrets) expect(json.includes(secret), `${what} contains ${secret}`).toBe(false);
      // Nor a long piece of one (a provider quoting "sk-seeded-wro****"), nor the sealed form or a key hash.
      for (const secret of secrets)
        expect(json.includes(secret.slice(0, 16)), `${what} contains part of ${secret}`).toBe(false);
      expect(json, what).not.toMatch(/"v1\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"/);
      // Secret fields may be named (the audit log keeps the shape of what changed) but only ever as "[redacted]".
      expect(json, what).not.toMatch(
        /"(sealedSecret|sealedClientSecret|keyHash|stripeWebhookSecretSealed)":(?!"\[redacted\]"|null)/,
      );
    }
  });

  it("shows stored keys by their last four characters", async () => {
    const [provider] = await caller.providers.list();
    expect(provider!.credentials.map((c) => c.secretPreview).sort()).toEqual(["…1111", "…3333", "…4444"]);
    const settings = await caller.settings.get();
    expect(settings.oauthClients).toEqual([
      expect.objectContaining({ id: "google", clientId: "google-client-id", secretPreview: "…5555" }),
    ]);
  });

  it("reports the wrong key's failure in the provider's words, key masked", async () => {
    const wrong = answers.find((a) => a.what === "providers.testCredential (wrong key)")!;
    expect(JSON.parse(wrong.json).message).toMatch(/^401 invalid_api_key: Incorrect API key provided/);
  });
});
