import { describe, expect, it } from "vitest";
import {
  affordableOutputTokens,
  creditsPerToken,
  imageUnitPrice,
  priceMicro,
  providerCostScaled,
  rateAt,
  toMicroCredits,
  usdToMicroCredits,
  worstCaseMicro,
  type RateCard,
} from "./price-book";

const AT_COST = { creditPriceMicroUsd: 1_000_000, profitMarginBps: 0 };
const rate = (over: Partial<RateCard> = {}): RateCard => ({
  id: "rat_1",
  effectiveFrom: 0,
  inputPerMillion: 150_000, // $0.15 per million
  outputPerMillion: 600_000, // $0.60 per million
  cachedInputPerMillion: null,
  cacheWritePerMillion: null,
  perImage: null,
  imagePrices: null,
  ...over,
});

describe("price book: tokens", () => {
  it("prices input and output at the model's rates ($1 a credit, no margin)", () => {
    // 1,000 × $0.15/M + 500 × $0.60/M = $0.00045 = 450 micro-credits.
    expect(priceMicro(rate(), { inputTokens: 1_000, outputTokens: 500 }, AT_COST)).toBe(450);
    expect(priceMicro(rate(), {}, AT_COST)).toBe(0);
    expect(priceMicro(rate(), { inputTokens: null, outputTokens: null }, AT_COST)).toBe(0);
  });

  it("bills cached input at the cached rate, and at the input rate when the model has none", () => {
    const cached = rate({ cachedInputPerMillion: 75_000 });
    // 400 plain × 0.15 + 600 cached × 0.075 = 60 + 45 micro-USD.
    expect(priceMicro(cached, { inputTokens: 1_000, cachedInputTokens: 600, outputTokens: 0 }, AT_COST)).toBe(105);
    expect(priceMicro(rate(), { inputTokens: 1_000, cachedInputTokens: 600, outputTokens: 0 }, AT_COST)).toBe(150);
  });

  it("bills cache writes and reads separately (Anthropic-style counts, included in inputTokens)", () => {
    const claude = rate({
      inputPerMillion: 3_000_000,
      outputPerMillion: 15_000_000,
      cachedInputPerMillion: 300_000,
      cacheWritePerMillion: 3_750_000,
    });
    // plain 500 × 3 + read 200 × 0.3 + write 300 × 3.75 + output 100 × 15 = 1500 + 60 + 1125 + 1500.
    expect(
      priceMicro(
        claude,
        { inputTokens: 1_000, cachedInputTokens: 200, cacheWriteTokens: 300, outputTokens: 100 },
        AT_COST,
      ),
    ).toBe(4_185);
    // Counts that do not add up never make plain input negative.
    expect(priceMicro(claude, { inputTokens: 10, cachedInputTokens: 200, outputTokens: 0 }, AT_COST)).toBe(60);
  });

  it("applies the profit margin and the base credit price, exactly", () => {
    const usage = { inputTokens: 1_000, outputTokens: 500 }; // 450 micro-USD
    expect(priceMicro(rate(), usage, { creditPriceMicroUsd: 1_000_000, profitMarginBps: 2_000 })).toBe(540);
    // $0.01 a credit: 450 micro-USD = 0.045 credits.
    expect(priceMicro(rate(), usage, { creditPriceMicroUsd: 10_000, profitMarginBps: 0 })).toBe(45_000);
    // $2 a credit with 20 %: 450 × 1.2 / 2.
    expect(priceMicro(rate(), usage, { creditPriceMicroUsd: 2_000_000, profitMarginBps: 2_000 })).toBe(270);
  });

  it("rounds once per call, up to the next micro-credit, and never loses a fraction to floats", () => {
    expect(priceMicro(rate(), { inputTokens: 1 }, AT_COST)).toBe(1); // 0.15 micro-credits
    expect(priceMicro(rate(), { inputTokens: 7 }, AT_COST)).toBe(2); // 1.05
    expect(priceMicro(rate(), { inputTokens: 20 }, AT_COST)).toBe(3); // exactly 3
    // $1/3 a credit: 0.1 + 0.2 style fractions stay exact (3 × 0.15 / (1/3) = 1.35 → 2).
    expect(priceMicro(rate(), { inputTokens: 3 }, { creditPriceMicroUsd: 333_333, profitMarginBps: 0 })).toBe(2);
    expect(toMicroCredits(0n, AT_COST)).toBe(0);
  });

  it("stays exact for very large calls (no intermediate overflow)", () => {
    const dear = rate({ inputPerMillion: 75_000_000, outputPerMillion: 150_000_000 });
    // 10M input × $75/M + 5M output × $150/M = $750 + $750, with 33.33 % margin, at $0.001 a credit.
    const price = priceMicro(
      dear,
      { inputTokens: 10_000_000, outputTokens: 5_000_000 },
      { creditPriceMicroUsd: 1_000, profitMarginBps: 3_333 },
    );
    expect(price).toBe(1_999_950_000_000);
  });
});

