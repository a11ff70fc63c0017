/**
 * Rate-limit counters: a sliding window (two fixed windows, weighted: the method Cloudflare and NGINX's
 * limit_req use, exact enough and O(1)) for requests and tokens per minute, and a lease counter for
 * concurrent requests. In memory for one process; in Redis when REDIS_URL is set, so limits hold across
 * instances (each check is one Lua script: atomic, one round trip).
 */
import type { Redis } from "ioredis";
import { getRedis } from "../cache/redis.server";

export interface WindowResult {
  allowed: boolean;
  /** How long until a request of this cost would fit (0 when allowed). */
  retryAfterMs: number;
  /** The weighted count after this request (or as it stands, when refused). */
  count: number;
}

export interface RateLimitStore {
  /** Count `cost` against `limit` per `windowMs`; a refused hit is not counted. */
  hit(key: string, limit: number, windowMs: number, cost: number, now: number): Promise<WindowResult>;
  /** Add usage after the fact (tokens known only at the end of a call): never refused. */
  add(key: string, windowMs: number, cost: number, now: number): Promise<void>;
  /** Take one of `limit` concurrent slots for up to ttlMs; null when all are taken. Returns the release. */
  acquire(key: string, limit: number, ttlMs: number, now: number): Promise<(() => Promise<void>) | null>;
}

/** The weighted count: this window's hits plus the previous window's, scaled by how much of it still overlaps. */
export function slidingCount(current: number, previous: number, windowMs: number, now: number): number {
  const elapsed = now % windowMs;
  return current + previous * ((windowMs - elapsed) / windowMs);
}

/** Time until `cost` more fits, assuming no new hits: the previous window's weight decays linearly. */
export function retryAfter(
  current: number,
  previous: number,
  limit: number,
  cost: number,
  windowMs: number,
  now: number,
): number {
  const elapsed = now % windowMs;
  const untilNext = windowMs - elapsed;
  if (current + cost > limit) {
    // Even with the previous window gone this window is full: wait for the next one, then its decay.
    const needed = Math.min(1, Math.max(0, 1 - (limit - cost) / Math.max(current, 1)));
    return untilNext + Math.ceil(needed * windowMs);
  }
  if (previous <= 0) return 0;
  // Solve current + previous * (1 - t/window) + cost <= limit for t (time into this window).
  const t = windowMs * (1 - (limit - current - cost) / previous);
  return Math.max(0, Math.ceil(t - elapsed));
}

export class MemoryRateLimitStore implements RateLimitStore {
  private windows = new Map<string, { start: number; current: number; previous: number }>();
  private slots = new Map<string, Map<number, number>>();
  private nextSlot = 1;

  /** `maxKeys` bounds the counters held: per address, key or user, a flood of new ones cannot grow memory past it. */
  constructor(private readonly maxKeys = 100_000) {}

  private roll(key: string, windowMs: number, now: number) {
    const start = now - (now % windowMs);
    let w = this.windows.get(key);
    if (!w) {
      w = { start, current: 0, previous: 0 };
      this.windows.set(key, w);
    } else if (w.start !== start) {
      w.previous = w.start === start - windowMs ? w.current : 0;
      w.current = 0;
      w.start = start;
    }
    if (this.windows.size > this.maxKeys) this.sweep(now, windowMs);
    return w;
  }

  /**
   * Old windows go first; if a flood of new keys (addresses) still leaves too many, the oldest-created go too. A
   * counter dropped that way forgets at most one window of hits: the price of bounded memory under such a flood.
   */
  private sweep(now: number, windowMs: number): void {
    for (const [k, w] of this.windows) if (now - w.start > 2 * windowMs) this.windows.delete(k);
    const target = Math.floor(this.maxKeys * 0.9);
    for (const k of this.windows.keys()) {
      if (this.windows.size <= target) break;
      this.windows.delete(k);
    }
  }

  /** Counters held (tests prove the bound). */
  size(): number {
    return this.windows.size + this.slots.size;
  }

