/**
 * The playground router: saved conversations belong to one person. Another user's conversation is "not found"
 * for every procedure (read, continue, rename, delete) and stays unchanged; an answer's numbers come from its own
 * call record, never from someone else's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { conversationMessages, conversations } from "@drizzle/schema";
import { createUserSession } from "@server/auth/session.server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { seedProvider, seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";
import { callerFor, codeOf } from "@test/helpers/trpc-caller";

let hub: TempHub;
let api: ApiServer;
let alice: Awaited<ReturnType<typeof seedUserWithKey>>;
let bob: Awaited<ReturnType<typeof seedUserWithKey>>;

const seen = { inputTokens: 1, outputTokens: 2, ttftMs: 3, durationMs: 4, costMicro: 5 };
const exchange = (prompt: string, extra: Record<string, unknown> = {}) => ({
  model: "mock/mock-chat",
  systemPrompt: "Be brief.",
  params: { temperature: 0.5, maxTokens: 100 },
  prompt,
  answer: `Mock reply to: ${prompt}`,
  requestId: null,
  seen,
  ...extra,
});

beforeAll(async () => {
  hub = await createTempHub();
  alice = await seedUserWithKey("alice@example.com");
  bob = await seedUserWithKey("bob@example.com");
  await seedProvider({ kind: "mock", name: "mock" }, [
    { model: "mock-chat", input: 1_000_000_000, output: 2_000_000_000 },
  ]);
  api = await startApiServer();
});
afterAll(async () => {
  await api.close();
  await hub.cleanup();
});

/** A real streamed call through the playground endpoint as `userId`, with a request id of our choosing. */
async function realCall(userId: string, content: string): Promise<string> {
  const cookie = (await createUserSession(userId, new Request("http://hub.test/"))).split(";")[0]!;
  const requestId = crypto.randomUUID();
  const response = await fetch(`${api.url}/api/playground/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie, "sec-fetch-site": "same-origin", "x-request-id": requestId },
    body: JSON.stringify({ model: "mock/mock-chat", messages: [{ role: "user", content }], stream: true }),
  });
  expect(response.status).toBe(200);
  await response.text();
  return requestId;
}

describe("playground conversations", () => {
  it("saves an exchange as a new conversation titled after the prompt, and continues it", async () => {
    const me = callerFor(alice.user);
    const first = await me.playground.saveExchange(exchange("What is a hub?\nSecond line"));
    expect(first.assistant).toMatchObject({
      role: "assistant",
      content: "Mock reply to: What is a hub?\nSecond line",
      callId: null,
      ...seen,
    });
    const second = await me.playground.saveExchange(
      exchange("And a gateway?", { conversationId: first.conversationId, model: "mock/other" }),
    );
    expect(second.conversationId).toBe(first.conversationId);

    const detail = await me.playground.get({ id: first.conversationId });
    expect(detail).toMatchObject({
      title: "What is a hub?",
      model: "mock/other",
      systemPrompt: "Be brief.",
      params: { temperature: 0.5, maxTokens: 100 },
    });
    expect(detail.messages.map((m) => [m.role, m.content])).toEqual([
      ["user", "What is a hub?\nSecond line"],
      ["assistant", "Mock reply to: What is a hub?\nSecond line"],
      ["user", "And a gateway?"],
      ["assistant", "Mock reply to: And a gateway?"],
    ]);
  });

  it("takes an answer's tokens, times and cost from its call record", async () => {
    const requestId = await realCall(alice.user.id, "Count my tokens");
    const saved = await callerFor(alice.user).playground.saveExchange(exchange("Count my tokens", { requestId }));
    expect(saved.assistant.callId).toMatch(/^call_/);
    expect(saved.assistant.outputTokens).toBe(6); // the words of "Mock reply to: Count my tokens"
    expect(saved.assistant.inputTokens).toBe(4);
    expect(saved.assistant.costMicro).toBeGreaterThan(0);
    expect(saved.assistant.costMicro).not.toBe(seen.costMicro);
    expect(saved.assistant.durationMs).not.toBeNull();
  });

  it("never attaches another person's call record", async () => {
    const bobsRequest = await realCall(bob.user.id, "Bob's secret question");
    const saved = await callerFor(alice.user).playground.saveExchange(exchange("Steal", { requestId: bobsRequest }));
    expect(saved.assistant).toMatchObject({ callId: null, ...seen });
  });

  it("lists, reads, continues, renames and deletes only the caller's own conversations", async () => {
    const mine = await callerFor(bob.user).playground.saveExchange(exchange("Bob's chat"));
    const asAlice = callerFor(alice.user);
    const asBob = callerFor(bob.user);

    expect((await asBob.playground.list()).map((c) => c.id)).toEqual([mine.conversationId]);
    expect((await asAlice.playground.list()).map((c) => c.id)).not.toContain(mine.conversationId);

    const id = mine.conversationId;
    expect(await codeOf(asAlice.playground.get({ id }))).toBe("NOT_FOUND");
    expect(await codeOf(asAlice.playground.rename({ id, title: "Mine now" }))).toBe("NOT_FOUND");
    expect(await codeOf(asAlice.playground.delete({ id }))).toBe("NOT_FOUND");
    expect(await codeOf(asAlice.playground.saveExchange(exchange("Sneak in", { conversationId: id })))).toBe(
      "NOT_FOUND",
    );

    const [row] = await hub.database.db.select().from(conversations).where(eq(conversations.id, id));
    expect(row).toMatchObject({ userId: bob.user.id, title: "Bob's chat" });
    expect(
      await hub.database.db.select().from(conversationMessages).where(eq(conversationMessages.conversationId, id)),
    ).toHaveLength(2);

    await asBob.playground.rename({ id, title: "  Renamed by Bob  " });
    expect((await asBob.playground.get({ id })).title).toBe("Renamed by Bob");
    await asBob.playground.delete({ id });
    expect(await codeOf(asBob.playground.get({ id }))).toBe("NOT_FOUND");
    expect(
      await hub.database.db.select().from(conversationMessages).where(eq(conversationMessages.conversationId, id)),
    ).toHaveLength(0);
  });

  it("refuses the signed-out and cross-site mutations", async () => {
    expect(await codeOf(callerFor(null).playground.list())).toBe("UNAUTHORIZED");
    expect(await codeOf(callerFor(alice.user, { sameOrigin: false }).playground.saveExchange(exchange("x")))).toBe(
      "FORBIDDEN",
    );
  });

  it("offers the models with a credential, grouped by provider, with their rates", async () => {
    const groups = await callerFor(alice.user).playground.models();
    const mock = groups.find((g) => g.name === "mock")!;
    expect(mock.models.find((m) => m.id === "mock/mock-chat")).toMatchObject({
      type: "chat",
      inputPerMillion: 1_000_000_000,
      outputPerMillion: 2_000_000_000,
    });
    // The mock answers any model name, so its built-in image and embedding models are offered too (no price).
    expect(mock.models.map((m) => m.id)).toEqual(["mock/mock-chat", "mock/mock-embedding", "mock/mock-image"]);
  });
});
