/**
 * Prepared statements kept per SQLite connection. `@libsql/client` prepares every statement anew on every
 * execution (its `executeStmt`), so each call paid SQLite's compiler for the same few statements it had compiled a
 * moment before; that was the largest single item in the hub's CPU profile (docs/decisions/018-per-call-cost.md).
 *
 * The client builds its connections itself (`new Database(...)` from the `libsql` package inside its pool), so the
 * only place to cache is `Database.prototype.prepare`: installed once, it keeps the last MAX_PER_CONNECTION
 * statements of each connection by their SQL text. Reusing one is safe because every use the client makes of a
 * statement is synchronous and complete (`all` or `run`, which reset it first); nothing in the hub iterates one
 * lazily. SQLite re-prepares a cached statement by itself when the schema changes under it, but the columns the
 * client reads from it (`select *`) would stay the old ones: any schema change made through this process (a DDL
 * statement, or `exec`, which runs migrations' and pragmas' scripts) empties every connection's cache. The hub lists its
 * columns in every query, so a change made by another process (a migration run beside a serving hub) cannot
 * change the shape of what a cached statement returns.
 *
 * The client also probes whether a statement returns rows by calling `raw(true)` and catching the native error
 * thrown for writes: a cached write statement throws one prepared error instead, without building a new one.
 */
import { createRequire } from "node:module";

const MAX_PER_CONNECTION = 64;
/**
 * Longer SQL is not kept: those are the multi-row statements whose shape changes with the batch (the recorder's,
 * the rollups'), compiled statements of tens of kilobytes that would rarely be met again and only hold memory.
 */
const MAX_SQL_LENGTH = 3_000;

interface LibsqlStatement {
  readonly reader: boolean;
  raw(toggle?: boolean): LibsqlStatement;
}

interface LibsqlDatabase {
  prepare(sql: string): LibsqlStatement;
  exec(sql: string): unknown;
}

/**
 * The `libsql` module as `@libsql/client` itself resolves it, so the cache lands on the class its pool constructs
 * even if another copy of `libsql` were installed elsewhere in the tree.
 */
function clientsDatabaseClass(): { prototype: LibsqlDatabase } {
  const requireHere = createRequire(import.meta.url);
  return createRequire(requireHere.resolve("@libsql/client"))("libsql") as { prototype: LibsqlDatabase };
}

interface ConnectionCache {
  /** The schema generation the statements were compiled in. */
  generation: number;
  statements: Map<string, LibsqlStatement>;
}

const cacheOf = new WeakMap<LibsqlDatabase, ConnectionCache>();
let schemaGeneration = 0;
const SCHEMA_CHANGE = /^\s*(create|alter|drop)\b/i;
const notAReader = new TypeError("The raw() method is only for statements that return data");
let installed = false;

/** How often a statement was compiled and how often a cached one was reused, since start (tests, diagnostics). */
export const statementCacheStats = { prepared: 0, reused: 0 };

/** Installs the cache (idempotent). Only SQLite files use it: a libSQL server is reached over HTTP instead. */
export function cachePreparedStatements(): void {
  if (installed) return;
  installed = true;
  const proto = clientsDatabaseClass().prototype;
  const { prepare, exec } = proto;
  proto.exec = function execChangingSchema(this: LibsqlDatabase, sql: string): unknown {
    schemaGeneration++;
    return exec.call(this, sql);
  };
  proto.prepare = function cachedPrepare(this: LibsqlDatabase, sql: string): LibsqlStatement {
    if (sql.length > MAX_SQL_LENGTH) return prepare.call(this, sql);
    if (SCHEMA_CHANGE.test(sql)) {
      schemaGeneration++;
      return prepare.call(this, sql);
    }
    let entry = cacheOf.get(this);
    if (entry?.generation !== schemaGeneration) {
      entry = { generation: schemaGeneration, statements: new Map() };
      cacheOf.set(this, entry);
    }
    const cache = entry.statements;
    const hit = cache.get(sql);
    if (hit) {
      statementCacheStats.reused++;
      // Least recently used goes first: move this one to the end.
      cache.delete(sql);
      cache.set(sql, hit);
      return hit;
    }
    const statement = prepare.call(this, sql);
    statementCacheStats.prepared++;
    if (!statement.reader) {
      statement.raw = () => {
        throw notAReader;
      };
    }
    cache.set(sql, statement);
    if (cache.size > MAX_PER_CONNECTION) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    return statement;
  };
}
