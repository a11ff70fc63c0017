import { describe, expect, it } from "vitest";
import { newId, sha256Hex } from "./tokens";

describe("newId", () => {
  it("is the prefix, the time in base32 and 16 random Crockford digits, never repeated", () => {
    const ids = Array.from({ length: 10_000 }, () => newId("call"));
    for (const id of ids.slice(0, 100)) expect(id).toMatch(/^call_[0-9a-v]{9}[0-9a-hjkmnp-tv-z]{16}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // Every digit of the alphabet turns up in the random part.
    expect(new Set(ids.flatMap((id) => [...id.slice(-16)])).size).toBe(32);
  });
});

describe("sha256Hex", () => {
  it("is the SHA-256 of the text in hex", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
