/**
 * The call log: raw model calls, newest first, filtered by time range and any dimension (status too, which the
 * rollups cannot answer), paged by a keyset cursor on (created_at, id) so pages stay stable while calls arrive and
 * an export can walk millions of rows without loading them. A member's scope is fixed by the caller (the tRPC
 * router and the export route pass the member's own user id); this module trusts the filters it is given.
 */
import { and, desc, eq, gte, lt, lte, or, type SQL } from "drizzle-orm";
import { accessKeys, credentials, modelCalls, users } from "../../drizzle/schema";
import { CALL_APIS, CALL_STATUSES, type CallApi, type CallStatus } from "../../drizzle/schema/calls";
import { redactText } from "../crypto/redact";
import { callCharges } from "../billing/credits.server";
import { getDatabase, getDb } from "../db/client.server";
import { HubError } from "../errors";
import { getSettings } from "../settings/settings.server";
import type { UsageFilters } from "./dashboard.server";

export { CALL_APIS, CALL_STATUSES, type CallApi, type CallStatus };

export interface CallFilters extends UsageFilters {
  status?: CallStatus | null;
  api?: CallApi | null;
}

export interface CallSummary {
  id: string;
  requestId: string;
  createdAt: number;
  userId: string | null;
  userEmail: string | null;
  accessKeyId: string | null;
  accessKeyName: string | null;
  appName: string | null;
  type: string;
  /** Null only for rows written without it (never by the gateway; see server/gateway/call-api.ts). */
  api: CallApi | null;
  providerName: string | null;
  model: string | null;
  status: CallStatus;
  inputTokens: number | null;
  outputTokens: number | null;
  costMicro: number | null;
  durationMs: number | null;
  ttftMs: number | null;
  errorCode: string | null;
}

export interface CallDetail extends CallSummary {
  /** The x-request-id the client sent, if any (requestId is the hub's own). */
  clientRequestId: string | null;
  endpoint: string;
  stream: boolean;
  requestedModel: string | null;
  credentialName: string | null;
  cachedInputTokens: number | null;
  usageSource: string | null;
  images: number | null;
  attempts: number;
  httpStatus: number | null;
  errorMessage: string | null;
  /** What the hub changed on the way upstream (tools a provider cannot run, left out). */
  notes: string | null;
  finishedAt: number | null;
  /** Only while body logging is on and the call is within the retention period; redacted again on the way out. */
  requestBody: string | null;
  responseBody: string | null;
  bodyLogging: boolean;
  /** Past the retention: its bodies are (or are about to be) pruned, so the drawer says so rather than "not kept". */
  bodiesExpired: boolean;
  bodyLogRetentionDays: number;
  /** Credit the ledger charged for this call, and gave back by refund (micro-credits). */
  chargedMicro: number;
  refundedMicro: number;
}

export const MAX_PAGE = 500;

/** "<createdAt ms>:<id>" of the last row of the previous page. */
export function parseCursor(cursor: string): { at: Date; id: string } {
  const m = /^(\d{1,15}):(.{1,64})$/.exec(cursor);
  if (!m) throw new HubError("invalid_input", "Bad page cursor", "cursor");
  return { at: new Date(Number(m[1])), id: m[2]! };
}

function whereOf(filters: CallFilters, cursor?: string | null): SQL | undefined {
  const c = cursor ? parseCursor(cursor) : null;
  // One upper bound: the cursor's "<=" when paging (it is below `to`), since SQLite bounds the index range with only
  // one of them; bounded by `to`, every page scanned down from the newest call in range to the cursor.
  const where: SQL[] = [
    gte(modelCalls.createdAt, filters.from),
    c ? lte(modelCalls.createdAt, c.at) : lt(modelCalls.createdAt, filters.to),
  ];
  const eqIf = (column: Parameters<typeof eq>[0], value: string | null | undefined) => {
    if (value !== undefined && value !== null) where.push(eq(column, value));
  };
  eqIf(modelCalls.userId, filters.userId);
  eqIf(modelCalls.accessKeyId, filters.accessKeyId);
  eqIf(modelCalls.appName, filters.appName);
  eqIf(modelCalls.providerName, filters.providerName);
  eqIf(modelCalls.model, filters.model);
  eqIf(modelCalls.status, filters.status);
  eqIf(modelCalls.api, filters.api);
  if (c) where.push(or(lt(modelCalls.createdAt, c.at), and(eq(modelCalls.createdAt, c.at), lt(modelCalls.id, c.id)))!);
  return and(...where);
}

