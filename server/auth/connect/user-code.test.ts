import { describe, expect, it } from "vitest";
import { generateUserCode, normalizeUserCode, USER_CODE_ALPHABET } from "./user-code";

describe("RFC 8628 user codes", () => {
  it("are 8 consonants shown as XXXX-XXXX", () => {
    for (let i = 0; i < 200; i++) {
      const code = generateUserCode();
      expect(code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
      expect([...code.replace("-", "")].every((c) => USER_CODE_ALPHABET.includes(c))).toBe(true);
    }
  });

  it("accept what people type: case, spaces and a missing hyphen", () => {
    expect(normalizeUserCode("wdjb-mjht")).toBe("WDJB-MJHT");
    expect(normalizeUserCode(" WDJB MJHT ")).toBe("WDJB-MJHT");
    expect(normalizeUserCode("wdjbmjht")).toBe("WDJB-MJHT");
  });

  it("refuse what cannot be a code", () => {
    expect(normalizeUserCode("WDJB-MJH")).toBeNull();
    expect(normalizeUserCode("AEIO-UWDJ")).toBeNull(); // vowels are never issued
    expect(normalizeUserCode("")).toBeNull();
  });
});
