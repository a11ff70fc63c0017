/**
 * RFC 8628 user codes (§6.1): 8 characters from 20 consonants, shown as "WDJB-MJHT". No vowels, so no words;
 * no digits or look-alikes, so no 0/O or 1/I confusion; case-insensitive. 20^8 ≈ 2.6e10 codes, and lookups are
 * rate limited per person, so guessing a live code within its 10 minutes is hopeless.
 */
import { randomInt } from "node:crypto";

export const USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";

export function generateUserCode(): string {
  let code = "";
  for (let i = 0; i < 8; i++) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** What a person typed → the stored form, or null when it cannot be a code ("wdjb mjht" → "WDJB-MJHT"). */
export function normalizeUserCode(input: string): string | null {
  const letters = input.toUpperCase().replace(/[^A-Z]/g, "");
  if (letters.length !== 8 || [...letters].some((c) => !USER_CODE_ALPHABET.includes(c))) return null;
  return `${letters.slice(0, 4)}-${letters.slice(4)}`;
}
