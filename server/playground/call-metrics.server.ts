/**
 * A playground answer's numbers (tokens, time to first token, duration, cost) read from its call record, found by
 * the request id the browser sent (stored as the call's client request id; the hub's own id is accepted too) and the
 * caller's own user id (so nobody can attach another person's call).
 */
import { and, desc, eq, or } from "drizzle-orm";
import { modelCalls } from "../../drizzle/schema";
import { getDb } from "../db/client.server";
import { callRecorder } from "../usage/call-recorder.server";

export interface CallMetrics {
  inputTokens: number | null;
  outputTokens: number | null;
  ttftMs: number | null;
  durationMs: number | null;
  costMicro: number | null;
}

/** A stopped stream is closed on the server a moment after the browser hung up: wait this long for its record. */
const SETTLE_WAIT_MS = 1_500;
const POLL_MS = 50;

export async function callMetrics(
  userId: string,
  requestId: string,
): Promise<{ callId: string; metrics: CallMetrics } | null> {
  const deadline = Date.now() + SETTLE_WAIT_MS;
  for (;;) {
    const found = await readCall(userId, requestId);
    if (found !== "processing") return found;
    if (Date.now() >= deadline) return null;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

async function readCall(
  userId: string,
  requestId: string,
): Promise<{ callId: string; metrics: CallMetrics } | null | "processing"> {
  // Records are written in batches every few milliseconds; this process may still hold the one just finished.
  await callRecorder.flush();
  const db = await getDb();
  const [row] = await db
    .select({
      id: modelCalls.id,
      status: modelCalls.status,
      inputTokens: modelCalls.inputTokens,
      outputTokens: modelCalls.outputTokens,
      ttftMs: modelCalls.ttftMs,
      durationMs: modelCalls.durationMs,
      costMicro: modelCalls.costMicro,
    })
    .from(modelCalls)
    .where(
      and(
        or(eq(modelCalls.clientRequestId, requestId), eq(modelCalls.requestId, requestId)),
        eq(modelCalls.userId, userId),
      ),
    )
    .orderBy(desc(modelCalls.createdAt))
    .limit(1);
  if (!row) return null;
  if (row.status === "processing") return "processing";
  const { id, status: _status, ...metrics } = row;
  return { callId: id, metrics };
}
