/**
 * UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. The hub's request ids are these
 * rather than version 4 because they are indexed on every call record (`model_calls.request_id`): ids that grow
 * with time append to the index's last page, where random ones land on a different page each, so a commit of
 * many calls wrote one index page per call (docs/decisions/018-per-call-cost.md).
 */
import { randomFillSync } from "node:crypto";

const DIGITS = Buffer.from("0123456789abcdef", "latin1");
// Random bytes drawn in bulk: one randomFillSync per 512 ids instead of one per id.
const pool = Buffer.alloc(10 * 512);
let offset = pool.length;
// The id's characters are written here and read out as one string: one per call, made whole at once rather
// than joined from a dozen pieces.
const chars = Buffer.alloc(36, "-", "latin1");

function putByte(at: number, byte: number): void {
  chars[at] = DIGITS[byte >> 4]!;
  chars[at + 1] = DIGITS[byte & 0x0f]!;
}

export function uuidV7(now = Date.now()): string {
  if (offset + 10 > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const r = offset;
  offset += 10;
  // The 48-bit time in the first 12 hex digits (characters 0-7 and 9-12), lowest first; past 2^32 only
  // arithmetic, not bit operations, keeps every bit.
  let time = now;
  for (let digit = 11; digit >= 0; digit--) {
    chars[digit < 8 ? digit : digit + 1] = DIGITS[time % 16]!;
    time = Math.floor(time / 16);
  }
  // Version 7 in the high nibble of byte 6, variant 0b10 in the top bits of byte 8.
  chars[14] = DIGITS[7]!;
  chars[15] = DIGITS[pool[r]! & 0x0f]!;
  putByte(16, pool[r + 1]!);
  putByte(19, 0x80 | (pool[r + 2]! & 0x3f));
  putByte(21, pool[r + 3]!);
  for (let i = 4; i < 10; i++) putByte(24 + 2 * (i - 4), pool[r + i]!);
  return chars.toString("latin1", 0, 36);
}