describe("price book: images", () => {
  const image = rate({
    inputPerMillion: 0,
    outputPerMillion: 0,
    perImage: 40_000,
    imagePrices: { "1024x1024:hd": 80_000, "1792x1024": 120_000 },
  });

  it("prices images by size and quality, then size, then the per-image price", () => {
    expect(imageUnitPrice(image, "1024x1024", "hd")).toBe(80_000);
    expect(imageUnitPrice(image, "1792x1024", "standard")).toBe(120_000);
    expect(imageUnitPrice(image, "512x512", null)).toBe(40_000);
    expect(imageUnitPrice(rate(), "512x512", null)).toBe(0);
    expect(priceMicro(image, { images: 2, imageSize: "1024x1024", imageQuality: "hd" }, AT_COST)).toBe(160_000);
    expect(priceMicro(image, { images: 3 }, { creditPriceMicroUsd: 1_000_000, profitMarginBps: 1_000 })).toBe(132_000);
  });

  it("adds token charges for token-billed image models", () => {
    const gptImage = rate({ inputPerMillion: 5_000_000, outputPerMillion: 40_000_000, perImage: null });
    // 10 prompt tokens × $5/M + 272 image tokens × $40/M = 50 + 10,880 micro-USD.
    expect(priceMicro(gptImage, { inputTokens: 10, outputTokens: 272, images: 1 }, AT_COST)).toBe(10_930);
  });
});

describe("price book: dated rates", () => {
  const jan = rate({ id: "jan", effectiveFrom: new Date("2025-01-01T00:00:00Z") });
  const june = rate({ id: "june", effectiveFrom: new Date("2025-06-01T00:00:00Z"), inputPerMillion: 300_000 });

  it("uses the newest rate in force at the call's start, whatever the order given", () => {
    expect(rateAt([june, jan], new Date("2025-05-31T23:59:59.999Z"))?.id).toBe("jan");
    expect(rateAt([june, jan], new Date("2025-06-01T00:00:00.000Z"))?.id).toBe("june");
    expect(rateAt([jan, june], Date.parse("2026-01-01"))?.id).toBe("june");
    expect(rateAt([jan, june], Date.parse("2024-12-31"))).toBeNull();
    expect(rateAt([], Date.now())).toBeNull();
  });

  it("a rate change reprices only calls that start after it", () => {
    const usage = { inputTokens: 1_000_000 };
    const before = rateAt([jan, june], Date.parse("2025-05-20"))!;
    const after = rateAt([jan, june], Date.parse("2025-06-02"))!;
    expect(priceMicro(before, usage, AT_COST)).toBe(150_000);
    expect(priceMicro(after, usage, AT_COST)).toBe(300_000);
  });
});

describe("price book: worst case and top-ups", () => {
  it("bounds a call at the dearest input rate (a cache write may cost more than plain input)", () => {
    const claude = rate({
      inputPerMillion: 3_000_000,
      outputPerMillion: 15_000_000,
      cachedInputPerMillion: 300_000,
      cacheWritePerMillion: 3_750_000,
    });
    expect(worstCaseMicro(claude, { inputTokens: 1_000, outputTokens: 100 }, AT_COST)).toBe(3_750 + 1_500);
    expect(worstCaseMicro(rate(), { inputTokens: 1_000, outputTokens: 500 }, AT_COST)).toBe(450);
  });

  it("converts a payment to credits at the base price, rounding down", () => {
    expect(usdToMicroCredits(10_000_000, 10_000)).toBe(1_000_000_000); // $10 at $0.01 a credit = 1,000 credits
    expect(usdToMicroCredits(1, 3)).toBe(333_333);
    expect(usdToMicroCredits(0, 1_000_000)).toBe(0);
  });

  it("lists per-token credit rates exactly, with margin and credit price (AIGNE's model list)", () => {
    expect(creditsPerToken(150_000, AT_COST)).toBe("0.00000015");
    expect(creditsPerToken(150_000, { creditPriceMicroUsd: 10_000, profitMarginBps: 2_000 })).toBe("0.000018");
    expect(creditsPerToken(0, AT_COST)).toBe("0");
    expect(creditsPerToken(1_000_000, { creditPriceMicroUsd: 3_000_000, profitMarginBps: 0 })).toBe(
      "0.000000333333333",
    );
  });
});

