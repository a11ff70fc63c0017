import { hash, randomBytes, randomFillSync, timingSafeEqual } from "node:crypto";

/** SHA-256 hex: how access keys, setup tokens and device codes are stored. */
export function sha256Hex(value: string): string {
  // The one-shot form: no Hash object per call (every API call hashes its key).
  return hash("sha256", value, "hex");
}

/** URL-safe random token with `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

const ID_ALPHABET = Buffer.from("0123456789abcdefghjkmnpqrstvwxyz", "latin1"); // Crockford base32, lower case

// Ids are made on the hot path (one per call): draw their randomness from a pool, refilled 4 KiB at a time.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;
const randomChars = Buffer.alloc(16);

/** Sortable-enough random ids: a prefix, the time in base32, then 16 random base32 digits (80 bits). */
export function newId(prefix: string): string {
  const time = Date.now().toString(32).padStart(9, "0");
  if (poolOffset + 16 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  // Written as bytes and read out as one string, rather than joined from sixteen one-character pieces.
  for (let i = 0; i < 16; i++) randomChars[i] = ID_ALPHABET[pool[poolOffset++]! & 31]!;
  return `${prefix}_${time}${randomChars.toString("latin1")}`;
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
