/**
 * The call journal (docs/decisions/020-call-journal.md, docs/decisions/022-one-call-at-a-time.md): the final record
 * of a call that ends alone, without a settlement, is appended before the caller goes on and committed with the next
 * batch; a settlement, or a call that ends while others run, still waits for its commit;
 * the journal of a process that is gone is committed by the next recovery, once, and counted in the usage; the
 * journal of a live process is left alone; a file only holds lines not yet committed for long.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";
import { processSpace } from "../instances/instance.server";
import { recoverStoppedInstances } from "../instances/recover-instances.server";
import { CallJournal, journalDirOf, listJournals, replayJournal } from "./call-journal.server";
import { callRecorder } from "./call-recorder.server";

let hub: TempHub;
let dir: string;
beforeAll(async () => {
  hub = await createTempHub();
  dir = journalDirOf(path.join(hub.dir, "hub.db"));
});
afterAll(async () => {
  await hub.cleanup();
});
afterEach(async () => {
  await callRecorder.flush();
  callRecorder.useJournal(null);
});

const at = Date.UTC(2026, 11, 5, 9, 30);
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(done()).toBe(true);
}

const rowOf = async (id: string) =>
  (await hub.database.client.execute({ sql: "select * from model_calls where id = ?", args: [id] })).rows[0];

async function hourRequests(): Promise<number> {
  const rs = await hub.database.client.execute({
    sql: "select coalesce(sum(requests), 0) as n from usage_rollups where bucket = 'hour_all' and bucket_start = ?",
    args: [Date.UTC(2026, 11, 5, 9)],
  });
  return Number(rs.rows[0]?.n ?? 0);
}

function startCall(requestId: string, instanceId: string): string {
  return callRecorder.start({
    requestId,
    userId: "u1",
    instanceId,
    type: "chat",
    endpoint: "/v1/chat/completions",
    createdAt: new Date(at),
  });
}

const success = { status: "success" as const, inputTokens: 12, outputTokens: 7, durationMs: 40, httpStatus: 200 };

/** A pid that belonged to a process which has exited. */
function exitedPid(): number {
  return spawnSync(process.execPath, ["-e", "0"]).pid;
}