describe("price book: the output a balance affords", () => {
  const claude = rate({
    inputPerMillion: 3_000_000,
    outputPerMillion: 15_000_000,
    cachedInputPerMillion: 300_000,
    cacheWritePerMillion: 3_750_000,
  });
  const margin = { creditPriceMicroUsd: 2_000_000, profitMarginBps: 2_500 };

  it.each([5_000, 12_345, 987_654])(
    "is the largest output whose worst case fits a balance of %i (margin, credit price)",
    (balance) => {
      const bound = { inputTokens: 700, outputTokens: 0 };
      const k = affordableOutputTokens(claude, bound, margin, balance);
      expect(worstCaseMicro(claude, { ...bound, outputTokens: k }, margin)).toBeLessThanOrEqual(balance);
      expect(worstCaseMicro(claude, { ...bound, outputTokens: k + 1 }, margin)).toBeGreaterThan(balance);
    },
  );

  it("is 0 when the input alone does not fit, and unbounded when output is free", () => {
    expect(affordableOutputTokens(claude, { inputTokens: 1_000_000, outputTokens: 0 }, AT_COST, 10)).toBe(0);
    const free = rate({ outputPerMillion: 0 });
    expect(affordableOutputTokens(free, { inputTokens: 10, outputTokens: 0 }, AT_COST, 10)).toBe(
      Number.MAX_SAFE_INTEGER,
    );
  });
});

describe("price book: plain numbers and BigInt agree", () => {
  // A fixed generator, so a failure repeats: mulberry32.
  let seed = 0x5eed;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // Magnitudes from none to far past what plain numbers hold exactly, so both ways are taken.
  const any = (digits: number) => Math.floor(random() * 10 ** Math.floor(random() * digits));
  type Usage = Parameters<typeof priceMicro>[1];
  /** The price, or "refused" when it throws. */
  const outcome = (price: () => number) => {
    try {
      return price();
    } catch {
      return "refused";
    }
  };
  const same = (r: RateCard, usage: Usage, settings: typeof AT_COST) => {
    const big = outcome(() => toMicroCredits(providerCostScaled(r, usage), settings));
    expect(
      outcome(() => priceMicro(r, usage, settings)),
      JSON.stringify({ r, usage, settings, big }),
    ).toBe(big);
    return big;
  };

  it("on random usage, rates and settings, small and huge", () => {
    const outcomes = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const r = rate({
        inputPerMillion: any(12),
        outputPerMillion: any(12),
        cachedInputPerMillion: random() < 0.5 ? null : any(12),
        cacheWritePerMillion: random() < 0.5 ? null : any(12),
        perImage: random() < 0.5 ? null : any(9),
      });
      const usage = {
        inputTokens: any(9),
        outputTokens: any(9),
        cachedInputTokens: random() < 0.5 ? null : any(8),
        cacheWriteTokens: random() < 0.5 ? undefined : any(8),
        images: random() < 0.8 ? 0 : any(3),
      };
      const settings = { creditPriceMicroUsd: 1 + any(9), profitMarginBps: any(5) };
      outcomes.add(typeof same(r, usage, settings));
    }
    // Both kinds of answer were met: prices and refusals (past 2^53 micro-credits).
    expect([...outcomes].sort()).toEqual(["number", "string"]);
  });

  it("at the edge of exact numbers, and with fractions truncated as BigInt does", () => {
    const edge = rate({ inputPerMillion: 2 ** 26, outputPerMillion: 3 });
    const usages = [
      { inputTokens: 2 ** 26, outputTokens: 1 },
      { inputTokens: 2 ** 27 + 1, outputTokens: 7 },
      { inputTokens: 10.9, outputTokens: 2.5, cachedInputTokens: 3.7 },
    ];
    for (const usage of usages)
      for (const settings of [
        AT_COST,
        { creditPriceMicroUsd: 3, profitMarginBps: 2_000 },
        { creditPriceMicroUsd: 0.5, profitMarginBps: 1.5 },
      ])
        same(edge, usage, settings);
  });

  it("refuses what BigInt refuses", () => {
    expect(() => priceMicro(rate(), { inputTokens: Number.NaN, outputTokens: 1 }, AT_COST)).toThrow();
    expect(() => priceMicro(rate({ perImage: Number.NaN }), { images: 1 }, AT_COST)).toThrow();
    expect(() => priceMicro(rate(), { inputTokens: 1 }, { ...AT_COST, profitMarginBps: Infinity })).toThrow();
  });
});
