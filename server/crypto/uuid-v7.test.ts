import { describe, expect, it } from "vitest";
import { uuidV7 } from "./uuid-v7";

describe("uuidV7", () => {
  it("is a version 7, variant 10 UUID carrying the time in its first 48 bits", () => {
    const at = Date.UTC(2026, 11, 5, 6, 30, 0, 123);
    const id = uuidV7(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, "").slice(0, 12), 16)).toBe(at);
  });

  it("sorts by time and does not repeat", () => {
    const ids: string[] = [];
    for (let ms = 0; ms < 1000; ms++) for (let i = 0; i < 100; i++) ids.push(uuidV7(1_700_000_000_000 + ms));
    expect(new Set(ids).size).toBe(ids.length);
    const times = ids.map((id) => id.slice(0, 13));
    expect([...times].sort()).toEqual(times);
  });

  it("uses every random bit position (no stuck bits across many ids)", () => {
    let or = 0n;
    let and = (1n << 74n) - 1n;
    for (let i = 0; i < 2000; i++) {
      const hex = uuidV7(0).replace(/-/g, "");
      const bits = BigInt(`0x${hex}`);
      const random = (((bits >> 64n) & 0xfffn) << 62n) | (bits & ((1n << 62n) - 1n));
      or |= random;
      and &= random;
    }
    expect(or).toBe((1n << 74n) - 1n);
    expect(and).toBe(0n);
  });
});
