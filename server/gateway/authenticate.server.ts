/**
 * API authentication: `Authorization: Bearer <access key>` → the principal the call runs as. Keys are looked up
 * by SHA-256 and cached briefly; revoking a key or disabling a user publishes "access-keys", which empties the
 * cache at once in this process and, through Redis when REDIS_URL is set, in every other instance (without
 * Redis, other instances drop their entries within CACHE_MS).
 */
import { eq } from "drizzle-orm";
import { accessKeys, users, type KeyLimits } from "../../drizzle/schema";
import { subscribe } from "../cache/invalidation.server";
import { sha256Hex } from "../crypto/tokens";
import { getDb } from "../db/client.server";
import { HubError } from "../errors";
import { noteAuthFailure } from "../governance/auth-throttle.server";

const CACHE_MS = 5_000;
const LAST_USED_EVERY_MS = 60_000;

export interface Principal {
  userId: string;
  role: "owner" | "admin" | "member";
  email: string;
  keyId: string | null;
  appName: string | null;
  allowedModels: string[] | null;
  limits: KeyLimits | null;
}

interface Cached {
  principal: Principal | null;
  reason: string;
  expiresAt: number | null;
  cachedAt: number;
}

const cache = new Map<string, Cached>();
/**
 * Failed lookups apart, with a smaller bound: a flood of random wrong keys then cannot push the valid keys out of
 * `cache` (each eviction would cost their owners a database lookup).
 */
const misses = new Map<string, Cached>();
const MAX_CACHED = 10_000;
const MAX_MISSES = 1_000;
const lastUsedWritten = new Map<string, number>();
subscribe("access-keys", () => {
  cache.clear();
  misses.clear();
});

export function bearer(request: Request): string | null {
  const header = request.headers.get("authorization");
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}

async function lookup(hash: string): Promise<Cached> {
  const db = await getDb();
  const [row] = await db
    .select({ key: accessKeys, user: { id: users.id, role: users.role, email: users.email, status: users.status } })
    .from(accessKeys)
    .innerJoin(users, eq(users.id, accessKeys.userId))
    .where(eq(accessKeys.keyHash, hash))
    .limit(1);
  const now = Date.now();
  if (!row) return { principal: null, reason: "Incorrect API key provided.", expiresAt: null, cachedAt: now };
  if (row.key.status !== "active")
    return { principal: null, reason: "This API key has been revoked.", expiresAt: null, cachedAt: now };
  if (row.user.status !== "active")
    return {
      principal: null,
      reason: "The account that owns this API key is disabled.",
      expiresAt: null,
      cachedAt: now,
    };
  return {
    principal: {
      userId: row.user.id,
      role: row.user.role,
      email: row.user.email,
      keyId: row.key.id,
      appName: row.key.appName,
      allowedModels: row.key.allowedModels,
      limits: row.key.limits,
    },
    reason: "",
    expiresAt: row.key.expiresAt?.getTime() ?? null,
    cachedAt: now,
  };
}

const MISSING_KEY =
  "You didn't provide an API key. Send it in the Authorization header: 'Authorization: Bearer hub-sk-...'.";

/**
 * The caller of an API request; throws HubError 401 with an OpenAI-style message otherwise, or 429 once the
 * client's address has failed too often (server/governance/auth-throttle.server.ts).
 */
export function authenticate(request: Request): Promise<Principal> {
  return authenticateKey(request, bearer(request));
}

/**
 * The principal of an access key, wherever the request carried it (Anthropic's clients may send `x-api-key`);
 * `missingMessage` says where to put it when there is none. A failure counts against the client's address.
 */
export async function authenticateKey(
  request: Request,
  key: string | null,
  missingMessage = MISSING_KEY,
): Promise<Principal> {
  try {
    return await principalOf(key, missingMessage);
  } catch (error) {
    if (error instanceof HubError && error.kind === "unauthorized") await noteAuthFailure(request);
    throw error;
  }
}

/**
 * The principal of a key whose lookup is cached and fresh, when that key may call: what authenticate would return
 * without waiting. Undefined in every other case (not cached, stale, refused, expired), where authenticate decides
 * and reports as always.
 */
export function cachedPrincipal(key: string | null): Principal | undefined {
  if (!key) return undefined;
  const now = Date.now();
  const entry = freshEntry(sha256Hex(key), now);
  if (!entry?.principal || (entry.expiresAt !== null && entry.expiresAt <= now)) return undefined;
  touchLastUsed(entry.principal.keyId!, now);
  return entry.principal;
}

function freshEntry(hash: string, now: number): Cached | undefined {
  const entry = cache.get(hash) ?? misses.get(hash);
  return entry && now - entry.cachedAt <= CACHE_MS ? entry : undefined;
}

async function principalOf(key: string | null, missingMessage: string): Promise<Principal> {
  if (!key) throw new HubError("unauthorized", missingMessage, null, { code: "missing_api_key" });
  const hash = sha256Hex(key);
  const now = Date.now();
  let entry = freshEntry(hash, now);
  if (!entry) {
    entry = await lookup(hash);
    const into = entry.principal ? cache : misses;
    if (into.size >= (entry.principal ? MAX_CACHED : MAX_MISSES)) into.clear();
    (entry.principal ? misses : cache).delete(hash);
    into.set(hash, entry);
  }
  if (!entry.principal) throw new HubError("unauthorized", entry.reason);
  if (entry.expiresAt !== null && entry.expiresAt <= now)
    throw new HubError("unauthorized", "This API key has expired.", null, { code: "expired_api_key" });
  touchLastUsed(entry.principal.keyId!, now);
  return entry.principal;
}

/** last_used_at is informative: written at most once a minute per key, never awaited by the request. */
function touchLastUsed(keyId: string, now: number): void {
  const last = lastUsedWritten.get(keyId) ?? 0;
  if (now - last < LAST_USED_EVERY_MS) return;
  lastUsedWritten.set(keyId, now);
  void getDb()
    .then((db) =>
      db
        .update(accessKeys)
        .set({ lastUsedAt: new Date(now) })
        .where(eq(accessKeys.id, keyId)),
    )
    .catch(() => lastUsedWritten.delete(keyId));
}

/** How many lookups are cached (tests prove the bounds hold under a flood of wrong keys). */
export function authCacheSizes(): { valid: number; failed: number } {
  return { valid: cache.size, failed: misses.size };
}
