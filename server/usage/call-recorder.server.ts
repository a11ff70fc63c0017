/**
 * Model-call records, written in batches (group commit). A call's start row is queued as `processing` and written
 * within FLUSH_MS (or at once, in the transaction of its credit reservation: `startStatement`). Its end is different:
 * `finish` queues the final row together with the call's settlement (its ledger statements) and resolves once both
 * are committed in one transaction, so the gateway sends the answer's last byte only after its record and its charge
 * are durable, and a crash at any instant leaves both or neither (docs/decisions/008-crash-safe-records.md). A
 * finish starts a write at once if none is running, else joins the next one: under load each transaction carries
 * every call that ended meanwhile. Final rows are upserts, so a call whose start row was never written still gets
 * its record. Shutdown flushes everything; a crash loses at most the start rows of calls still running, which hold
 * no credit (a hold is written with its start row) and whose clients got no complete answer.
 * On a SQLite file the final row of a call that ends with no other running in this process, and without a settlement,
 * takes a shorter path: appended to the call journal (./call-journal.server.ts), which makes it durable, and committed
 * with the next batch of start rows, within FLUSH_MS (docs/decisions/020-call-journal.md,
 * docs/decisions/022-one-call-at-a-time.md).
 */
import { getTableColumns } from "drizzle-orm";
import type { InStatement, ResultSet } from "@libsql/client";
import { modelCalls } from "../../drizzle/schema";
import { newId } from "../crypto/tokens";
import { getDatabase } from "../db/client.server";
import { log } from "../log.server";
import type { CallJournal } from "./call-journal.server";
import { rollUpCalls } from "./roll-up.server";
import type { FinishedCall } from "./rollup-delta";

export type CallInsert = typeof modelCalls.$inferInsert;
export type CallPatch = Partial<Omit<CallInsert, "id" | "requestId" | "createdAt">>;

/** Statements committed in the transaction of a call's final record (its settlement), and what to do after. */
export interface WithRecord {
  statements: InStatement[];
  /** Called with the statements' results once committed. */
  after?: (results: ResultSet[]) => void;
}

const FLUSH_MS = 50;
/** How long finished calls wait for their rollups, so a quiet hub still writes them in batches. */
const ROLLUP_MS = 100;
const MAX_BATCH = 500;

interface Pending {
  row: CallInsert;
  /** The start row is written (or claimed by a reservation's transaction). */
  inserted: boolean;
  /** `row` is the call's final state: written as an upsert, with `with`. */
  final: boolean;
  /** Only the final fields are known (the start row was lost to this process): written as an update. */
  patchOnly?: boolean;
  with?: WithRecord;
  /** The final row's upsert, already in the call journal: its commit may follow the answer. */
  journaled?: InStatement;
  waiters: Array<() => void>;
}

class CallRecorder {
  private queue = new Map<string, Pending>();
  /** The batch being written now. */
  private writing: Map<string, Pending> | null = null;
  /** Calls inserted but not finished, by id, with their start row (the final upsert and the rollups need it). */
  private open = new Map<string, CallInsert>();
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private flushing: Promise<void> | null = null;
  /**
   * Finished calls whose rollups are still to be written, a batch every ROLLUP_MS (./roll-up.server.ts), by id, with
   * their final rows when this process knows them whole (the rollups are then computed from memory).
   */
  private unrolled = new Map<string, FinishedCall | undefined>();
  private rollupTimer: NodeJS.Timeout | null = null;
  private rollingUp: Promise<void> = Promise.resolve();
  private journal: CallJournal | null = null;
  /** Calls started in this process and not finished yet. */
  private running = 0;
  /** Tests of the journal's replay only: journaled final rows are never committed by this process. */
  private journalOnly = false;

  /** From now on, final rows without a settlement go to `journal` and their callers do not wait for the commit. */
  useJournal(journal: CallJournal | null, options: { journalOnly?: boolean } = {}): void {
    this.journal = journal;
    this.journalOnly = options.journalOnly ?? false;
  }

  /**
   * Queues a call's start row and returns its id. The row object becomes the recorder's (callers pass a fresh
   * literal): copying it with a spread cost 6-7 µs on every call's path (docs/decisions/023-the-answer-path.md).
   */
  start(row: Omit<CallInsert, "id"> & { id?: string }): string {
    const id = (row.id ??= newId("call"));
    row.createdAt ??= new Date();
    this.running++;
    this.queue.set(id, { row: row as CallInsert, inserted: false, final: false, waiters: [] });
    this.schedule(false);
    return id;
  }

