import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelCalls } from "@drizzle/schema";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";
import { tryTakeLease } from "./lease.server";
import { failStaleCalls, STALE_AFTER_MS } from "./stale-calls.server";

let hub: TempHub;
beforeAll(async () => {
  hub = await createTempHub();
});
afterAll(async () => {
  await hub.cleanup();
});

describe("job leases", () => {
  it("let one holder run a job until the lease expires, then another", async () => {
    const now = 1_800_000_000_000;
    expect(await tryTakeLease("rollups", "instance-a", 60_000, now)).toBe(true);
    expect(await tryTakeLease("rollups", "instance-b", 60_000, now + 1_000)).toBe(false);
    expect(await tryTakeLease("rollups", "instance-a", 60_000, now + 30_000)).toBe(true); // renewal
    expect(await tryTakeLease("rollups", "instance-b", 60_000, now + 89_000)).toBe(false);
    expect(await tryTakeLease("rollups", "instance-b", 60_000, now + 90_001)).toBe(true); // a's lease ran out
    expect(await tryTakeLease("other-job", "instance-a", 60_000, now)).toBe(true);
  });
});

describe("stale calls", () => {
  it("fails calls stuck in processing past the limit, and only those", async () => {
    const now = Date.now();
    const base = { requestId: "r", type: "chat", endpoint: "/api/v2/chat/completions" };
    await hub.database.db.insert(modelCalls).values([
      { ...base, id: "call_old", status: "processing", createdAt: new Date(now - STALE_AFTER_MS - 1_000) },
      { ...base, id: "call_recent", status: "processing", createdAt: new Date(now - 1_000) },
      { ...base, id: "call_done", status: "success", createdAt: new Date(now - STALE_AFTER_MS - 5_000) },
    ]);
    expect(await failStaleCalls(now)).toBe(1);
    const rows = Object.fromEntries((await hub.database.db.select().from(modelCalls)).map((r) => [r.id, r]));
    expect(rows.call_old).toMatchObject({ status: "failed", errorCode: "stale_call" });
    expect(rows.call_old!.finishedAt?.getTime()).toBe(now);
    expect(rows.call_recent!.status).toBe("processing");
    expect(rows.call_done!.status).toBe("success");
    expect(await failStaleCalls(now)).toBe(0);
  });
});
