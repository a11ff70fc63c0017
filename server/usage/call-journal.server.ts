/**
 * The call journal: a finished call's final record as an appended line, written before its answer's last byte, so
 * that the database commit of that record can follow the answer instead of preceding it
 * (docs/decisions/020-call-journal.md).
 *
 * A line is the record's own upsert statement, JSON on one line. The file lives next to the SQLite file, one per
 * process: `<db file>-calls/<instance id>.<pid>.<process space tag>.jsonl`, so whoever finds it can tell whose it
 * is and whether that process is gone. A killed process loses no line (the kernel has it once `write` returns),
 * which is the same promise as the database's own WAL with synchronous=NORMAL. Replaying a line is a no-op when
 * the record was committed already: final records are idempotent upserts.
 *
 * A file holds only recent lines: once every line in it is committed, it is emptied at once past ROTATE_BYTES, or
 * after IDLE_EMPTY_MS without a new call. So a replay never writes back an old record that something changed since.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Client, InStatement } from "@libsql/client";
import { log } from "../log.server";

const ROTATE_BYTES = 1 << 20;
const IDLE_EMPTY_MS = 1_000;
const SUFFIX = ".jsonl";

/** The journal folder of a SQLite database file. */
export function journalDirOf(dbFile: string): string {
  return `${dbFile}-calls`;
}

/** A short tag of a process space (server/instances/instance.server.ts): a pid only means something within one. */
export function spaceTag(space: string): string {
  return createHash("sha256").update(space).digest("hex").slice(0, 12);
}

export class CallJournal {
  readonly file: string;
  private readonly fd: number;
  private bytes = 0;
  private uncommitted = 0;
  private idle: NodeJS.Timeout | null = null;
  private failed = false;

  constructor(dir: string, owner: { instanceId: string; pid: number; space: string }) {
    fs.mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, `${owner.instanceId}.${owner.pid}.${spaceTag(owner.space)}${SUFFIX}`);
    this.fd = fs.openSync(this.file, "a");
  }

  /**
   * Appends the statement; true once the kernel has the whole line. False when it could not be written: the
   * caller then commits the record before answering, as without a journal.
   */
  append(statement: InStatement): boolean {
    const line = Buffer.from(lineOf(statement));
    const before = this.bytes;
    try {
      const written = fs.writeSync(this.fd, line);
      this.bytes += written;
      // A short write (a full disk): the torn line is cut off again, so the next line starts on a line of its own.
      if (written !== line.length) throw new Error(`short write (${written} bytes)`);
    } catch (error) {
      this.cutTo(before);
      if (!this.failed) log.error("the call journal could not be written; records are committed before answers", { error }); // prettier-ignore
      this.failed = true;
      return false;
    }
    this.failed = false;
    this.uncommitted++;
    return true;
  }

  /** `count` of the appended lines are committed to the database. */
  committed(count: number): void {
    this.uncommitted -= count;
    if (this.uncommitted > 0 || this.bytes === 0) return;
    if (this.bytes >= ROTATE_BYTES) this.cutTo(0);
    else
      this.idle ??= setTimeout(() => {
        this.idle = null;
        if (this.uncommitted === 0) this.cutTo(0);
      }, IDLE_EMPTY_MS).unref();
  }

  /** Lines appended and not yet committed. */
  pending(): number {
    return this.uncommitted;
  }

  /** Closes the file, and removes it when every line is committed (a graceful stop, after the last flush). */
  close(): void {
    if (this.idle) clearTimeout(this.idle);
    fs.closeSync(this.fd);
    if (this.uncommitted === 0) fs.rmSync(this.file, { force: true });
  }

  private cutTo(size: number): void {
    try {
      fs.ftruncateSync(this.fd, size);
      this.bytes = size;
    } catch (error) {
      log.warn("emptying the call journal failed", { error });
    }
  }
}

const sqlJson = new Map<string, string>();

/**
 * The statement as a JSON line, the same value as `JSON.stringify(statement)`. Its SQL is one of a few shapes of about
 * a kilobyte with every column name in quotes: each is serialised once, not escaped again on every call.
 */
function lineOf(statement: InStatement): string {
  if (typeof statement === "string" || !Array.isArray(statement.args)) return JSON.stringify(statement) + "\n";
  let sql = sqlJson.get(statement.sql);
  if (sql === undefined) {
    sql = JSON.stringify(statement.sql);
    if (sqlJson.size < 64) sqlJson.set(statement.sql, sql);
  }
  return `{"sql":${sql},"args":${JSON.stringify(statement.args)}}\n`;
}

/** A journal file found on disk, and whose it is. */
export interface JournalFile {
  file: string;
  instanceId: string;
  pid: number;
  spaceTag: string;
}

export function listJournals(dir: string): JournalFile[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: JournalFile[] = [];
  for (const name of names) {
    const match = /^([^.]+)\.(\d+)\.([0-9a-f]+)\.jsonl$/.exec(name);
    if (match) out.push({ file: path.join(dir, name), instanceId: match[1]!, pid: Number(match[2]), spaceTag: match[3]! }); // prettier-ignore
  }
  return out;
}

/**
 * Commits every record in a journal file, in one transaction, and returns how many. A line cut short by a power
 * cut is skipped: its answer had not left, since the answer follows the whole line.
 */
export async function replayJournal(client: Client, file: string): Promise<number> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return 0; // removed meanwhile by its own process's graceful stop
  }
  const statements: InStatement[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    try {
      statements.push(JSON.parse(line) as InStatement);
    } catch {
      log.warn("skipped a torn line in a call journal", { file: path.basename(file) });
    }
  }
  if (statements.length) await client.batch(statements, "write");
  return statements.length;
}
