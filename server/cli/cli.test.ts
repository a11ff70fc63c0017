import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  accessKeys,
  auditLog,
  creditAccounts,
  creditLedger,
  credentials,
  modelRates,
  models,
  providers,
  users,
} from "@drizzle/schema";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";
import { sha256Hex } from "../crypto/tokens";
import { main } from "./main";

let hub: TempHub;
beforeAll(async () => {
  hub = await createTempHub();
});
afterAll(async () => {
  await hub.cleanup();
});

/** Runs the CLI in-process and captures what it prints. The database stays open between runs. */
async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, { keepDatabaseOpen: true });
  return { code, out, err };
}

describe("hub CLI", () => {
  it("creates users with roles and refuses duplicates and bad roles", async () => {
    expect(
      await run("users", "create", "--email", "Ada@Example.com", "--name", "Ada", "--role", "admin"),
    ).toMatchObject({ code: 0 });
    const [ada] = await hub.database.db.select().from(users).where(eq(users.email, "ada@example.com"));
    expect(ada).toMatchObject({ name: "Ada", role: "admin", status: "active" });

    const dup = await run("users", "create", "--email", "ada@example.com");
    expect(dup.code).toBe(1);
    expect(dup.err.join("\n")).toContain("already exists");

    const badRole = await run("users", "create", "--email", "bob@example.com", "--role", "root");
    expect(badRole.code).toBe(2);
    expect(badRole.err.join("\n")).toContain("--role must be one of owner, admin, member");
    expect(await hub.database.db.select().from(users).where(eq(users.email, "bob@example.com"))).toHaveLength(0);
  });

  it("prints a new access key alone on the last line and stores only its hash", async () => {
    const result = await run("keys", "create", "--user", "ada@example.com", "--name", "ci", "--app", "builder");
    expect(result.code).toBe(0);
    const key = result.out.at(-1)!;
    expect(key).toMatch(/^hub-sk-[A-Za-z0-9_-]{43}$/);
    const [row] = await hub.database.db
      .select()
      .from(accessKeys)
      .where(eq(accessKeys.keyHash, sha256Hex(key)));
    expect(row).toMatchObject({ name: "ci", appName: "builder", prefix: key.slice(0, 13), status: "active" });
    const stored = JSON.stringify(await hub.database.db.select().from(accessKeys));
    expect(stored).not.toContain(key);
    expect((await run("keys", "create", "--user", "nobody@example.com", "--name", "x")).code).toBe(1);
  });

  it("adds a provider with a sealed key and a model with rates", async () => {
    const added = await run(
      "providers",
      "add",
      "--kind",
      "openai",
      "--name",
      "openai",
      "--base-url",
      "http://127.0.0.1:9/v1",
      "--api-key",
      "sk-test-1234567890abcd",
      "--weight",
      "3",
    );
    expect(added).toMatchObject({ code: 0 });
    const [provider] = await hub.database.db.select().from(providers).where(eq(providers.name, "openai"));
    expect(provider).toMatchObject({ kind: "openai", baseUrl: "http://127.0.0.1:9/v1" });
    const [credential] = await hub.database.db
      .select()
      .from(credentials)
      .where(eq(credentials.providerId, provider!.id));
    expect(credential).toMatchObject({ weight: 3, secretLast4: "abcd" });
    expect(credential!.sealedSecret).toMatch(/^v1\./);
    expect(credential!.sealedSecret).not.toContain("sk-test");

    expect(
      (
        await run(
          "models",
          "add",
          "--provider",
          "openai",
          "--model",
          "gpt-4o-mini",
          "--input-rate",
          "0.15",
          "--output-rate",
          "0.6",
        )
      ).code,
    ).toBe(0);
    const [model] = await hub.database.db.select().from(models).where(eq(models.model, "gpt-4o-mini"));
    const [rate] = await hub.database.db.select().from(modelRates).where(eq(modelRates.modelId, model!.id));
    expect(rate).toMatchObject({
      inputPerMillion: 150_000,
      outputPerMillion: 600_000,
      cachedInputPerMillion: null,
      cacheWritePerMillion: null,
    });
    const cacheArgs = ["--input-rate", "3", "--cached-input-rate", "0.3", "--cache-write-rate", "3.75"];
    expect((await run("models", "add", "--provider", "openai", "--model", "cached-model", ...cacheArgs)).code).toBe(0);
    const [cached] = await hub.database.db.select().from(models).where(eq(models.model, "cached-model"));
    const [cachedRate] = await hub.database.db.select().from(modelRates).where(eq(modelRates.modelId, cached!.id));
    expect(cachedRate).toMatchObject({
      inputPerMillion: 3_000_000,
      cachedInputPerMillion: 300_000,
      cacheWritePerMillion: 3_750_000,
    });

    expect((await run("providers", "add", "--kind", "openia", "--name", "x")).code).toBe(1);
    expect((await run("providers", "add", "--kind", "openai", "--name", "x", "--weight", "heavy")).code).toBe(2);
    expect((await run("models", "add", "--provider", "openai", "--model", "m", "--input-rate", "cheap")).code).toBe(2);
    expect((await run("models", "add", "--provider", "nope", "--model", "m")).code).toBe(1);
  });

  it("grants credits exactly, with a ledger entry", async () => {
    const result = await run("credits", "grant", "--user", "ada@example.com", "--amount", "12.5");
    expect(result.code).toBe(0);
    expect(result.out[0]).toContain("balance 12.5");
    const [ada] = await hub.database.db.select().from(users).where(eq(users.email, "ada@example.com"));
    const [account] = await hub.database.db.select().from(creditAccounts).where(eq(creditAccounts.userId, ada!.id));
    expect(account!.balanceMicro).toBe(12_500_000);
    const ledger = await hub.database.db.select().from(creditLedger).where(eq(creditLedger.userId, ada!.id));
    expect(ledger).toEqual([
      expect.objectContaining({ kind: "grant", amountMicro: 12_500_000, balanceAfterMicro: 12_500_000 }),
    ]);
    expect((await run("credits", "grant", "--user", "ada@example.com", "--amount", "-3")).code).toBe(2);
  });

  it("prints a setup link and audits every change without secrets", async () => {
    const result = await run("setup-link");
    expect(result.code).toBe(0);
    expect(result.out[0]).toMatch(/^http:\/\/localhost:3999\/setup\?token=[A-Za-z0-9_-]{32}$/);
    const actions = (await hub.database.db.select().from(auditLog)).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(["user.create", "key.create", "provider.create", "model.create", "credits.grant"]),
    );
    expect(JSON.stringify(await hub.database.db.select().from(auditLog))).not.toContain("sk-test-1234567890abcd");
  });

  it("answers wrong arguments with usage and exit code 2", async () => {
    const unknown = await run("users", "delete");
    expect(unknown.code).toBe(2);
    expect(unknown.err.join("\n")).toContain("Usage: hub <command>");
    const missing = await run("keys", "create", "--user", "ada@example.com");
    expect(missing.code).toBe(2);
    expect(missing.err.join("\n")).toContain("missing --name");
    const extra = await run("setup-link", "--force");
    expect(extra.code).toBe(2);
  });
});
