import { describe, expect, it } from "vitest";
import { formatMicro, microToCredits, readableCredits } from "./money";

describe("readableCredits", () => {
  it("prints tiny amounts with two significant digits and no trailing zeros", () => {
    expect(readableCredits(4)).toBe("0.000004");
    expect(readableCredits(42)).toBe("0.000042");
    expect(readableCredits(4_237)).toBe("0.0042");
    expect(readableCredits(150_000)).toBe("0.15");
    expect(readableCredits(75_000)).toBe("0.075");
    expect(readableCredits(0)).toBe("0");
  });

  it("prints a credit and more with at most two decimals and thousands separators", () => {
    expect(readableCredits(1_000_000)).toBe("1");
    expect(readableCredits(12_500_000)).toBe("12.5");
    expect(readableCredits(1_234_567_891)).toBe("1,234.57");
    expect(readableCredits(-2_345_678)).toBe("-2.35");
  });

  it("leaves exact amounts to formatMicro", () => {
    expect(formatMicro(1_234_567_891)).toBe("1234.567891");
  });
});

describe("microToCredits", () => {
  it("is the number formatMicro writes, for small, large and negative amounts", () => {
    const samples = [0, 1, 5, 999_999, 1_000_000, 1_234_567, 123_456_789_012, Number.MAX_SAFE_INTEGER];
    for (let i = 0; i < 20_000; i++) samples.push(Math.floor(Math.random() * 10 ** Math.ceil(Math.random() * 15)));
    for (const micro of samples) {
      expect(microToCredits(micro)).toBe(Number(formatMicro(micro)));
      expect(microToCredits(-micro)).toBe(Number(formatMicro(-micro)));
    }
  });
});