  async hit(key: string, limit: number, windowMs: number, cost: number, now: number): Promise<WindowResult> {
    const w = this.roll(key, windowMs, now);
    const count = slidingCount(w.current, w.previous, windowMs, now);
    if (count + cost > limit)
      return { allowed: false, retryAfterMs: retryAfter(w.current, w.previous, limit, cost, windowMs, now), count };
    w.current += cost;
    return { allowed: true, retryAfterMs: 0, count: count + cost };
  }

  async add(key: string, windowMs: number, cost: number, now: number): Promise<void> {
    this.roll(key, windowMs, now).current += cost;
  }

  async acquire(key: string, limit: number, ttlMs: number, now: number): Promise<(() => Promise<void>) | null> {
    let held = this.slots.get(key);
    if (!held) this.slots.set(key, (held = new Map()));
    for (const [id, expires] of held) if (expires <= now) held.delete(id);
    if (held.size >= limit) return null;
    const id = this.nextSlot++;
    held.set(id, now + ttlMs);
    return async () => {
      held.delete(id);
      if (held.size === 0 && this.slots.get(key) === held) this.slots.delete(key);
    };
  }
}

// KEYS[1] current window, KEYS[2] previous window; ARGV: limit, windowMs, cost, elapsed. Returns {allowed, current, previous}.
const HIT_SCRIPT = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
local limit, window, cost, elapsed = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local weighted = current + previous * ((window - elapsed) / window)
if weighted + cost > limit then return {0, current, previous} end
redis.call('INCRBY', KEYS[1], cost)
redis.call('PEXPIRE', KEYS[1], window * 2)
return {1, current + cost, previous}`;

// KEYS[1] a sorted set of slot ids scored by expiry; ARGV: limit, now, expiry, id. Returns 1 when taken.
const ACQUIRE_SCRIPT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) - tonumber(ARGV[2]))
return 1`;

export class RedisRateLimitStore implements RateLimitStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = "ai-hub:rl:",
  ) {}

  private keys(key: string, windowMs: number, now: number): [string, string] {
    const index = Math.floor(now / windowMs);
    return [`${this.prefix}${key}:${index}`, `${this.prefix}${key}:${index - 1}`];
  }

  async hit(key: string, limit: number, windowMs: number, cost: number, now: number): Promise<WindowResult> {
    const [cur, prev] = this.keys(key, windowMs, now);
    const [ok, current, previous] = (await this.redis.eval(
      HIT_SCRIPT,
      2,
      cur,
      prev,
      limit,
      windowMs,
      cost,
      now % windowMs,
    )) as [number, number, number];
    const count = slidingCount(Number(current), Number(previous), windowMs, now);
    if (ok === 1) return { allowed: true, retryAfterMs: 0, count };
    return {
      allowed: false,
      retryAfterMs: retryAfter(Number(current), Number(previous), limit, cost, windowMs, now),
      count,
    };
  }

  async add(key: string, windowMs: number, cost: number, now: number): Promise<void> {
    const [cur] = this.keys(key, windowMs, now);
    await this.redis
      .multi()
      .incrby(cur, cost)
      .pexpire(cur, windowMs * 2)
      .exec();
  }

  async acquire(key: string, limit: number, ttlMs: number, now: number): Promise<(() => Promise<void>) | null> {
    const set = `${this.prefix}slots:${key}`;
    const id = `${now}:${Math.random().toString(36).slice(2)}`;
    const taken = (await this.redis.eval(ACQUIRE_SCRIPT, 1, set, limit, now, now + ttlMs, id)) as number;
    if (taken !== 1) return null;
    return async () => {
      await this.redis.zrem(set, id);
    };
  }
}

let store: RateLimitStore | undefined;

/** Redis when REDIS_URL is set (limits hold across instances), else this process's memory. */
export function getRateLimitStore(): RateLimitStore {
  if (!store) {
    const redis = getRedis();
    store = redis ? new RedisRateLimitStore(redis) : new MemoryRateLimitStore();
  }
  return store;
}
