/**
 * Model-call records, written off the hot path. A call is queued as `processing` when it starts and patched
 * when it ends; a flush every FLUSH_MS writes the queue in one transaction (a call that starts and ends within
 * one flush is inserted once, already final). Shutdown flushes everything; a crash loses at most one interval
 * of `processing` rows, and the stale-call job fails calls stuck in `processing` (they were never settled).
 */
import { getTableColumns } from "drizzle-orm";
import type { Client, InStatement } from "@libsql/client";
import { modelCalls } from "../../drizzle/schema";
import { newId } from "../crypto/tokens";
import { getDatabase } from "../db/client.server";
import { log } from "../log.server";
import { mergeDeltas, rollupDeltas, type FinishedCall, type RollupDelta } from "./rollup-delta";
import { existingLatencyStatements, rollupUpserts, storedLatencyByKey } from "./rollup-statements";

export type CallInsert = typeof modelCalls.$inferInsert;
export type CallPatch = Partial<Omit<CallInsert, "id" | "requestId" | "createdAt">>;

const FLUSH_MS = 50;
const MAX_BATCH = 500;

interface Pending {
  row: CallInsert;
  inserted: boolean;
  patch: CallPatch | null;
}

type Listener = (row: CallInsert) => void;

class CallRecorder {
  private queue = new Map<string, Pending>();
  /** Calls inserted but not finished, by id, with their start row (the rollups need its user, key, app, time). */
  private open = new Map<string, CallInsert>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private finishedListeners = new Set<Listener>();

  start(row: Omit<CallInsert, "id"> & { id?: string }): string {
    const id = row.id ?? newId("call");
    this.queue.set(id, { row: { ...row, id, createdAt: row.createdAt ?? new Date() }, inserted: false, patch: null });
    this.schedule();
    return id;
  }

  finish(id: string, patch: CallPatch): void {
    const pending = this.queue.get(id);
    const full = { finishedAt: new Date(), ...patch };
    if (pending && !pending.inserted) Object.assign(pending.row, full);
    else if (pending) pending.patch = { ...pending.patch, ...full };
    else this.queue.set(id, { row: { id } as CallInsert, inserted: true, patch: full });
    this.schedule();
  }

  /** Called with each call's final row once written (rollups, metrics, billing reconciliation). */
  onFinished(listener: Listener): () => void {
    this.finishedListeners.add(listener);
    return () => this.finishedListeners.delete(listener);
  }

  private schedule(): void {
    if (this.queue.size >= MAX_BATCH) void this.flush();
    else if (!this.timer) this.timer = setTimeout(() => void this.flush(), FLUSH_MS);
  }

  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.flushing) await this.flushing;
    if (this.queue.size === 0) return;
    const batch = this.queue;
    this.queue = new Map();
    this.flushing = this.write(batch).finally(() => {
      this.flushing = null;
    });
    await this.flushing;
    if (this.queue.size) this.schedule();
  }

  private async write(batch: Map<string, Pending>): Promise<void> {
    const finished: CallInsert[] = [];
    const inserts: CallInsert[] = [];
    const updates: Array<[string, CallPatch]> = [];
    for (const [id, p] of batch) {
      if (!p.inserted) inserts.push(p.row);
      else if (p.patch) updates.push([id, p.patch]);
    }
    try {
      const { client, url } = await getDatabase();
      const isLocal = url.startsWith("file:");
      // Raw statements: building them through the ORM row by row cost a fifth of the hub's CPU under load.
      // The rollups of the calls that end here are written in the same transaction, so they never drift.
      const ending = [
        ...inserts.filter((row) => row.finishedAt),
        ...updates.map(([id, patch]) => ({ ...this.open.get(id), ...patch }) as CallInsert),
      ];
      const calls = [...insertStatements(inserts), ...updates.map(([id, patch]) => updateStatement(id, patch))];
      const deltas = mergeDeltas(ending.flatMap((row) => rollupDeltas(row as FinishedCall)));
      // synchronous=NORMAL is per connection and the client's pool may open new ones: set it on the one this
      // transaction will use (it takes the idle connection the pragma just used), so a commit is not an fsync.
      if (calls.length || deltas.length) {
        if (isLocal) await client.execute("PRAGMA synchronous = NORMAL");
        await writeInTransaction(client, calls, deltas);
      }
    } catch (error) {
      log.error("writing call records failed; they will be retried", { error, calls: batch.size });
      this.requeue(batch);
      await new Promise((r) => setTimeout(r, 200));
      return;
    }
    for (const row of inserts) {
      if (row.finishedAt) finished.push(row);
      else this.open.set(row.id!, row);
    }
    for (const [id, patch] of updates) {
      finished.push({ ...this.open.get(id), ...patch } as CallInsert);
      this.open.delete(id);
    }
    for (const row of finished) for (const l of this.finishedListeners) l(row);
  }

  /** Put a failed batch back in front of anything newer, so no record is lost. */
  private requeue(batch: Map<string, Pending>): void {
    for (const [id, p] of batch) {
      const newer = this.queue.get(id);
      if (newer?.patch && !p.inserted) Object.assign(p.row, newer.patch);
      this.queue.set(id, newer && p.inserted ? { ...p, patch: { ...p.patch, ...newer.patch } } : p);
    }
  }

  pendingCount(): number {
    return this.queue.size;
  }
}

