/**
 * AWS Signature Version 4 as the spec describes it, for checking signatures on the receiving side:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 *
 * The hub signs with AWS's own signer (server/providers/bedrock/signing.ts); the fake Bedrock in ./bedrock.ts
 * recomputes each received request's signature with these functions, written from the spec independently of
 * that signer, so a signing mistake cannot hide by being made on both sides.
 */
import { createHash, createHmac } from "node:crypto";

export const SIGV4_ALGORITHM = "AWS4-HMAC-SHA256";

export interface CanonicalRequestInput {
  method: string;
  /** The path exactly as sent on the wire (already percent-encoded once), e.g. "/model/a%3Ab/converse". */
  path: string;
  /** The raw query string without "?", possibly empty. */
  query: string;
  /** Lower-case header names → values, only the headers being signed. */
  headers: Record<string, string>;
  /** Hex SHA-256 of the body. */
  payloadHash: string;
}

export function sha256Hex(data: string): string {
  return createHash("sha256").update(data, "utf8").digest("hex");
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

/** RFC 3986 encoding as SigV4 wants it: only A-Z a-z 0-9 - _ . ~ stay, hex digits upper-case. */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** "20150830T123600Z" */
export function amzDate(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/**
 * Non-S3 services encode each path segment twice. The wire path is already encoded once (model ids
 * such as "anthropic.claude-3-5-sonnet-20240620-v1:0" travel as "...v1%3A0"), so encoding the wire
 * segments once more gives the canonical "...v1%253A0". Getting this wrong is the classic Bedrock
 * "signature does not match" bug for model ids with a colon.
 */
export function canonicalUri(path: string): string {
  if (path === "" || path === "/") return "/";
  return path
    .split("/")
    .map((segment) => uriEncode(segment))
    .join("/");
}

/** Query parameters: each name and value URI-encoded, sorted by name then value. */
export function canonicalQuery(query: string): string {
  if (!query) return "";
  const pairs = [...new URLSearchParams(query)].map(([k, v]) => [uriEncode(k), uriEncode(v)] as const);
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

/** The semicolon-separated, sorted, lower-case names of the signed headers. */
export function signedHeaderNames(headers: Record<string, string>): string {
  return Object.keys(headers)
    .map((k) => k.toLowerCase())
    .sort()
    .join(";");
}

export function canonicalRequest(input: CanonicalRequestInput): string {
  const names = Object.keys(input.headers).sort();
  // Values are trimmed and inner runs of spaces collapsed, per the spec.
  const canonicalHeaders = names.map((n) => `${n}:${(input.headers[n] ?? "").trim().replace(/\s+/g, " ")}\n`).join("");
  return [
    input.method.toUpperCase(),
    canonicalUri(input.path),
    canonicalQuery(input.query),
    canonicalHeaders,
    names.join(";"),
    input.payloadHash,
  ].join("\n");
}

export function credentialScope(dateStamp: string, region: string, service: string): string {
  return `${dateStamp}/${region}/${service}/aws4_request`;
}

export function stringToSign(amzDateValue: string, scope: string, canonical: string): string {
  return [SIGV4_ALGORITHM, amzDateValue, scope, sha256Hex(canonical)].join("\n");
}

export function signingKey(secretAccessKey: string, dateStamp: string, region: string, service: string): Buffer {
  const kDate = hmac(`AWS4${secretAccessKey}`, dateStamp);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, "aws4_request");
}

export function signature(key: Buffer, toSign: string): string {
  return createHmac("sha256", key).update(toSign, "utf8").digest("hex");
}