describe("the call journal", () => {
  it("lets a lone call's caller go on before its commit, which follows with the next batch", async () => {
    const journal = new CallJournal(dir, { instanceId: "ins_self", pid: process.pid, space: processSpace() });
    callRecorder.useJournal(journal);
    const id = startCall("j1", "ins_self");
    await callRecorder.finish(id, success);
    // Appended, not committed yet: the caller was not kept waiting for the database.
    expect(journal.pending()).toBe(1);
    expect(fs.readFileSync(journal.file, "utf8").trim().split("\n")).toHaveLength(1);
    expect((await rowOf(id))?.status ?? "absent").not.toBe("success");
    // The next call made alone joins the same batch: one commit for both.
    const next = startCall("j1b", "ins_self");
    await callRecorder.finish(next, success);
    expect(journal.pending()).toBe(2);
    await until(() => journal.pending() === 0);
    expect(await rowOf(id)).toMatchObject({ status: "success", input_tokens: 12, output_tokens: 7 });
    expect(await rowOf(next)).toMatchObject({ status: "success" });
    journal.close();
    expect(fs.existsSync(journal.file)).toBe(false);
  });

  it("keeps a call that ends while another runs waiting for the commit", async () => {
    const journal = new CallJournal(dir, { instanceId: "ins_both", pid: process.pid, space: processSpace() });
    callRecorder.useJournal(journal);
    const first = startCall("j3", "ins_both");
    const second = startCall("j4", "ins_both");
    await callRecorder.finish(first, success);
    // The second call still ran: the first waited for its commit and took no journal line.
    expect(await rowOf(first)).toMatchObject({ status: "success" });
    expect(fs.readFileSync(journal.file, "utf8")).toBe("");
    await callRecorder.finish(second, success);
    expect(journal.pending()).toBe(1);
    await callRecorder.flush();
    expect(journal.pending()).toBe(0);
    expect(await rowOf(second)).toMatchObject({ status: "success" });
    journal.close();
  });

  it("keeps a settlement's caller waiting for the commit, as without a journal", async () => {
    const journal = new CallJournal(dir, { instanceId: "ins_self2", pid: process.pid, space: processSpace() });
    callRecorder.useJournal(journal);
    const id = startCall("j2", "ins_self2");
    let settled = false;
    await callRecorder.finish(id, success, {
      statements: [{ sql: "select 1", args: [] }],
      after: () => {
        settled = true;
      },
    });
    expect(settled).toBe(true);
    expect(journal.pending()).toBe(0);
    expect(fs.readFileSync(journal.file, "utf8")).toBe("");
    expect(await rowOf(id)).toMatchObject({ status: "success" });
    journal.close();
  });

  it("commits the records a killed process left only in its journal, once, and counts them in the usage", async () => {
    const pid = exitedPid();
    const journal = new CallJournal(dir, { instanceId: "ins_killed", pid, space: processSpace() });
    callRecorder.useJournal(journal, { journalOnly: true });
    const before = await hourRequests();
    const ids: string[] = [];
    // One at a time, as the journal takes only calls that end alone.
    for (const requestId of ["k1", "k2"]) {
      ids.push(startCall(requestId, "ins_killed"));
      await callRecorder.finish(ids.at(-1)!, success);
    }
    await callRecorder.flush();
    callRecorder.useJournal(null);
    // What a SIGKILL right after the answers leaves: the lines, and no final record.
    expect(fs.readFileSync(journal.file, "utf8").trim().split("\n")).toHaveLength(2);
    for (const id of ids) expect((await rowOf(id))?.status ?? "absent").not.toBe("success");
    // A torn last line, as a power cut in the middle of a write would leave: skipped.
    fs.appendFileSync(journal.file, '{"sql":"insert into model_calls (');

    const recovered = await recoverStoppedInstances({ self: "ins_me", heartbeatMs: 1000 });
    expect(recovered.replayed).toBe(2);
    for (const id of ids) expect(await rowOf(id)).toMatchObject({ status: "success", rolled_up: 1, output_tokens: 7 });
    expect(await hourRequests()).toBe(before + 2);
    expect(fs.existsSync(journal.file)).toBe(false);

    const again = await recoverStoppedInstances({ self: "ins_me", heartbeatMs: 1000 });
    expect(again.replayed).toBe(0);
    expect(await hourRequests()).toBe(before + 2);
  });

  it("leaves the journal of a live process alone", async () => {
    const live = new CallJournal(dir, { instanceId: "ins_alive", pid: process.ppid, space: processSpace() });
    await hub.database.client.execute({
      sql: "insert into hub_instances (id, host, pid, started_at, beat_at) values ('ins_alive', ?, ?, ?, ?)",
      args: [processSpace(), process.ppid, Date.now(), Date.now()],
    });
    callRecorder.useJournal(live, { journalOnly: true });
    const id = startCall("l1", "ins_alive");
    await callRecorder.finish(id, success);
    await callRecorder.flush();
    callRecorder.useJournal(null);

    expect((await recoverStoppedInstances({ self: "ins_me", heartbeatMs: 1000 })).replayed).toBe(0);
    expect(fs.existsSync(live.file)).toBe(true);
    expect((await rowOf(id))?.status ?? "absent").not.toBe("success");
    // Its own process would commit it; a replay of a line committed already changes nothing.
    expect(await replayJournal(hub.database.client, live.file)).toBe(1);
    expect(await replayJournal(hub.database.client, live.file)).toBe(1);
    expect(await rowOf(id)).toMatchObject({ status: "success", rolled_up: 0 });
    live.close();
    expect(fs.existsSync(live.file)).toBe(true); // its line was never committed by its owner: kept
    fs.rmSync(live.file);
  });

  it("empties a file once its lines are committed and it is past its size, and names whose it is", async () => {
    const journal = new CallJournal(dir, { instanceId: "ins_big", pid: 77, space: processSpace() });
    const big = { sql: "select ?", args: ["x".repeat(300_000)] };
    for (let i = 0; i < 4; i++) expect(journal.append(big)).toBe(true);
    expect(fs.statSync(journal.file).size).toBeGreaterThan(1_000_000);
    journal.committed(3);
    expect(fs.statSync(journal.file).size).toBeGreaterThan(1_000_000); // one line still waits for its commit
    journal.committed(1);
    expect(fs.statSync(journal.file).size).toBe(0);
    expect(journal.append({ sql: "select 1", args: [] })).toBe(true);
    expect(fs.readFileSync(journal.file, "utf8")).toBe('{"sql":"select 1","args":[]}\n');
    expect(listJournals(dir).find((j) => j.file === journal.file)).toMatchObject({ instanceId: "ins_big", pid: 77 });
    journal.committed(1);
    journal.close();
  });
});