const summaryColumns = {
  id: modelCalls.id,
  requestId: modelCalls.requestId,
  createdAt: modelCalls.createdAt,
  userId: modelCalls.userId,
  userEmail: users.email,
  accessKeyId: modelCalls.accessKeyId,
  accessKeyName: accessKeys.name,
  appName: modelCalls.appName,
  type: modelCalls.type,
  api: modelCalls.api,
  providerName: modelCalls.providerName,
  model: modelCalls.model,
  status: modelCalls.status,
  inputTokens: modelCalls.inputTokens,
  outputTokens: modelCalls.outputTokens,
  costMicro: modelCalls.costMicro,
  durationMs: modelCalls.durationMs,
  ttftMs: modelCalls.ttftMs,
  errorCode: modelCalls.errorCode,
};

export async function listCalls(
  filters: CallFilters,
  page: { cursor?: string | null; limit?: number } = {},
): Promise<{ calls: CallSummary[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(page.limit ?? 50, 1), MAX_PAGE);
  const db = await getDb();
  const rows = await db
    .select(summaryColumns)
    .from(modelCalls)
    .leftJoin(users, eq(users.id, modelCalls.userId))
    .leftJoin(accessKeys, eq(accessKeys.id, modelCalls.accessKeyId))
    .where(whereOf(filters, page.cursor))
    .orderBy(desc(modelCalls.createdAt), desc(modelCalls.id))
    .limit(limit + 1);
  const calls = rows.slice(0, limit).map((r) => ({ ...r, createdAt: r.createdAt.getTime() }));
  const last = calls.at(-1);
  return { calls, nextCursor: rows.length > limit && last ? `${last.createdAt}:${last.id}` : null };
}

const SUMMARY_COLUMNS = `c.id, c.request_id, c.created_at, c.user_id, u.email, c.access_key_id, k.name, c.app_name,
  c.type, c.api, c.provider_name, c.model, c.status, c.input_tokens, c.output_tokens, c.cost_micro, c.duration_ms,
  c.ttft_ms, c.error_code`;

type SummaryTuple = [
  string,
  string,
  number,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string,
  CallApi | null,
  string | null,
  string | null,
  CallStatus,
  number | null,
  number | null,
  number | null,
  number | null,
  number | null,
  string | null,
];

/**
 * Every call matching the filters, a page at a time (for exports): at most `pageSize` rows in memory. The same rows
 * as listCalls, but a page comes back from SQLite as one JSON array of row arrays: the client's per-row and
 * per-value cost, not SQLite, was what held an export under 50,000 rows a second (docs/decisions/017).
 */
