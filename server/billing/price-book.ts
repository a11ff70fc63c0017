/**
 * The price book: what a call costs in micro-credits. Pure integer math (BigInt inside, so no float ever drifts and
 * no product overflows): the model's rate in force at the call's start × its tokens (uncached input, cached input,
 * cache writes, output) and images, × (1 + profit margin), ÷ the base credit price, rounded up once per call to a
 * whole micro-credit (docs/decisions/004-credit-billing.md).
 *
 * Units: token rates are micro-USD per million tokens, image prices micro-USD per image, the credit price
 * micro-USD per credit, the margin basis points. So
 *   micro-credits = ceil( Σ(tokens × ratePerMillion) + Σ(images × perImage × 10^6) ) × (10^4 + bps) / (10^4 × creditPrice) ).
 */

export interface RateCard {
  id: string;
  effectiveFrom: Date | number;
  inputPerMillion: number;
  outputPerMillion: number;
  /** null: cached input is billed at the input rate. */
  cachedInputPerMillion: number | null;
  /** null: cache writes are billed at the input rate. */
  cacheWritePerMillion: number | null;
  perImage: number | null;
  /** Per image by "<size>:<quality>" (or "<size>"), overriding perImage. */
  imagePrices: Record<string, number> | null;
}

export interface PriceSettings {
  /** Micro-USD one credit costs. */
  creditPriceMicroUsd: number;
  /** Basis points added on top of the provider's price (2000 = 20 %). */
  profitMarginBps: number;
}

export interface BillableUsage {
  /** All input tokens, cached reads and cache writes included (the gateway's TokenUsage convention). */
  inputTokens?: number | null;
  outputTokens?: number | null;
  cachedInputTokens?: number | null;
  cacheWriteTokens?: number | null;
  images?: number | null;
  imageSize?: string | null;
  imageQuality?: string | null;
}

const MILLION = 1_000_000n;
const BPS = 10_000n;

const time = (d: Date | number) => (typeof d === "number" ? d : d.getTime());
const big = (n: number | null | undefined) => BigInt(Math.max(0, Math.trunc(n ?? 0)));

/** The rate in force at `at`: the newest with effectiveFrom <= at (a rate change never reprices past calls). */
export function rateAt<R extends RateCard>(rates: readonly R[], at: Date | number): R | null {
  const t = time(at);
  let best: R | null = null;
  for (const r of rates) {
    if (time(r.effectiveFrom) <= t && (!best || time(r.effectiveFrom) >= time(best.effectiveFrom))) best = r;
  }
  return best;
}

/** Micro-USD per image for this size and quality: the most specific image price, else perImage, else 0. */
export function imageUnitPrice(rate: RateCard, size?: string | null, quality?: string | null): number {
  const prices = rate.imagePrices ?? {};
  const s = size ?? "";
  const q = quality ?? "";
  return prices[`${s}:${q}`] ?? prices[s] ?? prices[`*:${q}`] ?? rate.perImage ?? 0;
}

/** The provider's price of the usage in micro-USD × 10^6 (exact). */
export function providerCostScaled(rate: RateCard, usage: BillableUsage): bigint {
  const input = big(usage.inputTokens);
  const cached = big(usage.cachedInputTokens);
  const written = big(usage.cacheWriteTokens);
  // Cached reads and writes are part of inputTokens; what is left is ordinary input (never below zero).
  const plain = input > cached + written ? input - cached - written : 0n;
  const inputRate = big(rate.inputPerMillion);
  const cachedRate = rate.cachedInputPerMillion === null ? inputRate : big(rate.cachedInputPerMillion);
  const writeRate = rate.cacheWritePerMillion === null ? inputRate : big(rate.cacheWritePerMillion);
  const tokens =
    plain * inputRate +
    cached * cachedRate +
    written * writeRate +
    big(usage.outputTokens) * big(rate.outputPerMillion);
  const count = big(usage.images);
  const images = count > 0n ? count * big(imageUnitPrice(rate, usage.imageSize, usage.imageQuality)) * MILLION : 0n;
  return tokens + images;
}

