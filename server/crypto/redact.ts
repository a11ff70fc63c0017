/**
 * Log and error redaction. Masks the provider credentials the hub holds by value (./known-secrets.ts), the shapes
 * secrets take in this product (hub access keys, provider keys, bearer tokens, URL credentials) and any field whose
 * name says it holds a secret.
 */
import { maskKnownSecrets } from "./known-secrets";

const PATTERNS: RegExp[] = [
  /\bhub-sk-[A-Za-z0-9_-]{8,}/g, // our access keys
  /\bsk-(?:ant-|proj-|or-)?[A-Za-z0-9_-]{12,}/g, // OpenAI, Anthropic, OpenRouter style keys
  /\bxai-[A-Za-z0-9_-]{12,}/g,
  /\bAIza[0-9A-Za-z_-]{20,}/g, // Google API keys
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, // AWS access key ids
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /(\/\/)[^/\s:@]+:[^/\s@]+@/g, // user:password@ in URLs
];

/**
 * Text that any of PATTERNS matches contains one of these (case aside). One scan rules out the common case, text
 * with no secret shape at all, where the seven replacements each scanned it again: bodies are logged string by
 * string (server/usage/body-capture.ts), and every log line passes here.
 */
const MAYBE_SECRET = /sk-|xai-|AIza|AKIA|ASIA|bearer|basic|\/\/[^/\s:@]+:[^/\s@]+@/i;

const SECRET_FIELD = /(secret|password|passwd|token|api[_-]?key|authorization|cookie|session|private[_-]?key|sealed)/i;

export function redactText(text: string): string {
  let out = maskKnownSecrets(text);
  if (!MAYBE_SECRET.test(out)) return out;
  for (const pattern of PATTERNS) {
    out = out.replace(pattern, (match, p1: string | undefined) => {
      if (match.startsWith("//")) return "//[redacted]@";
      if (p1 && /^(bearer|basic)$/i.test(p1)) return `${p1} [redacted]`;
      return "[redacted]";
    });
  }
  return out;
}

/** Deep copy with secret-named fields replaced and secret-shaped strings masked. */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (depth > 8) return "[depth]";
  if (typeof value === "string") return redactText(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  if (value && typeof value === "object" && !(value instanceof Error) && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        SECRET_FIELD.test(k) && v !== null && v !== undefined && typeof v !== "boolean"
          ? "[redacted]"
          : redactDeep(v, depth + 1);
    }
    return out;
  }
  return value;
}
