/**
 * An upstream SSE body read one event at a time until the stream is committed. Providers, and proxies in front of
 * them, often deliver several events in one read; the gateway answers the client as soon as the first chunk is
 * parsed, so parsing (and re-encoding) the whole read first only delayed the client's first byte. Once `whole()` is
 * called the reads pass through as they come. The split falls just after an event's blank line, never inside a
 * character, and the parsers keep partial events across reads anyway. Pure.
 */
export interface EventReader {
  iterator: AsyncIterator<Uint8Array>;
  /** From now on, reads as they come (the stream is committed; batching is cheaper). */
  whole(): void;
}

export function firstEventFirst(source: AsyncIterator<Uint8Array>): EventReader {
  let pending: Uint8Array | null = null;
  let splitting = true;
  const iterator: AsyncIterator<Uint8Array> = {
    async next() {
      let chunk: Uint8Array;
      if (pending) {
        chunk = pending;
        pending = null;
      } else {
        const next = await source.next();
        if (next.done) return next;
        chunk = next.value;
      }
      if (splitting) {
        const end = eventEnd(chunk);
        if (end > 0 && end < chunk.length) {
          pending = chunk.subarray(end);
          return { done: false, value: chunk.subarray(0, end) };
        }
      }
      return { done: false, value: chunk };
    },
    return(value?: unknown) {
      pending = null;
      return source.return ? source.return(value) : Promise.resolve({ done: true, value: undefined });
    },
  };
  return {
    iterator,
    whole: () => {
      splitting = false;
    },
  };
}

const LF = 10;
const CR = 13;

/** The index just past the first event's terminating blank line ("\n\n" or "\r\n\r\n"), or -1. */
export function eventEnd(bytes: Uint8Array): number {
  for (let i = 1; i < bytes.length; i++) {
    if (bytes[i] !== LF) continue;
    if (bytes[i - 1] === LF) return i + 1;
    if (bytes[i - 1] === CR && i >= 3 && bytes[i - 2] === LF && bytes[i - 3] === CR) return i + 1;
  }
  return -1;
}
