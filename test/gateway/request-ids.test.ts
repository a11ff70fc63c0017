/**
 * Request ids: the hub answers every request with its own x-request-id and records the call under it; a client's
 * x-request-id is stored as the call's client_request_id and echoed as x-client-request-id. Two clients sending the
 * same id get two distinct records, each findable by its own hub id.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelCalls } from "@drizzle/schema";
import { getCall } from "@server/usage/call-log.server";
import { callRecorder } from "@server/usage/call-recorder.server";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { seedProvider, seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let hub: TempHub;
let api: ApiServer;

beforeAll(async () => {
  hub = await createTempHub();
  await seedProvider({ kind: "mock", name: "mock" }, [{ model: "mock-chat" }]);
  api = await startApiServer();
});

afterAll(async () => {
  await api.close();
  await hub.cleanup();
});

const chat = (key: string, headers: Record<string, string> = {}, stream = false) =>
  fetch(`${api.url}/api/v2/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    body: JSON.stringify({ model: "mock/mock-chat", stream, messages: [{ role: "user", content: "Which id am I?" }] }),
  });

describe("request ids", () => {
  it("two clients sending the same x-request-id get distinct records; each client's id is stored and echoed", async () => {
    const alice = await seedUserWithKey("alice@example.com");
    const bob = await seedUserWithKey("bob@example.com");
    const shared = "my-request-1";
    const [a, b] = await Promise.all([
      chat(alice.key, { "x-request-id": shared }),
      chat(bob.key, { "x-request-id": shared }, true),
    ]);
    await Promise.all([a.text(), b.text()]);
    for (const res of [a, b]) {
      expect(res.status).toBe(200);
      expect(res.headers.get("x-client-request-id")).toBe(shared);
      expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(a.headers.get("x-request-id")).not.toBe(b.headers.get("x-request-id"));

    await callRecorder.flush();
    const rows = await hub.database.db.select().from(modelCalls).where(eq(modelCalls.clientRequestId, shared));
    expect(rows).toHaveLength(2);
    const byHubId = new Map(rows.map((r) => [r.requestId, r]));
    const [aliceCall, bobCall] = [
      byHubId.get(a.headers.get("x-request-id") ?? ""),
      byHubId.get(b.headers.get("x-request-id") ?? ""),
    ];
    expect(aliceCall).toMatchObject({ userId: alice.user.id, clientRequestId: shared, status: "success" });
    expect(bobCall).toMatchObject({ userId: bob.user.id, clientRequestId: shared, status: "success", stream: true });
    // The call drawer's detail shows both.
    const detail = await getCall(aliceCall?.id ?? "", alice.user.id);
    expect(detail).toMatchObject({ requestId: a.headers.get("x-request-id"), clientRequestId: shared });
  });

  it("without a client id, or with a malformed one, only the hub's id is answered and nothing is stored as the client's", async () => {
    const { key } = await seedUserWithKey("carol@example.com");
    const variants: Array<Record<string, string>> = [
      {},
      { "x-request-id": "has spaces in it" },
      { "x-request-id": "x".repeat(200) },
    ];
    for (const headers of variants) {
      const res = await chat(key, headers);
      await res.text();
      expect(res.headers.get("x-client-request-id")).toBeNull();
      await callRecorder.flush();
      const [row] = await hub.database.db
        .select()
        .from(modelCalls)
        .where(eq(modelCalls.requestId, res.headers.get("x-request-id")!));
      expect(row).toMatchObject({ clientRequestId: null, status: "success" });
    }
  });

  it("a client cannot choose the hub's id through the internal header", async () => {
    const { key } = await seedUserWithKey("mallory@example.com");
    const res = await chat(key, { "x-hub-request-id": "chosen-by-client" });
    await res.text();
    expect(res.headers.get("x-request-id")).not.toBe("chosen-by-client");
    await callRecorder.flush();
    expect(await hub.database.db.select().from(modelCalls).where(eq(modelCalls.requestId, "chosen-by-client"))).toEqual(
      [],
    );
  });
});
