/**
 * Checks of what a provider sends back, at the boundary where its JSON becomes the hub's types. A provider's
 * answer or stream event of the wrong shape (a missing array, a string where a count belongs, a chunk that is not
 * an object) must become a clear upstream error, never a crash later in the pipeline and never a quietly wrong
 * record: a token count that is not a number is an error, not a 0 (usage that is missing is estimated instead,
 * docs/architecture.md). Hand-written typeof checks, cheap enough for every stream chunk (bench/upstream-guards.ts).
 *
 * Messages name the field that was wrong, never its value: an upstream body may echo a key.
 */
import type { UpstreamError } from "./types";

/** Thrown by an adapter's parser when the provider's answer or event is not the shape its API documents. */
export class UpstreamShapeError extends Error {
  override name = "UpstreamShapeError";
}

export type JsonObject = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function expectRecord(value: unknown, what: string): JsonObject {
  if (!isRecord(value)) throw new UpstreamShapeError(`${what} is not an object`);
  return value;
}

/** An object that may be absent (undefined or null). */
export function optionalRecord(value: unknown, what: string): JsonObject | undefined {
  return value === undefined || value === null ? undefined : expectRecord(value, what);
}

export function expectArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new UpstreamShapeError(`${what} is not an array`);
  return value;
}

export function expectString(value: unknown, what: string): string {
  if (typeof value !== "string") throw new UpstreamShapeError(`${what} is not a string`);
  return value;
}

/** A string that may be absent (undefined or null). */
export function optionalString(value: unknown, what: string): string | undefined {
  return value === undefined || value === null ? undefined : expectString(value, what);
}

/** A token count: absent is null (unknown, estimated later); present, it must be a non-negative number. */
export function tokenCount(value: unknown, what: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "number" && value >= 0 && Number.isFinite(value)) return value;
  throw new UpstreamShapeError(`${what} is not a token count`);
}

/** The gateway's terms for an answer or stream the hub could not read: 502, and another credential may do better. */
export function unreadableUpstream(detail: string): UpstreamError {
  return {
    status: 502,
    type: "api_error",
    code: "bad_upstream_response",
    message: `The provider sent a response the hub could not read (${detail}).`,
    retryable: true,
  };
}

/** A stream parser's error for a thrown shape error; anything else is a bug of ours and keeps propagating. */
export function streamShapeError(error: unknown, provider: string): UpstreamError {
  if (error instanceof UpstreamShapeError) return unreadableUpstream(`${provider} stream: ${error.message}`);
  throw error;
}
