/**
 * The AWS binary event-stream framing (application/vnd.amazon.eventstream) that ConverseStream answers in:
 * https://docs.aws.amazon.com/transcribe/latest/dg/event-stream.html
 *
 *   [total length u32 BE][headers length u32 BE][prelude CRC32 u32 BE]
 *   [headers ...][payload ...][message CRC32 u32 BE]
 *
 * The prelude CRC covers the first 8 bytes; the message CRC covers everything before it. Each header is
 * [name length u8][name utf-8][value type u8][value], where type 7 (string) and 6 (bytes) carry a u16 length.
 */
import { crc32 } from "node:zlib";

export type EventStreamHeaderValue = string | number | boolean;
export type EventStreamHeaders = Record<string, EventStreamHeaderValue>;

export interface EventStreamMessage {
  headers: EventStreamHeaders;
  payload: Uint8Array;
}

export class EventStreamError extends Error {
  override name = "EventStreamError";
}

const PRELUDE_LENGTH = 12;
const MIN_MESSAGE_LENGTH = PRELUDE_LENGTH + 4;
/** AWS caps a message at 16 MB; anything bigger means we lost framing, not that a huge event came. */
const MAX_MESSAGE_LENGTH = 16 * 1024 * 1024;

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** Value type codes from the spec. */
const HeaderType = {
  True: 0,
  False: 1,
  Byte: 2,
  Short: 3,
  Integer: 4,
  Long: 5,
  ByteArray: 6,
  String: 7,
  Timestamp: 8,
  Uuid: 9,
} as const;

function encodeHeaders(headers: EventStreamHeaders): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const nameBytes = Buffer.from(utf8.encode(name));
    if (nameBytes.length > 255) throw new EventStreamError(`header name too long: ${name}`);
    parts.push(Buffer.from([nameBytes.length]), nameBytes);
    if (typeof value === "boolean") {
      parts.push(Buffer.from([value ? HeaderType.True : HeaderType.False]));
    } else if (typeof value === "number") {
      const b = Buffer.alloc(9);
      b[0] = HeaderType.Long;
      b.writeBigInt64BE(BigInt(Math.trunc(value)), 1);
      parts.push(b);
    } else {
      const bytes = Buffer.from(utf8.encode(value));
      const b = Buffer.alloc(3);
      b[0] = HeaderType.String;
      b.writeUInt16BE(bytes.length, 1);
      parts.push(b, bytes);
    }
  }
  return Buffer.concat(parts);
}

/** Encode one message. Numbers are written as 64-bit longs; strings as type 7. */
export function encodeEventStreamMessage(headers: EventStreamHeaders, payload: Uint8Array | string): Uint8Array {
  const headerBytes = encodeHeaders(headers);
  const body = typeof payload === "string" ? Buffer.from(utf8.encode(payload)) : Buffer.from(payload);
  const total = PRELUDE_LENGTH + headerBytes.length + body.length + 4;
  const out = Buffer.alloc(total);
  out.writeUInt32BE(total, 0);
  out.writeUInt32BE(headerBytes.length, 4);
  out.writeUInt32BE(crc32(out.subarray(0, 8)), 8);
  headerBytes.copy(out, PRELUDE_LENGTH);
  body.copy(out, PRELUDE_LENGTH + headerBytes.length);
  out.writeUInt32BE(crc32(out.subarray(0, total - 4)), total - 4);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

function decodeHeaders(bytes: Buffer): EventStreamHeaders {
  const headers: EventStreamHeaders = {};
  let at = 0;
  const need = (n: number) => {
    if (at + n > bytes.length) throw new EventStreamError("truncated event-stream header");
  };
  while (at < bytes.length) {
    need(1);
    const nameLength = bytes[at++];
    need(nameLength + 1);
    const name = fromUtf8.decode(bytes.subarray(at, at + nameLength));
    at += nameLength;
    const type = bytes[at++];
    switch (type) {
      case HeaderType.True:
      case HeaderType.False:
        headers[name] = type === HeaderType.True;
        break;
      case HeaderType.Byte:
        need(1);
        headers[name] = bytes.readInt8(at);
        at += 1;
        break;
      case HeaderType.Short:
        need(2);
        headers[name] = bytes.readInt16BE(at);
        at += 2;
        break;
      case HeaderType.Integer:
        need(4);
        headers[name] = bytes.readInt32BE(at);
        at += 4;
        break;
      case HeaderType.Long:
      case HeaderType.Timestamp: // milliseconds since the epoch
        need(8);
        headers[name] = Number(bytes.readBigInt64BE(at));
        at += 8;
        break;
      case HeaderType.ByteArray:
      case HeaderType.String: {
        need(2);
        const length = bytes.readUInt16BE(at);
        at += 2;
        need(length);
        const value = bytes.subarray(at, at + length);
        headers[name] = type === HeaderType.String ? fromUtf8.decode(value) : value.toString("base64");
        at += length;
        break;
      }
      case HeaderType.Uuid: {
        need(16);
        const hex = bytes.subarray(at, at + 16).toString("hex");
        headers[name] = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(
          20
        )}`;
        at += 16;
        break;
      }
      default:
        throw new EventStreamError(`unknown event-stream header type ${type}`);
    }
  }
  return headers;
}

/**
 * Incremental decoder: push bytes in whatever pieces the network delivers, get back whole messages.
 * A CRC mismatch or impossible length throws EventStreamError (the stream cannot be resynchronised).
 */
export class EventStreamDecoder {
  private buffer: Buffer = Buffer.alloc(0);

  push(bytes: Uint8Array): EventStreamMessage[] {
    this.buffer = this.buffer.length === 0 ? Buffer.from(bytes) : Buffer.concat([this.buffer, bytes]);
    const messages: EventStreamMessage[] = [];
    for (;;) {
      if (this.buffer.length < PRELUDE_LENGTH) break;
      const total = this.buffer.readUInt32BE(0);
      const headersLength = this.buffer.readUInt32BE(4);
      if (crc32(this.buffer.subarray(0, 8)) !== this.buffer.readUInt32BE(8)) {
        throw new EventStreamError("event-stream prelude CRC mismatch");
      }
      if (total < MIN_MESSAGE_LENGTH || total > MAX_MESSAGE_LENGTH || headersLength > total - MIN_MESSAGE_LENGTH) {
        throw new EventStreamError(`invalid event-stream message length ${total}`);
      }
      if (this.buffer.length < total) break;
      const message = this.buffer.subarray(0, total);
      if (crc32(message.subarray(0, total - 4)) !== message.readUInt32BE(total - 4)) {
        throw new EventStreamError("event-stream message CRC mismatch");
      }
      const headersEnd = PRELUDE_LENGTH + headersLength;
      messages.push({
        headers: decodeHeaders(message.subarray(PRELUDE_LENGTH, headersEnd)),
        // Copy so the caller's payload does not pin (or see changes to) our buffer.
        payload: new Uint8Array(message.subarray(headersEnd, total - 4)),
      });
      this.buffer = this.buffer.subarray(total);
    }
    return messages;
  }

  /** Bytes received that do not yet form a whole message (non-zero at end of body = truncated stream). */
  get pendingBytes(): number {
    return this.buffer.length;
  }
}
