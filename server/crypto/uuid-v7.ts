/**
 * UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. The hub's request ids are these
 * rather than version 4 because they are indexed on every call record (`model_calls.request_id`): ids that grow
 * with time append to the index's last page, where random ones land on a different page each, so a commit of
 * many calls wrote one index page per call (docs/decisions/018-per-call-cost.md).
 */
import { randomFillSync } from "node:crypto";

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
// Random bytes drawn in bulk: one randomFillSync per 512 ids instead of one per id.
const pool = Buffer.alloc(10 * 512);
let offset = pool.length;

export function uuidV7(now = Date.now()): string {
  if (offset + 10 > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const r = offset;
  offset += 10;
  const time = now.toString(16).padStart(12, "0").slice(-12);
  const h = (i: number) => HEX[pool[r + i]!]!;
  // Version 7 in the high nibble of byte 6, variant 0b10 in the top bits of byte 8.
  const version = (0x70 | (pool[r]! & 0x0f)).toString(16);
  const variant = HEX[0x80 | (pool[r + 2]! & 0x3f)]!;
  return `${time.slice(0, 8)}-${time.slice(8)}-${version}${h(1)}-${variant}${h(3)}-${h(4)}${h(5)}${h(6)}${h(7)}${h(8)}${h(9)}`;
}
