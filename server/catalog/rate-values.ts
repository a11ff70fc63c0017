/**
 * The numbers of one dated rate, checked the same way for the console, the CLI and the starter import. Token
 * rates are integer micro-USD per million tokens; image prices integer micro-USD per image, keyed
 * "<size>:<quality>" ("1024x1024:hd"), with `perImage` for any size and quality not listed.
 */
import { HubError } from "../errors";

export interface RateValues {
  inputPerMillion: number;
  outputPerMillion: number;
  /** null = cached input is billed at the input rate. */
  cachedInputPerMillion: number | null;
  /** null = input written to a prompt cache is billed at the input rate (Anthropic charges 1.25x for it). */
  cacheWritePerMillion: number | null;
  perImage: number | null;
  imagePrices: Record<string, number> | null;
}

/** $1,000,000 per million tokens or per image: far above any real price, low enough to catch a typo. */
export const MAX_RATE_MICRO = 1_000_000 * 1_000_000;
export const IMAGE_PRICE_KEY = /^(\d{2,5}x\d{2,5}|auto|\*):([a-z]{1,20}|\*)$/;

function checkAmount(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > MAX_RATE_MICRO) {
    throw new HubError("invalid_input", "Rates must be zero or positive amounts below $1,000,000", field);
  }
  return value;
}

export function checkRate(rate: RateValues): RateValues {
  checkAmount(rate.inputPerMillion, "input_per_million");
  checkAmount(rate.outputPerMillion, "output_per_million");
  if (rate.cachedInputPerMillion !== null) checkAmount(rate.cachedInputPerMillion, "cached_input_per_million");
  if (rate.cacheWritePerMillion !== null) checkAmount(rate.cacheWritePerMillion, "cache_write_per_million");
  if (rate.perImage !== null) checkAmount(rate.perImage, "per_image");
  let imagePrices: Record<string, number> | null = null;
  if (rate.imagePrices && Object.keys(rate.imagePrices).length) {
    imagePrices = {};
    for (const [key, value] of Object.entries(rate.imagePrices)) {
      const k = key.trim().toLowerCase();
      if (!IMAGE_PRICE_KEY.test(k))
        throw new HubError(
          "invalid_input",
          `Image price "${key}" must be written as size:quality, e.g. 1024x1024:hd`,
          "image_prices",
        );
      imagePrices[k] = checkAmount(value, "image_prices");
    }
  }
  return { ...rate, imagePrices };
}
