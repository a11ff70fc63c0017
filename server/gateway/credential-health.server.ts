/**
 * The process's circuit breaker, and the last known health of each credential written to the credentials table
 * (for the admin console) without slowing any request: writes are coalesced per credential.
 */
import { eq } from "drizzle-orm";
import { credentials } from "../../drizzle/schema";
import { getDb } from "../db/client.server";
import { log } from "../log.server";
import type { UpstreamError } from "../providers/types";
import { CircuitBreaker } from "./circuit-breaker";

export const breaker = new CircuitBreaker();

const pending = new Map<string, UpstreamError | null>();
let timer: NodeJS.Timeout | null = null;

/** Remember the outcome of a call for the admin view (null = success). */
export function noteCredentialHealth(credentialId: string, error: UpstreamError | null): void {
  const had = pending.has(credentialId);
  if (error === null && !had && breaker.failures(credentialId) === 0 && !dirty.has(credentialId)) return;
  pending.set(credentialId, error);
  timer ??= setTimeout(() => void writeHealth(), 1_000);
}

/** Credentials whose stored state is not "healthy" and needs a success written back. */
const dirty = new Set<string>();

export async function writeHealth(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = null;
  const batch = [...pending];
  pending.clear();
  if (!batch.length) return;
  const db = await getDb();
  const now = Date.now();
  for (const [id, error] of batch) {
    const health = breaker.health(id, now);
    if (error) dirty.add(id);
    else dirty.delete(id);
    await db
      .update(credentials)
      .set({
        health,
        consecutiveFailures: breaker.failures(id),
        ...(error
          ? {
              lastError: `${error.status} ${error.code ?? error.type}: ${error.message}`.slice(0, 500),
              lastErrorAt: new Date(now),
            }
          : {}),
        cooldownUntil: breaker.openUntil(id) ? new Date(breaker.openUntil(id)!) : null,
      })
      .where(eq(credentials.id, id))
      .catch((error: unknown) => {
        // Only the admin view reads this; the breaker in memory still routes correctly, and the next outcome rewrites it.
        log.warn("could not store a credential's health", { credential: id, error });
      });
  }
}
