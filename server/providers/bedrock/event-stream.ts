/**
 * The AWS binary event-stream framing (application/vnd.amazon.eventstream) that ConverseStream and
 * InvokeModelWithResponseStream answer in, on AWS's own codec (@smithy/core's EventStreamCodec: header types,
 * prelude and message CRC32 checks). What is left here is splitting a byte stream that arrives in arbitrary pieces
 * into whole messages, by the total length at the start of each one, and flattening header values.
 *
 *   [total length u32 BE][headers length u32 BE][prelude CRC32 u32 BE][headers ...][payload ...][message CRC32 u32 BE]
 */
import { crc32 } from "node:zlib";
import type { EventStreamCodec, MessageHeaders } from "@smithy/core/event-streams";
import { lazyModule } from "../../lazy-module";

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

// Loaded on the first message: a hub without Bedrock never loads @smithy.
const eventStreams = lazyModule<typeof import("@smithy/core/event-streams")>("@smithy/core/event-streams");
const utf8 = lazyModule<typeof import("@smithy/util-utf8")>("@smithy/util-utf8");
let made: EventStreamCodec | undefined;
const codec = () => (made ??= new (eventStreams().EventStreamCodec)(utf8().toUtf8, utf8().fromUtf8));

/** Encodes one message (the fake Bedrock and tests write streams with it). Numbers go as 64-bit integers. */
export function encodeEventStreamMessage(headers: EventStreamHeaders, payload: Uint8Array | string): Uint8Array {
  const tagged: MessageHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === "boolean") tagged[name] = { type: "boolean", value };
    else if (typeof value === "number") tagged[name] = { type: "integer", value: Math.trunc(value) };
    else tagged[name] = { type: "string", value };
  }
  return codec().encode({ headers: tagged, body: typeof payload === "string" ? utf8().fromUtf8(payload) : payload });
}

function plainHeaders(headers: MessageHeaders): EventStreamHeaders {
  const out: EventStreamHeaders = {};
  for (const [name, header] of Object.entries(headers)) {
    const value: unknown = header.value;
    out[name] =
      typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? value : String(value);
  }
  return out;
}

/** Incremental decoder: push bytes as they arrive, get the messages they complete. Throws EventStreamError on bad framing. */
export class EventStreamDecoder {
  private buffer = new Uint8Array(0);

  push(bytes: Uint8Array): EventStreamMessage[] {
    if (bytes.length) {
      const joined = new Uint8Array(this.buffer.length + bytes.length);
      joined.set(this.buffer, 0);
      joined.set(bytes, this.buffer.length);
      this.buffer = joined;
    }
    const out: EventStreamMessage[] = [];
    while (this.buffer.length >= PRELUDE_LENGTH) {
      const prelude = new DataView(this.buffer.buffer, this.buffer.byteOffset, PRELUDE_LENGTH);
      // The length is trusted only once the prelude's own CRC holds: a corrupt length is caught at once, instead of
      // waiting for bytes that never come. The codec checks both CRCs again on the whole message.
      if (crc32(this.buffer.subarray(0, 8)) !== prelude.getUint32(8, false))
        throw new EventStreamError("prelude checksum mismatch");
      const total = prelude.getUint32(0, false);
      if (total < MIN_MESSAGE_LENGTH || total > MAX_MESSAGE_LENGTH)
        throw new EventStreamError(`bad message length ${total}`);
      if (this.buffer.length < total) break;
      const frame = this.buffer.subarray(0, total);
      this.buffer = this.buffer.subarray(total);
      try {
        const message = codec().decode(frame);
        out.push({ headers: plainHeaders(message.headers), payload: message.body });
      } catch (error) {
        throw new EventStreamError(error instanceof Error ? error.message : String(error));
      }
    }
    return out;
  }

  /** Bytes of a message not yet complete. */
  get pendingBytes(): number {
    return this.buffer.length;
  }
}
