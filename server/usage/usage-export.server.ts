/**
 * CSV downloads of the usage pages, session-authenticated and with the pages' filters (same schema, same scope
 * rule): the filtered calls, streamed a keyset page at a time (a million rows never sit in memory), and the
 * aggregated breakdown table.
 */
import { z } from "zod";
import { requireUser } from "../auth/require.server";
import { formatMicro } from "../billing/money";
import { iterateCalls, type CallSummary } from "./call-log.server";
import { attachment, csvStream, type CsvValue } from "./csv";
import { usageBreakdown, type BreakdownBy } from "./dashboard.server";
import { callFiltersSchema, filtersFromSearchParams, scopedUserId } from "./usage-filters";
import { labelsFor } from "./usage-labels.server";

const CALL_HEADER = [
  "created_at",
  "request_id",
  "user",
  "access_key",
  "app",
  "type",
  "api",
  "provider",
  "model",
  "status",
  "input_tokens",
  "output_tokens",
  "cost_credits",
  "duration_ms",
  "ttft_ms",
  "error_code",
];

export function callRow(c: CallSummary): CsvValue[] {
  return [
    new Date(c.createdAt).toISOString(),
    c.requestId,
    c.userEmail ?? c.userId,
    c.accessKeyName ?? c.accessKeyId,
    c.appName,
    c.type,
    c.api,
    c.providerName,
    c.model,
    c.status,
    c.inputTokens,
    c.outputTokens,
    c.costMicro === null ? null : formatMicro(c.costMicro),
    c.durationMs,
    c.ttftMs,
    c.errorCode,
  ];
}

async function parseRequest(request: Request) {
  const user = await requireUser(request);
  const params = new URL(request.url).searchParams;
  const parsed = callFiltersSchema.safeParse(filtersFromSearchParams(params));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Response(`Bad filter ${issue.path.join(".")}: ${issue.message}`, { status: 400 });
  }
  const scope = scopedUserId(user, parsed.data.scope, parsed.data.userId);
  if (!scope) throw new Response("Only owners and admins can export everyone's usage.", { status: 403 });
  const { scope: _scope, ...filters } = parsed.data;
  return { params, filters: { ...filters, userId: scope.userId } };
}

const day = (d: Date) => d.toISOString().slice(0, 10);

export async function exportCallsResponse(request: Request): Promise<Response> {
  const { filters } = await parseRequest(request);
  const body = csvStream(CALL_HEADER, iterateCalls(filters, 1000), callRow);
  return new Response(body, { headers: attachment(`usage-calls-${day(filters.from)}-${day(filters.to)}.csv`) });
}

const byschema = z.enum(["model", "provider", "user", "key", "app"]).catch("model");

export async function exportSummaryResponse(request: Request): Promise<Response> {
  const { params, filters } = await parseRequest(request);
  const by: BreakdownBy = byschema.parse(params.get("by"));
  const rows = await usageBreakdown(filters, by, 100_000);
  const labels = await labelsFor(
    by,
    rows.map((r) => r.key),
  );
  const header = [
    by,
    "label",
    "requests",
    "failed",
    "error_rate",
    "input_tokens",
    "output_tokens",
    "cost_credits",
    "avg_duration_ms",
    "p50_duration_ms",
    "p95_duration_ms",
    "p99_duration_ms",
    "p50_ttft_ms",
    "p95_ttft_ms",
    "p99_ttft_ms",
  ];
  const ms = (v: number | null) => (v === null ? null : Math.round(v));
  async function* one() {
    yield rows;
  }
  const body = csvStream(header, one(), (r) => [
    r.key,
    labels.get(r.key) ?? r.key,
    r.requests,
    r.failed,
    r.errorRate.toFixed(4),
    r.inputTokens,
    r.outputTokens,
    formatMicro(r.costMicro),
    r.avgDurationMs,
    ms(r.p50DurationMs),
    ms(r.p95DurationMs),
    ms(r.p99DurationMs),
    ms(r.p50TtftMs),
    ms(r.p95TtftMs),
    ms(r.p99TtftMs),
  ]);
  return new Response(body, { headers: attachment(`usage-by-${by}-${day(filters.from)}-${day(filters.to)}.csv`) });
}
