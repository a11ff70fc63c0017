/**
 * Masking provider credentials by value (docs/decisions/009-hostile-input.md). Several providers repeat the key
 * they were sent in their error messages, and keys come in any shape, so the shape patterns of ./redact.ts are not
 * enough: a mask built from the credential itself replaces every form of its values that upstream text can carry.
 *
 * Forms of each value: as is, URL-encoded, JSON-escaped, and base64 / base64url. Base64 is matched by the part of
 * the encoding that depends on the value alone, at each of the three byte alignments, so it is found inside the
 * base64 of `key`, `user:key`, `:key` or any longer text holding the key (HTTP Basic credentials). Pure.
 */
export const MASK = "[redacted]";

/** Values shorter than this are not masked by value: "ollama" or "none" would mask ordinary words. */
export const MIN_SECRET_LENGTH = 8;

/** Fields of a JSON credential that hold secrets (accessKeyId, secretAccessKey, sessionToken), not its region. */
const SECRET_PART = /key|secret|token|password/i;

/** The values a stored credential holds: the key itself, or for Bedrock's JSON its key id, secret and token. */
export function credentialValues(secret: string): string[] {
  const values = [secret.trim()];
  if (secret.trimStart().startsWith("{")) {
    try {
      const parsed = JSON.parse(secret) as unknown;
      if (parsed && typeof parsed === "object") {
        for (const [k, v] of Object.entries(parsed))
          if (typeof v === "string" && SECRET_PART.test(k)) values.push(v.trim());
      }
    } catch {
      // Not JSON after all: the text as a whole is the value.
    }
  }
  return values.filter((v) => v.length >= MIN_SECRET_LENGTH);
}

function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, "utf8");
  const forms: string[] = [];
  for (const skip of [0, 1, 2]) {
    // Bytes from `skip` on, in whole groups of three: their four characters do not depend on what surrounds them.
    const whole = Math.floor((bytes.length - skip) / 3) * 3;
    if (whole <= 0) continue;
    const standard = bytes.subarray(skip, skip + whole).toString("base64");
    forms.push(standard, standard.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return forms;
}

/** Every form of one value worth looking for, longest first (so a longer form is masked before a part of it). */
export function secretForms(value: string): string[] {
  const forms = new Set<string>([
    value,
    encodeURIComponent(value),
    JSON.stringify(value).slice(1, -1),
    ...base64Forms(value),
  ]);
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

export interface ByteMasker {
  /** Bytes that may go on now; a tail that could be the start of a secret is held back for the next push. */
  push(chunk: Uint8Array): Uint8Array;
  /** The held-back tail, masked: the stream ended. */
  end(): Uint8Array;
}

export interface SecretMask {
  /** Nothing to mask (no credential values of a useful length). */
  readonly empty: boolean;
  text(text: string): string;
  /** A copy of a parsed value with every string masked; the value itself when nothing needed masking. */
  deep<T>(value: T): T;
  /** Masks a byte stream (SSE, NDJSON) as it passes, also when a secret is split between two reads. */
  bytes(): ByteMasker;
}

function replaceAll(text: string, forms: string[]): string {
  let out = text;
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(MASK);
  return out;
}

/** Many forms (every credential of the hub): one pass of one alternation instead of a search per form. */
function replacerFor(forms: string[]): (text: string) => string {
  if (forms.length <= 16) return (text) => replaceAll(text, forms);
  const any = new RegExp(forms.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
  return (text) => text.replace(any, MASK);
}

/** The longest tail of `text` that is the beginning of some form (and so might complete in the next read). */
function pendingTail(text: string, forms: string[]): number {
  let longest = 0;
  for (const form of forms) {
    const first = form[0]!;
    for (let start = Math.max(0, text.length - form.length + 1); start < text.length; start++) {
      if (text[start] !== first || !form.startsWith(text.slice(start))) continue;
      longest = Math.max(longest, text.length - start);
      break; // a later start only gives a shorter tail
    }
  }
  return longest;
}

export function createSecretMask(values: string[]): SecretMask {
  const forms = [...new Set(values.flatMap(secretForms))].sort((a, b) => b.length - a.length);
  // Byte streams are scanned as latin1 text: one character per byte, so the UTF-8 bytes of each form match as is.
  const byteForms = forms.map((f) => Buffer.from(f, "utf8").toString("latin1"));
  const replace = replacerFor(forms);
  const text = (s: string) => (s.length < MIN_SECRET_LENGTH ? s : replace(s));
  const deep = (value: unknown, depth: number): unknown => {
    if (typeof value === "string") return text(value);
    if (value === null || typeof value !== "object" || depth > 64) return value;
    if (Array.isArray(value)) {
      let copy: unknown[] | null = null;
      value.forEach((item, i) => {
        const masked = deep(item, depth + 1);
        if (masked !== item) (copy ??= [...value])[i] = masked;
      });
      return copy ?? value;
    }
    let copy: Record<string, unknown> | null = null;
    for (const [k, v] of Object.entries(value)) {
      const masked = deep(v, depth + 1);
      if (masked !== v) (copy ??= { ...(value as Record<string, unknown>) })[k] = masked;
    }
    return copy ?? value;
  };
  return {
    empty: forms.length === 0,
    text,
    deep: <T>(value: T) => deep(value, 0) as T,
    bytes() {
      let held = "";
      return {
        push(chunk) {
          const all = replaceAll(
            held + Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString("latin1"),
            byteForms,
          );
          const keep = pendingTail(all, byteForms);
          held = all.slice(all.length - keep);
          return Buffer.from(all.slice(0, all.length - keep), "latin1");
        },
        end() {
          const rest = replaceAll(held, byteForms);
          held = "";
          return Buffer.from(rest, "latin1");
        },
      };
    },
  };
}

/** The mask of one stored credential's secret. */
export function maskForCredential(secret: string): SecretMask {
  return createSecretMask(credentialValues(secret));
}
