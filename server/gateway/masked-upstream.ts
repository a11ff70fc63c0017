/**
 * Where upstream text enters the hub, the calling credential's values are masked (docs/decisions/009-hostile-input.md):
 * the response's text and streamed bytes, the adapter's reading of an error, and a stream parser's chunks and error
 * event. Every inbound API that reaches providers through `sendToCandidate`, `callJson` or `openChatStream`
 * (server/gateway/upstream-send.server.ts) gets it without doing anything. Pure apart from a
 * per-credential cache of masks.
 */
import { maskForCredential, type SecretMask } from "../crypto/secret-mask";
import type { UpstreamResponse } from "../providers/http.server";
import type { ChatStreamParser, UpstreamError } from "../providers/types";
import type { CredentialEntry } from "./routing-catalog.server";

// Keyed by the catalog's own entry objects: a reloaded catalog has new entries, and the old masks go with the old.
const masks = new WeakMap<CredentialEntry, SecretMask>();

export function maskOf(credential: CredentialEntry): SecretMask {
  let mask = masks.get(credential);
  if (!mask) masks.set(credential, (mask = maskForCredential(credential.secret)));
  return mask;
}

/** Binary framings whose bytes must not change (Bedrock's event stream has lengths and checksums). */
const BINARY = /eventstream|octet-stream|protobuf|^image\/|^audio\//i;

export function isBinaryBody(res: UpstreamResponse): boolean {
  return BINARY.test(res.header("content-type") ?? "");
}

/** The response with its text masked, and its body bytes too unless they are a binary framing (see maskParser). */
export function maskResponse(res: UpstreamResponse, mask: SecretMask): UpstreamResponse {
  if (mask.empty) return res;
  let body: AsyncIterable<Uint8Array> | null = null;
  return {
    ...res,
    // Made when first read: a JSON answer is read as text and never needs the masking stream.
    get body() {
      return (body ??= isBinaryBody(res) ? res.body : maskBytes(res.body, mask));
    },
    text: () => res.text().then(mask.text),
  };
}

function maskBytes(source: AsyncIterable<Uint8Array>, mask: SecretMask): AsyncIterable<Uint8Array> {
  return {
    async *[Symbol.asyncIterator]() {
      const bytes = mask.bytes();
      for await (const chunk of source) {
        const out = bytes.push(chunk);
        if (out.byteLength > 0) yield out;
      }
      const rest = bytes.end();
      if (rest.byteLength > 0) yield rest;
    },
  };
}

export function maskUpstreamError(error: UpstreamError, mask: SecretMask): UpstreamError {
  if (mask.empty) return error;
  return {
    ...error,
    message: mask.text(error.message),
    type: mask.text(error.type),
    code: error.code === null ? null : mask.text(error.code),
    ...(error.native ? { native: { ...error.native, body: mask.text(error.native.body) } } : {}),
  };
}

/**
 * The parser's in-band error event always masked; its chunks too when the bytes it reads could not be (binary).
 * Masking the decoded text as well catches a key the provider wrote with JSON escapes.
 */
export function maskParser(parser: ChatStreamParser, mask: SecretMask, chunksToo: boolean): ChatStreamParser {
  if (mask.empty) return parser;
  return {
    push: (bytes) => (chunksToo ? mask.deep(parser.push(bytes)) : parser.push(bytes)),
    end: () => (chunksToo ? mask.deep(parser.end()) : parser.end()),
    usage: () => parser.usage(),
    error: () => {
      const error = parser.error();
      return error && maskUpstreamError(error, mask);
    },
    // A pass-through's own events go to the client as they are: masked like the chunks.
    ...(parser.takeRaw
      ? { takeRaw: () => (chunksToo ? mask.deep(parser.takeRaw?.() ?? []) : (parser.takeRaw?.() ?? [])) }
      : {}),
  };
}