export const callRecorder = new CallRecorder();

/** JS property → SQL column, from the drizzle table, so the raw statements cannot drift from the schema. */
const COLUMNS = Object.entries(getTableColumns(modelCalls)).map(([key, column]) => ({ key, name: column.name }));
const BY_KEY = new Map(COLUMNS.map((c) => [c.key, c]));
const ROWS_PER_INSERT = 200; // 33 columns × 200 rows stays under SQLite's 32,766 bound parameters

function toSqlValue(key: string, value: unknown): string | number | null {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number" || typeof value === "string") return value;
  throw new Error(`call record field ${key} has an unsupported value`);
}

/** Multi-row inserts of just the columns this batch uses (fewer bound values: the cost is per value). */
function insertStatements(rows: CallInsert[]): InStatement[] {
  const out: InStatement[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const slice = rows.slice(i, i + ROWS_PER_INSERT) as Array<Record<string, unknown>>;
    const used = COLUMNS.filter((c) => slice.some((r) => (r[c.key] ?? defaultFor(c.key)) !== null));
    const args: Array<string | number | null> = [];
    for (const r of slice) for (const c of used) args.push(toSqlValue(c.key, r[c.key] ?? defaultFor(c.key)));
    const tuple = `(${used.map(() => "?").join(", ")})`;
    out.push({ sql: `insert into model_calls (${used.map((c) => `"${c.name}"`).join(", ")}) values ${slice.map(() => tuple).join(", ")}`, args });
  }
  return out;
}

/** Column defaults the ORM would have applied. */
function defaultFor(key: string): unknown {
  if (key === "status") return "processing";
  if (key === "attempts") return 1;
  if (key === "stream") return false;
  return null;
}

function updateStatement(id: string, patch: CallPatch): InStatement {
  const sets: string[] = [];
  const args: Array<string | number | null> = [];
  for (const [key, value] of Object.entries(patch)) {
    const column = BY_KEY.get(key);
    if (!column || value === undefined) continue;
    sets.push(`"${column.name}" = ?`);
    args.push(toSqlValue(key, value));
  }
  args.push(id);
  return { sql: `update model_calls set ${sets.join(", ")} where id = ?`, args };
}

/**
 * One write transaction: the call rows, then the rollup rows they change. The rows' latency sketches are read
 * inside it before being merged and written back, so two writers (two instances on one database) cannot lose an
 * update: the second waits for the first's commit.
 */
async function writeInTransaction(client: Client, calls: InStatement[], deltas: RollupDelta[]): Promise<void> {
  const tx = await client.transaction("write");
  try {
    const stored = deltas.length ? (await tx.batch(existingLatencyStatements(deltas))).flatMap((rs) => rs.rows) : [];
    await tx.batch([...calls, ...rollupUpserts(deltas, storedLatencyByKey(stored))]);
    await tx.commit();
  } finally {
    tx.close();
  }
}