export async function* iterateCalls(filters: CallFilters, pageSize = 2000): AsyncGenerator<CallSummary[]> {
  const { client } = await getDatabase();
  const clauses: string[] = [];
  const args: Array<string | number> = [];
  for (const [column, value] of [
    ["user_id", filters.userId],
    ["access_key_id", filters.accessKeyId],
    ["app_name", filters.appName],
    ["provider_name", filters.providerName],
    ["model", filters.model],
    ["status", filters.status],
    ["api", filters.api],
  ] as const) {
    if (value === undefined || value === null) continue;
    clauses.push(`c.${column} = ?`);
    args.push(value);
  }
  const filtered = clauses.map((c) => ` and ${c}`).join("");
  const from = filters.from.getTime();
  let cursor: { at: number; id: string } | null = null;
  for (;;) {
    // One upper bound on created_at, as in whereOf: the cursor's when paging.
    const range = cursor
      ? {
          sql: "c.created_at >= ? and c.created_at <= ? and (c.created_at < ? or c.id < ?)",
          args: [from, cursor.at, cursor.at, cursor.id],
        }
      : { sql: "c.created_at >= ? and c.created_at < ?", args: [from, filters.to.getTime()] };
    const rs = await client.execute({
      sql: `select json_group_array(json(r)) as page from (select json_array(${SUMMARY_COLUMNS}) as r
        from model_calls c left join users u on u.id = c.user_id left join access_keys k on k.id = c.access_key_id
        where ${range.sql}${filtered} order by c.created_at desc, c.id desc limit ?)`,
      args: [...range.args, ...args, pageSize],
    });
    const tuples = JSON.parse(String(rs.rows[0]?.page ?? "[]")) as SummaryTuple[];
    const page = tuples.map(
      ([
        id,
        requestId,
        createdAt,
        userId,
        userEmail,
        accessKeyId,
        accessKeyName,
        appName,
        type,
        api,
        providerName,
        model,
        status,
        inputTokens,
        outputTokens,
        costMicro,
        durationMs,
        ttftMs,
        errorCode,
      ]): CallSummary => ({
        id,
        requestId,
        createdAt,
        userId,
        userEmail,
        accessKeyId,
        accessKeyName,
        appName,
        type,
        api,
        providerName,
        model,
        status,
        inputTokens,
        outputTokens,
        costMicro,
        durationMs,
        ttftMs,
        errorCode,
      }),
    );
    if (page.length) yield page;
    const last = page.at(-1);
    if (page.length < pageSize || !last) return;
    cursor = { at: last.createdAt, id: last.id };
  }
}

/** One call; `onlyUserId` restricts a member to their own calls (another's id reads as not found). */
export async function getCall(id: string, onlyUserId: string | null): Promise<CallDetail> {
  const db = await getDb();
  const where = onlyUserId ? and(eq(modelCalls.id, id), eq(modelCalls.userId, onlyUserId)) : eq(modelCalls.id, id);
  const [row] = await db
    .select({
      ...summaryColumns,
      clientRequestId: modelCalls.clientRequestId,
      endpoint: modelCalls.endpoint,
      stream: modelCalls.stream,
      requestedModel: modelCalls.requestedModel,
      credentialName: credentials.name,
      cachedInputTokens: modelCalls.cachedInputTokens,
      usageSource: modelCalls.usageSource,
      images: modelCalls.images,
      attempts: modelCalls.attempts,
      httpStatus: modelCalls.httpStatus,
      errorMessage: modelCalls.errorMessage,
      notes: modelCalls.notes,
      finishedAt: modelCalls.finishedAt,
      requestBody: modelCalls.requestBody,
      responseBody: modelCalls.responseBody,
    })
    .from(modelCalls)
    .leftJoin(users, eq(users.id, modelCalls.userId))
    .leftJoin(accessKeys, eq(accessKeys.id, modelCalls.accessKeyId))
    .leftJoin(credentials, eq(credentials.id, modelCalls.credentialId))
    .where(where)
    .limit(1);
  if (!row) throw new HubError("not_found", "No such call");
  const { bodyLogRetentionDays } = await getSettings();
  const expired = bodyLogRetentionDays > 0 && row.createdAt.getTime() < Date.now() - bodyLogRetentionDays * 86_400_000;
  const retained = bodyLogRetentionDays > 0 && !expired;
  const body = (text: string | null) => (retained && text ? redactText(text) : null);
  return {
    ...row,
    createdAt: row.createdAt.getTime(),
    finishedAt: row.finishedAt?.getTime() ?? null,
    errorMessage: row.errorMessage ? redactText(row.errorMessage) : null,
    requestBody: body(row.requestBody),
    responseBody: body(row.responseBody),
    bodyLogging: bodyLogRetentionDays > 0,
    bodiesExpired: expired,
    bodyLogRetentionDays,
    ...(await callCharges(row.id)),
  };
}
