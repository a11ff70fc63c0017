/**
 * count_tokens helpers (docs/messages-api.md). Pure.
 * - The body for a provider's own counter: Anthropic's takes the fields of a Messages request that shape its
 *   input, and refuses the ones that only steer generation, which some clients send anyway.
 * - The hub's estimate where no counter answers: about four characters a token for text (the same rule as the
 *   hub's usage estimates), and a flat allowance per image or document, whose base64 says nothing of its tokens.
 */
import { estimateTokens } from "../usage";

const GENERATION_ONLY = [
  "max_tokens",
  "stream",
  "metadata",
  "stop_sequences",
  "temperature",
  "top_p",
  "top_k",
  "service_tier",
  "container",
];

/** Anthropic's tokens for an image of about 1.15 megapixels, the size it scales larger ones to. */
const MEDIA_TOKENS = 1_600;

export function countTokensBody(raw: Record<string, unknown>): Record<string, unknown> {
  const out = { ...raw };
  for (const key of GENERATION_ONLY) delete out[key];
  return out;
}

export function estimateInputTokens(body: { system?: unknown; messages?: unknown; tools?: unknown }): number {
  let chars = 0;
  let media = 0;
  const walk = (v: unknown): void => {
    if (typeof v === "string") chars += v.length;
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        if (k === "source") media++;
        else if (k !== "type" && k !== "role" && k !== "cache_control") walk(x);
      }
    }
  };
  walk([body.system, body.messages, body.tools]);
  return estimateTokens(chars) + media * MEDIA_TOKENS;
}
