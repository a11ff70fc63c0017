/** The Keys page's server functions: the loader never carries a key; the action reveals it once to its creator. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getKeysPage, handleKeysAction } from "@server/access-keys/keys-page.server";
import type { SessionUser } from "@server/auth/session.server";
import { createUser } from "@server/auth/users.server";
import { CLI_ACTOR } from "@server/audit/audit.server";
import { seedProvider } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let hub: TempHub;
let ada: SessionUser;
let bob: SessionUser;

beforeAll(async () => {
  hub = await createTempHub();
  await seedProvider({ kind: "mock", name: "mock" });
  const asSession = (u: Awaited<ReturnType<typeof createUser>>): SessionUser => ({ ...u, avatarUrl: null });
  ada = asSession(await createUser({ email: "ada@example.com", name: "Ada" }, CLI_ACTOR));
  bob = asSession(await createUser({ email: "bob@example.com", name: "Bob" }, CLI_ACTOR));
});
afterAll(async () => {
  await hub.cleanup();
});

const post = (fields: Record<string, string>, headers: Record<string, string> = { "sec-fetch-site": "same-origin" }) =>
  new Request("http://localhost:3999/keys", { method: "POST", body: new URLSearchParams(fields), headers });

describe("Keys page", () => {
  it("creates a key from the form, reveals it in the answer only, and lists it without it", async () => {
    const created = await handleKeysAction(
      post({ intent: "create", name: "laptop", appName: "cli", allowedModels: "mock/mock-chat" }),
      ada,
    );
    if (!created.ok || created.intent !== "create") throw new Error(JSON.stringify(created));
    expect(created.revealed).toMatchObject({
      name: "laptop",
      key: expect.stringMatching(/^hub-sk-/),
      allowedModels: ["mock/mock-chat"],
    });

    const page = await getKeysPage(ada);
    expect(page).toMatchObject({ hubUrl: "http://localhost:3999", exampleModel: "mock/mock-chat" });
    expect(page.keys).toHaveLength(1);
    expect(page.keys[0]).toMatchObject({
      name: "laptop",
      appName: "cli",
      status: "active",
      prefix: created.revealed.prefix,
    });
    expect(JSON.stringify(page)).not.toContain(created.revealed.key);
  });

  it("answers bad input with field errors and cross-site posts with 403", async () => {
    const bad = await handleKeysAction(post({ intent: "create", name: "", requestsPerMinute: "-1" }), ada);
    expect(bad).toMatchObject({
      ok: false,
      fieldErrors: { name: "Give the key a name", requestsPerMinute: expect.any(String) },
    });
    const thrown = await handleKeysAction(
      post({ intent: "create", name: "x" }, { origin: "https://evil.example" }),
      ada,
    ).catch((e: unknown) => e);
    expect((thrown as Response).status).toBe(403);
  });

  it("rotates and revokes only one's own keys", async () => {
    const [key] = (await getKeysPage(ada)).keys;
    expect(await handleKeysAction(post({ intent: "revoke", keyId: key!.id }), bob)).toMatchObject({
      ok: false,
      formError: "No such access key.",
    });
    const rotated = await handleKeysAction(post({ intent: "rotate", keyId: key!.id }), ada);
    if (!rotated.ok || rotated.intent !== "rotate") throw new Error(JSON.stringify(rotated));
    const keys = (await getKeysPage(ada)).keys;
    expect(keys.map((k) => [k.status, k.replacedById])).toEqual([
      ["active", null],
      ["revoked", rotated.revealed.id],
    ]);
    expect(await handleKeysAction(post({ intent: "revoke", keyId: rotated.revealed.id }), ada)).toEqual({
      ok: true,
      intent: "revoke",
      keyId: rotated.revealed.id,
    });
  });
});