  /**
   * The call's start row as a statement for another transaction (the credit reservation), when it is still only
   * queued: the recorder then leaves it to that transaction. Null when it is written or being written already.
   * Idempotent (`on conflict do nothing`): the final upsert may overtake it.
   */
  startStatement(id: string): InStatement | null {
    const pending = this.queue.get(id);
    if (!pending || pending.inserted || pending.final) return null;
    this.queue.delete(id);
    this.open.set(id, pending.row);
    return insertStatements([pending.row], "ignore")[0] ?? null;
  }

  /**
   * Queues the call's final record, with `withRecord`'s statements in the same transaction, and resolves once
   * committed. A failed write is retried until it succeeds (the caller waits: an answer is not complete before
   * its record is durable).
   */
  finish(id: string, patch: CallPatch, withRecord?: WithRecord): Promise<void> {
    const base = this.queue.get(id)?.row ?? this.writing?.get(id)?.row ?? this.open.get(id);
    const row = finalRow(base, patch, id);
    const alone = base !== undefined && this.alone();
    if (base) this.running--;
    if (this.journal && alone && !withRecord?.statements.length) {
      row.rolledUp = 0;
      const statement = insertStatements([row], "replace")[0]!;
      if (this.journal.append(statement)) {
        if (this.journalOnly) return Promise.resolve();
        this.queue.set(id, { row, inserted: true, final: true, journaled: statement, waiters: [] });
        this.schedule(false);
        return Promise.resolve();
      }
    }
    return new Promise<void>((resolve) => {
      this.queue.set(id, { row, inserted: true, final: true, patchOnly: !base, with: withRecord, waiters: [resolve] });
      this.schedule(true);
    });
  }

  /**
   * Whether the call ending now is the only one running here. Its answer need not wait for its commit: the journal
   * holds the record, and the commit waits for the next batch, so that calls made one at a time share their commits
   * and the commit is off the way of the next request. Calls that overlap wait for the commit they share, as before:
   * answered before it, the hub spent 25-33 % more CPU a call at concurrency 64 (docs/decisions/020-call-journal.md).
   */
  private alone(): boolean {
    return this.running === 1;
  }

  /**
   * Start rows and journaled final rows wait up to FLUSH_MS to share a write; a final row someone waits for goes with
   * the next one.
   */
  private schedule(urgent: boolean): void {
    if (this.queue.size >= MAX_BATCH || (urgent && !this.flushing)) {
      this.immediate ??= setImmediate(() => {
        this.immediate = null;
        void this.flushRecords();
      });
    } else if (!this.timer && !urgent) this.timer = setTimeout(() => void this.flushRecords(), FLUSH_MS);
  }

  /** Everything queued written, records and rollups (shutdown, tests). */
  async flush(): Promise<void> {
    await this.flushRecords();
    await this.rollUp();
  }