/** micro-USD × 10^6 → micro-credits with the margin, rounded up. */
export function toMicroCredits(scaledUsd: bigint, settings: PriceSettings): number {
  if (scaledUsd <= 0n) return 0;
  const num = scaledUsd * (BPS + big(settings.profitMarginBps));
  const den = BPS * BigInt(Math.max(1, Math.trunc(settings.creditPriceMicroUsd)));
  const micro = (num + den - 1n) / den;
  if (micro > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError("price out of range");
  return Number(micro);
}

/** What the usage costs in micro-credits at this rate. */
export function priceMicro(rate: RateCard, usage: BillableUsage, settings: PriceSettings): number {
  return smallPriceMicro(rate, usage, settings) ?? toMicroCredits(providerCostScaled(rate, usage), settings);
}

const whole = (n: number | null | undefined) => Math.max(0, Math.trunc(n ?? 0));

/**
 * The same price in plain numbers, when every value on the way stays an exact integer (at most 2^53 - 1), which is
 * every ordinary call; null otherwise, and the BigInt way above prices it. Each BigInt step allocates: this is
 * several microseconds less on every call's path (docs/decisions/023-the-answer-path.md). Exactness: all terms are
 * non-negative integers, so a sum within the limit means every product in it was exact; and a quotient of
 * integers whose numerator plus denominator stays within the limit rounds down exactly.
 */
function smallPriceMicro(rate: RateCard, usage: BillableUsage, settings: PriceSettings): number | null {
  const input = whole(usage.inputTokens);
  const cached = whole(usage.cachedInputTokens);
  const written = whole(usage.cacheWriteTokens);
  const plain = input > cached + written ? input - cached - written : 0;
  const inputRate = whole(rate.inputPerMillion);
  const cachedRate = rate.cachedInputPerMillion === null ? inputRate : whole(rate.cachedInputPerMillion);
  const writeRate = rate.cacheWritePerMillion === null ? inputRate : whole(rate.cacheWritePerMillion);
  const output = whole(usage.outputTokens);
  const outputRate = whole(rate.outputPerMillion);
  const images = whole(usage.images);
  const imageRate = images > 0 ? whole(imageUnitPrice(rate, usage.imageSize, usage.imageQuality)) : 0;
  const margin = whole(settings.profitMarginBps);
  const creditPrice = Math.max(1, Math.trunc(settings.creditPriceMicroUsd));
  // Anything not a finite number (BigInt refuses it) goes the BigInt way, which throws as it always did.
  const all = input + cached + written + inputRate + cachedRate + writeRate + output + outputRate + images + imageRate;
  if (!Number.isFinite(all + margin + creditPrice)) return null;
  const scaled =
    plain * inputRate +
    cached * cachedRate +
    written * writeRate +
    output * outputRate +
    images * imageRate * 1_000_000;
  if (scaled > Number.MAX_SAFE_INTEGER) return null;
  if (scaled === 0) return 0;
  const num = scaled * (10_000 + margin);
  const den = 10_000 * creditPrice;
  if (num + 2 * den > Number.MAX_SAFE_INTEGER) return null;
  return Math.floor((num + den - 1) / den);
}

/** Upper bounds of a call's usage, for the reservation (see worst-case.ts). */
export interface UsageBound {
  inputTokens: number;
  outputTokens: number;
  images?: number;
  imageSize?: string | null;
  imageQuality?: string | null;
}

/**
 * The most the bounded call can cost: every input token at the dearest input rate (a cache write may cost more
 * than plain input), every output token, every image.
 */
export function worstCaseMicro(rate: RateCard, bound: UsageBound, settings: PriceSettings): number {
  const dearestInput = Math.max(rate.inputPerMillion, rate.cachedInputPerMillion ?? 0, rate.cacheWritePerMillion ?? 0);
  const asIfPlain: RateCard = {
    ...rate,
    inputPerMillion: dearestInput,
    cachedInputPerMillion: null,
    cacheWritePerMillion: null,
  };
  return priceMicro(asIfPlain, bound, settings);
}

/**
 * The most output tokens the bounded call can be given so that its worst case (as worstCaseMicro prices it, the
 * bound's own output ignored) costs at most `balanceMicro`: ceil(x / d) ≤ B exactly when x ≤ B × d, solved for the
 * output count in integers. 0 when the input alone does not fit; MAX_SAFE_INTEGER when output is free.
 */
export function affordableOutputTokens(
  rate: RateCard,
  bound: UsageBound,
  settings: PriceSettings,
  balanceMicro: number,
): number {
  const dearestInput = Math.max(rate.inputPerMillion, rate.cachedInputPerMillion ?? 0, rate.cacheWritePerMillion ?? 0);
  const asIfPlain: RateCard = {
    ...rate,
    inputPerMillion: dearestInput,
    cachedInputPerMillion: null,
    cacheWritePerMillion: null,
  };
  const fixed = providerCostScaled(asIfPlain, { ...bound, outputTokens: 0 });
  const markup = BPS + big(settings.profitMarginBps);
  const room = big(balanceMicro) * BPS * BigInt(Math.max(1, Math.trunc(settings.creditPriceMicroUsd))) - fixed * markup;
  if (room < 0n) return 0;
  const perToken = big(rate.outputPerMillion) * markup;
  if (perToken === 0n) return Number.MAX_SAFE_INTEGER;
  const tokens = room / perToken;
  return tokens > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(tokens);
}

/** A payment of `microUsd` in micro-credits at the base credit price (no margin: the price already has it), rounded down. */
export function usdToMicroCredits(microUsd: number, creditPriceMicroUsd: number): number {
  if (microUsd <= 0) return 0;
  return Number((BigInt(Math.trunc(microUsd)) * MILLION) / BigInt(Math.max(1, Math.trunc(creditPriceMicroUsd))));
}

/** A per-million rate as credits per token with margin and credit price, as an exact decimal string truncated to `decimals` places (AIGNE's model list). */
export function creditsPerToken(perMillion: number, settings: PriceSettings, decimals = 15): string {
  const num = big(perMillion) * (BPS + big(settings.profitMarginBps)) * 10n ** BigInt(decimals);
  const den = BPS * BigInt(Math.max(1, Math.trunc(settings.creditPriceMicroUsd))) * MILLION;
  const digits = (num / den).toString().padStart(decimals + 1, "0");
  const frac = digits.slice(digits.length - decimals).replace(/0+$/, "");
  return digits.slice(0, digits.length - decimals) + (frac ? "." + frac : "");
}
