/**
 * The response cache (Settings → "Cache identical responses"): a non-streaming chat completion or embedding whose
 * request body is byte-for-byte the same as an earlier one from the same person, to the same endpoint, within
 * TTL_MS, is answered from the cache without asking a provider.
 *
 * - Per person: the key includes the user id, so nobody ever receives an answer computed for someone else.
 * - Nothing is charged for a hit and no provider tokens are counted: the call is recorded with usage source
 *   "cache" and zero tokens, and the answer carries the original `usage` so clients see what it represents.
 * - `Cache-Control: no-cache` on the request skips the lookup; `no-store` also keeps the answer out of the cache.
 * - Stored in Redis when REDIS_URL is set (shared by every instance), else in this process, bounded in bytes.
 */
import { createHash } from "node:crypto";
import { getRedis } from "../cache/redis.server";
import { rawBodyOf } from "../http/raw-body";
import { log } from "../log.server";
import { freshSettings, getSettings } from "../settings/settings.server";
import { finishCall, overheadMs, type CallContext } from "./call-context.server";

const TTL_MS = 60 * 60_000;
const MAX_ENTRY_BYTES = 1024 * 1024;
const MAX_MEMORY_BYTES = 64 * 1024 * 1024;

interface CachedAnswer {
  body: unknown;
  providerName: string | null;
  model: string | null;
  storedAt: number;
}

/** Insertion-ordered map as an LRU: a hit moves its entry to the end, eviction takes from the front. */
class MemoryStore {
  private entries = new Map<string, { value: string; expiresAt: number }>();
  private bytes = 0;

  get(key: string, now: number): string | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    this.entries.delete(key);
    if (entry.expiresAt <= now) {
      this.bytes -= entry.value.length;
      return null;
    }
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: string, expiresAt: number): void {
    const old = this.entries.get(key);
    if (old) this.bytes -= old.value.length;
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt });
    this.bytes += value.length;
    for (const [k, e] of this.entries) {
      if (this.bytes <= MAX_MEMORY_BYTES) break;
      this.entries.delete(k);
      this.bytes -= e.value.length;
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}

const memory = new MemoryStore();

/** A cache that cannot be read or written (Redis down) costs a provider call, never the caller's answer. */
function cacheFailed(what: "read" | "write") {
  return (error: unknown): null => {
    log.warn(`response cache ${what} failed; the call goes to the provider as if uncached`, { error });
    return null;
  };
}

async function read(key: string): Promise<string | null> {
  const redis = getRedis();
  return redis ? redis.get(`ai-hub:rc:${key}`) : memory.get(key, Date.now());
}

async function write(key: string, value: string): Promise<void> {
  const redis = getRedis();
  if (redis) await redis.set(`ai-hub:rc:${key}`, value, "PX", TTL_MS);
  else memory.set(key, value, Date.now() + TTL_MS);
}

function cacheControl(ctx: CallContext): { lookup: boolean; store: boolean } {
  const header = ctx.request.headers.get("cache-control")?.toLowerCase() ?? "";
  const noStore = header.includes("no-store");
  return { lookup: !noStore && !header.includes("no-cache"), store: !noStore };
}

/** Null when the body bytes are not at hand (a request that did not come through the hub's listener). */
function keyFor(ctx: CallContext): string | null {
  const body = rawBodyOf(ctx.request);
  if (!body) return null;
  return createHash("sha256")
    .update(ctx.principal.userId)
    .update("\0")
    .update(ctx.type)
    .update("\0")
    .update(body)
    .digest("hex");
}

/**
 * Answers the call from the cache when the cache is on and holds this request: records it as a cache hit and
 * returns the response. Otherwise null, and the call goes to a provider. With the cache off (and the settings
 * fresh in memory) the null comes without a promise: this runs on every call.
 */
export function answerFromCache(ctx: CallContext): Promise<Response | null> | null {
  return freshSettings()?.responseCacheEnabled === false ? null : lookUp(ctx);
}

async function lookUp(ctx: CallContext): Promise<Response | null> {
  if (!(await getSettings()).responseCacheEnabled || !cacheControl(ctx).lookup) return null;
  const key = keyFor(ctx);
  const text = key ? await read(key).catch(cacheFailed("read")) : null;
  if (!text) return null;
  const cached = JSON.parse(text) as CachedAnswer;
  await finishCall(
    ctx,
    {
      providerName: cached.providerName,
      model: cached.model,
      inputTokens: 0,
      outputTokens: 0,
      usageSource: "cache",
      attempts: 0,
      status: "success",
      httpStatus: 200,
    },
    () => cached.body,
  );
  const age = Math.max(0, Math.floor((Date.now() - cached.storedAt) / 1000));
  // The stored answer's usage says what it represents; what this call cost is nothing.
  const body = cached.body as { usage?: Record<string, unknown> };
  const answer = body.usage ? { ...body, usage: { ...body.usage, cost: 0 } } : body;
  return Response.json(answer, {
    headers: { "x-hub-cache": "hit", age: String(age), "x-hub-overhead-ms": overheadMs(ctx) },
  });
}

/**
 * Keeps a successful answer for the next identical request (when the cache is on and the client allows it); like
 * answerFromCache, no promise when the cache is off.
 */
export function rememberAnswer(
  ctx: CallContext,
  body: unknown,
  from: { providerName?: string | null; model?: string | null },
): Promise<void> | undefined {
  return freshSettings()?.responseCacheEnabled === false ? undefined : store(ctx, body, from);
}

async function store(
  ctx: CallContext,
  body: unknown,
  from: { providerName?: string | null; model?: string | null },
): Promise<void> {
  if (!(await getSettings()).responseCacheEnabled || !cacheControl(ctx).store) return;
  const value = JSON.stringify({
    body,
    providerName: from.providerName ?? null,
    model: from.model ?? null,
    storedAt: Date.now(),
  } satisfies CachedAnswer);
  const key = keyFor(ctx);
  if (!key || value.length > MAX_ENTRY_BYTES) return;
  await write(key, value).catch(cacheFailed("write"));
}

/** Tests: start from an empty in-process cache. */
export function clearResponseCache(): void {
  memory.clear();
}