  private async flushRecords(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.flushing) await this.flushing;
    if (this.queue.size === 0) return;
    const batch = this.queue;
    this.queue = new Map();
    this.writing = batch;
    this.flushing = this.write(batch).finally(() => {
      this.flushing = null;
      this.writing = null;
    });
    await this.flushing;
    if (this.queue.size) this.schedule([...this.queue.values()].some((p) => p.waiters.length > 0));
  }

  private async write(batch: Map<string, Pending>): Promise<void> {
    const starts: CallInsert[] = [];
    const finals: CallInsert[] = [];
    const patches: Pending[] = [];
    const journaled: InStatement[] = [];
    for (const p of batch.values()) {
      // A final row waits for its rollups (./roll-up.server.ts), which follow once it is committed.
      if (p.final) p.row.rolledUp = 0;
      if (p.journaled) journaled.push(p.journaled);
      else if (p.patchOnly) patches.push(p);
      else if (p.final) finals.push(p.row);
      else if (!p.inserted) starts.push(p.row);
    }
    const extra: Array<{ at: number; count: number; with: WithRecord }> = [];
    let results: ResultSet[];
    try {
      const { client } = await getDatabase();
      // Raw statements: building them through the ORM row by row cost a fifth of the hub's CPU under load.
      // The settlements of the calls that end here are written in the same transaction as their records.
      const statements = [
        ...insertStatements(starts, "ignore"),
        ...insertStatements(finals, "replace"),
        ...journaled,
        ...patches.map((p) => updateStatement(p.row)),
      ];
      for (const p of batch.values()) {
        if (!p.with?.statements.length) continue;
        extra.push({ at: statements.length, count: p.with.statements.length, with: p.with });
        statements.push(...p.with.statements);
      }
      // On a SQLite file every connection runs WAL with synchronous=NORMAL (server/db/client.server.ts): a commit
      // is not an fsync, and a killed process loses none; only a power cut can lose the last ones.
      // One statement (a lone call's final record, billing off) is a transaction by itself: no BEGIN and COMMIT.
      const only = statements.length === 1 ? statements[0] : undefined;
      results = only ? [await client.execute(only)] : await client.batch(statements, "write");
    } catch (error) {
      log.error("writing call records failed; they will be retried", { error, calls: batch.size });
      this.requeue(batch);
      await new Promise((r) => setTimeout(r, 200));
      return;
    }
    if (journaled.length) this.journal?.committed(journaled.length);
    for (const e of extra) {
      try {
        e.with.after?.(results.slice(e.at, e.at + e.count));
      } catch (error) {
        log.error("reading a settlement's result failed", { error });
      }
    }
    for (const [id, p] of batch) {
      if (p.final) {
        this.unrolled.set(id, !p.patchOnly && isFinishedCall(p.row) ? p.row : undefined);
        this.open.delete(id);
        for (const resolve of p.waiters) resolve();
      } else this.open.set(id, p.row);
    }
    // The answers can end now. Their rollups are written a little later, many calls in one transaction: under light
    // load a transaction per call cost more than the call itself.
    if (this.unrolled.size >= MAX_BATCH) void this.rollUp();
    else this.rollupTimer ??= setTimeout(() => void this.rollUp(), ROLLUP_MS);
  }

  /** Writes the pending rollups (one at a time). A failure leaves them to the sweep: nothing is counted twice or lost. */
  private rollUp(): Promise<void> {
    if (this.rollupTimer) {
      clearTimeout(this.rollupTimer);
      this.rollupTimer = null;
    }
    const calls = this.unrolled;
    this.unrolled = new Map();
    this.rollingUp = this.rollingUp.then(async () => {
      try {
        await rollUpCalls([...calls.keys()], calls);
      } catch (error) {
        log.warn("rolling up finished calls failed; the sweep will add them", { error, calls: calls.size });
      }
    });
    return this.rollingUp;
  }

  /** Put a failed batch back, merged with anything newer about the same calls, so no record is lost. */
  private requeue(batch: Map<string, Pending>): void {
    for (const [id, p] of batch) {
      const newer = this.queue.get(id);
      // A newer final row was built from this start row: it carries it, so the start can go.
      if (newer) newer.inserted = newer.inserted || p.inserted;
      else this.queue.set(id, p);
    }
    if (this.queue.size) this.schedule([...this.queue.values()].some((p) => p.final));
  }

  pendingCount(): number {
    return this.queue.size;
  }
}

export const callRecorder = new CallRecorder();

/**
 * `{ ...base, finishedAt: now, ...patch, id }`, built into an object that has every column from the start. Merged
 * with spreads, the row got its thirty-odd fields one at a time past the dozen an object takes before V8 turns it
 * into a hash table: building it, and reading it back for the statement, cost about 9 µs a call where this costs 3
 * (docs/decisions/023-the-answer-path.md). A field left undefined is the same to every reader as one left out.
 */
function finalRow(base: CallInsert | undefined, patch: CallPatch, id: string): CallInsert {
  const row = blankRow() as Record<string, unknown>;
  if (base) for (const key in base) row[key] = (base as Record<string, unknown>)[key];
  row.finishedAt = new Date();
  for (const key in patch) row[key] = (patch as Record<string, unknown>)[key];
  row.id = id;
  return row as CallInsert;
}

/**
 * Every column of model_calls, undefined: a literal, so that V8 lays all of them out in the object at once. Its type
 * makes the compiler refuse it when a column is added to the table and not here.
 */
function blankRow(): Record<keyof CallInsert, undefined> {
  return {
    id: undefined,
    requestId: undefined,
    clientRequestId: undefined,
    instanceId: undefined,
    userId: undefined,
    accessKeyId: undefined,
    appName: undefined,
    type: undefined,
    endpoint: undefined,
    api: undefined,
    stream: undefined,
    requestedModel: undefined,
    providerId: undefined,
    providerName: undefined,
    credentialId: undefined,
    model: undefined,
    status: undefined,
    inputTokens: undefined,
    outputTokens: undefined,
    cachedInputTokens: undefined,
    cacheWriteTokens: undefined,
    usageSource: undefined,
    images: undefined,
    costMicro: undefined,
    rateId: undefined,
    durationMs: undefined,
    ttftMs: undefined,
    attempts: undefined,
    httpStatus: undefined,
    errorCode: undefined,
    errorMessage: undefined,
    ip: undefined,
    notes: undefined,
    requestBody: undefined,
    responseBody: undefined,
    createdAt: undefined,
    finishedAt: undefined,
    rolledUp: undefined,
  };
}

