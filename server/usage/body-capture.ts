/**
 * What a call record keeps of a request or response body when body logging is on (docs/decisions/007-call-body-logging.md): the body with
 * secrets masked (the log redaction patterns of server/crypto/redact.ts, plus secret-named fields), base64
 * images replaced by a short placeholder, and the result cut at BODY_CAP characters with a marker. Pure.
 */
import { redactText } from "../crypto/redact";

/** Characters kept per body: a chat transcript fits; a pasted book or a vector dump is cut. */
export const BODY_CAP = 64 * 1024;

/**
 * Field names whose values are secrets. Narrower than the log redactor's: `max_tokens` and `total_tokens` must
 * survive (plural "tokens" is a count), while `token`, `access_token` and `id_token` are masked.
 */
const SECRET_FIELD =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api[_-]?key|apikey|password|passwd|secret|client[_-]?secret|private[_-]?key|(access|refresh|id|session|bearer)?[_-]?token)$/i;

/** Fields that hold raw base64 bytes of an image (OpenAI `b64_json`, AIGNE / Anthropic / Gemini image sources). */
const BASE64_FIELD = /^(b64_json|image_base64|base64|bytes|inline_?data)$/i;
const DATA_URL = /data:([\w.+-]+\/[\w.+-]+)?;base64,[A-Za-z0-9+/=_-]+/g;
/** A long string made only of base64 characters: image bytes under some field we do not know by name. */
const LONG_BASE64 = /^[A-Za-z0-9+/_-]{2048,}={0,2}$/;
const MAX_DEPTH = 32;

function kb(base64Chars: number): number {
  return Math.max(1, Math.round((base64Chars * 3) / 4 / 1024));
}

/** "[base64 image, 12 KB]"; `kind` is "data" for bytes not known to be an image (an embedding in base64). */
function placeholder(base64Chars: number, kind = "image"): string {
  return `[base64 ${kind}, ${kb(base64Chars)} KB]`;
}

/** Masks secrets and replaces inline base64 data URLs in free text. */
export function redactBodyText(text: string): string {
  const withoutImages = text.includes(";base64,")
    ? text.replace(DATA_URL, (match, mime: string | undefined) =>
        placeholder(match.length - match.indexOf(",") - 1, !mime || mime.startsWith("image/") ? "image" : mime),
      )
    : text;
  return redactText(withoutImages);
}

/** An object that says its bytes are an image (Anthropic's `source`, Gemini's `inline_data`). */
function saysImage(parent: Record<string, unknown> | null): boolean {
  const mime = parent?.media_type ?? parent?.mime_type ?? parent?.mimeType;
  return typeof mime === "string" && mime.startsWith("image/");
}

function redactValue(
  value: unknown,
  key: string | null,
  depth: number,
  parent: Record<string, unknown> | null = null,
): unknown {
  if (key !== null && SECRET_FIELD.test(key) && value !== null && value !== undefined && typeof value !== "boolean")
    return "[redacted]";
  if (typeof value === "string") {
    if (key !== null && BASE64_FIELD.test(key) && value.length > 64) return placeholder(value.length);
    if (value.length >= 2048 && LONG_BASE64.test(value))
      return placeholder(value.length, saysImage(parent) ? "image" : "data");
    return redactBodyText(value);
  }
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return "[too deep]";
  // Copied only where something below changes: a clean body (most of them) is serialised as it is, and body logging
  // no longer makes a second copy of every body it keeps (docs/decisions/023-the-answer-path.md).
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const masked = redactValue(value[i], null, depth + 1);
      if (masked !== value[i]) (copy ??= value.slice())[i] = masked;
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(record)) {
    const masked = redactValue(v, k, depth + 1, record);
    if (masked !== v) (copy ??= { ...record })[k] = masked;
  }
  return copy ?? value;
}

/**
 * The value with secrets masked and base64 payloads replaced: a copy where anything changed, the value itself where
 * nothing did. For JSON values (parsed bodies, answers), which serialise the same either way.
 */
export function redactBody(value: unknown): unknown {
  return redactValue(value, null, 0);
}

/** Cuts text at `cap` characters, saying how much there was. */
export function truncateBody(text: string, cap = BODY_CAP): string {
  if (text.length <= cap) return text;
  return `${text.slice(0, cap)}\n…[truncated: ${Math.ceil(text.length / 1024)} KB in all, first ${Math.round(cap / 1024)} KB kept]`;
}

/** A parsed body (request or answer) as stored: redacted JSON, capped. */
export function captureJson(value: unknown, cap = BODY_CAP): string {
  return truncateBody(JSON.stringify(redactBody(value)) ?? "null", cap);
}

/** Where to cut text near `at` without leaving half a token (the part of a secret the patterns would miss). */
function cutBefore(text: string, at: number): number {
  let i = at;
  while (i > at - 1000 && i > 0 && /[A-Za-z0-9._~+/=-]/.test(text[i - 1]!)) i--;
  return i;
}

/**
 * A raw body as stored: JSON is parsed so fields and images can be handled by name; anything else is masked as
 * text. Text far past the cap is cut (between tokens) before the regexes run, since their cost grows with it.
 */
export function captureText(text: string, cap = BODY_CAP): string {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return captureJson(JSON.parse(text), cap);
    } catch {
      // Not JSON after all: kept as text below.
    }
  }
  if (text.length <= cap * 2) return truncateBody(redactBodyText(text), cap);
  const masked = redactBodyText(text.slice(0, cutBefore(text, cap * 2)));
  return `${masked.slice(0, cap)}\n…[truncated: ${Math.ceil(text.length / 1024)} KB in all, first ${Math.round(cap / 1024)} KB kept]`;
}
