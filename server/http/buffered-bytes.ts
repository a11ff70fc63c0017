/**
 * The bytes waiting in a readable stream's buffer, taken in one go without switching it to flowing mode. For a body
 * that arrived whole with its headers (a request's, ./node-bridge.server.ts; a provider's answer,
 * server/providers/http.server.ts): its parser hands the bytes over before any promise job runs, so reading them
 * here skips the data and end events (docs/decisions/023-the-answer-path.md).
 */
import type { Readable } from "node:stream";

export function takeBufferedBytes(stream: Readable): Buffer {
  const chunks: Buffer[] = [];
  for (let chunk = stream.read() as Buffer | null; chunk !== null; chunk = stream.read() as Buffer | null)
    chunks.push(chunk);
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}