/** A final row has what the rollups read (its start time and status): it is passed to them as it is. */
function isFinishedCall(row: CallInsert): row is CallInsert & FinishedCall {
  return row.createdAt !== undefined && row.status !== undefined;
}

/** JS property → SQL column, from the drizzle table, so the raw statements cannot drift from the schema. */
const COLUMNS = Object.entries(getTableColumns(modelCalls)).map(([key, column]) => ({ key, name: column.name }));
const BY_KEY = new Map(COLUMNS.map((c) => [c.key, c]));
function toSqlValue(key: string, value: unknown): string | number | null {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number" || typeof value === "string") return value;
  throw new Error(`call record field ${key} has an unsupported value`);
}

/**
 * One insert per row, of just the columns the row uses (fewer bound values: the cost is per value). "ignore" for
 * start rows (the row may be written already), "replace" for final rows: every column of the full row wins.
 * A row at a time rather than one multi-row statement per batch: the SQL then takes one of a few shapes (which
 * columns are set), each compiled once per connection and kept (../db/statement-cache.server.ts), where a
 * multi-row statement changed with every batch size and was compiled anew each time.
 */
function insertStatements(rows: CallInsert[], conflict: "ignore" | "replace"): InStatement[] {
  return rows.map((row) => {
    const r = row as Record<string, unknown>;
    let shape = 0;
    const args: Array<string | number | null> = [];
    for (let i = 0; i < COLUMNS.length; i++) {
      const c = COLUMNS[i]!;
      const value = r[c.key] ?? defaultFor(c.key);
      if (value === null) continue;
      shape += 2 ** i;
      args.push(toSqlValue(c.key, value));
    }
    return { sql: insertSql(shape, conflict), args };
  });
}

// A shape is a sum of powers of two, exact in a double for up to 53 columns.
if (COLUMNS.length > 53) throw new Error("model_calls has more columns than a row shape can tell apart");
const insertSqlByShape = { ignore: new Map<number, string>(), replace: new Map<number, string>() };

/** The insert for rows that set exactly the columns in `shape` (bit i: COLUMNS[i]), built once per shape. */
function insertSql(shape: number, conflict: "ignore" | "replace"): string {
  const known = insertSqlByShape[conflict].get(shape);
  if (known) return known;
  const used = COLUMNS.filter((_, i) => Math.floor(shape / 2 ** i) % 2 === 1);
  const sets = used
    .filter((c) => !SET_AT_START.has(c.key))
    .map((c) => (c.key === "rolledUp" ? ROLLED_UP_ON_FINISH : `"${c.name}" = excluded."${c.name}"`));
  const onConflict =
    conflict === "ignore" ? "on conflict (id) do nothing" : `on conflict (id) do update set ${sets.join(", ")}`;
  const sql =
    `insert into model_calls (${used.map((c) => `"${c.name}"`).join(", ")}) ` +
    `values (${used.map(() => "?").join(", ")}) ${onConflict}`;
  insertSqlByShape[conflict].set(shape, sql);
  return sql;
}

/**
 * Fields fixed when the call starts: a final upsert that meets the start row leaves them (and their indexes) alone,
 * which saves index updates on every call.
 */
const SET_AT_START = new Set<string>([
  "id",
  "requestId",
  "clientRequestId",
  "instanceId",
  "userId",
  "accessKeyId",
  "appName",
  "type",
  "api",
  "endpoint",
  "ip",
  "createdAt",
]);

/**
 * A final record waits for its rollups, unless it meets a call that the stale-call job or an instance recovery already
 * closed and rolled up (a process that was only silent, finishing late: docs/decisions/008-crash-safe-records.md):
 * that call is in the usage once already, as it was closed (docs/decisions/017-closed-calls-and-exports.md).
 */
const ROLLED_UP_ON_FINISH = `"rolled_up" = case when model_calls.status != 'processing' and model_calls.rolled_up = 1 then 1 else 0 end`;

/** Column defaults the ORM would have applied. */
function defaultFor(key: string): unknown {
  if (key === "status") return "processing";
  if (key === "attempts") return 1;
  if (key === "stream") return false;
  if (key === "rolledUp") return 1;
  return null;
}

function updateStatement(row: CallInsert): InStatement {
  const sets: string[] = [];
  const args: Array<string | number | null> = [];
  for (const [key, value] of Object.entries(row)) {
    const column = BY_KEY.get(key);
    if (!column || value === undefined || key === "id") continue;
    if (key === "rolledUp") {
      sets.push(ROLLED_UP_ON_FINISH);
      continue;
    }
    sets.push(`"${column.name}" = ?`);
    args.push(toSqlValue(key, value));
  }
  args.push(row.id ?? "");
  return { sql: `update model_calls set ${sets.join(", ")} where id = ?`, args };
}
