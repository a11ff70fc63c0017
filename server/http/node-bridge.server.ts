/**
 * Between Node's http objects and Web Request/Response: reads a request's body (the Request a route gets is
 * ./node-request.ts, whose signal aborts when the client goes away, which is where an abandoned stream gets
 * recorded), and writes a Response back with backpressure.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { takeBufferedBytes } from "./buffered-bytes";
import { JsonResponse } from "./json-response";

export class BodyTooLargeError extends Error {}
/** The client closed the connection before its body was complete: nobody is left to answer. */
export class BodyAbortedError extends Error {}
/** The client did not finish sending its body within the time allowed (a stalled or deliberately slow client). */
export class BodyTimeoutError extends Error {}

export interface BodyLimits {
  maxBytes: number;
  /** Longest time from the request's arrival until its whole body is read. */
  timeoutMs: number;
}

/**
 * How much of an oversized body is read and thrown away before the 413 goes out. Answering while the client is
 * still sending and then closing makes the kernel reset the connection on the bytes still arriving, and a reset
 * discards the answer the client has not read yet (it sees EPIPE or ECONNRESET instead of the 413). Reading the
 * rest first (bytes are dropped as they come, nothing is kept) lets the answer arrive; past this cap the hub stops
 * paying for a client that keeps sending and closes after answering.
 */
export function drainCapFor(maxBytes: number): number {
  return Math.max(64 * 1024 * 1024, 2 * maxBytes);
}

export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? "0");
  // Declared too large to be worth draining: answer at once (the client may see a reset; it asked for it).
  if (declared > drainCapFor(limits.maxBytes)) return Promise.reject(new BodyTooLargeError());
  // The listener runs inside Node's parser, which goes on to hand over the body bytes that came in the same read
  // before any promise job runs. By the first one a small body is usually all there, waiting in the stream (the
  // parser may not have marked the message complete yet: the declared length says it is whole).
  return Promise.resolve().then(() =>
    req.complete || (declared > 0 && req.readableLength >= declared)
      ? wholeBody(req, limits.maxBytes)
      : readBodyEvents(req, limits, declared),
  );
}

/** A body the parser has delivered whole: no flowing mode, events, timer or promise of its own. */
function wholeBody(req: IncomingMessage, maxBytes: number): Buffer {
  const body = takeBufferedBytes(req);
  if (body.length > maxBytes) throw new BodyTooLargeError();
  return body;
}

/** A body still arriving (`declared` bytes, by its Content-Length), read as it comes, within the limits. */
function readBodyEvents(req: IncomingMessage, limits: BodyLimits, declared: number): Promise<Buffer> {
  const { maxBytes } = limits;
  const drainCap = drainCapFor(maxBytes);
  // Plain events rather than `for await`: the async iterator costs measurably more per request.
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = declared > maxBytes;
    let settled = false;
    const settle = (error: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off("data", onData);
      req.off("end", onEnd);
      chunks = [];
      if (error) {
        // Keep the socket reading (and dropping) what still arrives until the answer is out and it is closed.
        req.resume();
        reject(error);
      }
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (!tooLarge && size > maxBytes) {
        tooLarge = true;
        chunks = [];
      }
      if (!tooLarge) chunks.push(chunk);
      else if (size > drainCap) settle(new BodyTooLargeError());
    };
    const onEnd = () => {
      if (tooLarge) return settle(new BodyTooLargeError());
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      settle(null);
      resolve(body);
    };
    const timer = setTimeout(
      () => settle(tooLarge ? new BodyTooLargeError() : new BodyTimeoutError()),
      limits.timeoutMs,
    );
    req.on("data", onData);
    req.once("end", onEnd);
    req.once("error", (error) => settle(error));
    // A client that goes away mid-body: settle now rather than hold the request until the timeout.
    req.once("close", () => {
      if (!req.complete) settle(new BodyAbortedError());
    });
  });
}

/**
 * Headers the listener adds to an answer of a resource route, written with the answer's own rather than set on the
 * Node response ahead of it: a JSON answer's headers then go out in one `writeHead` with a flat list, which Node
 * checks once, instead of each being set, stored and read back (docs/decisions/023-the-answer-path.md).
 */
export interface AnswerFrame {
  /** Name, value, name, value...: always sent. */
  always: readonly string[];
  /** Sent unless the answer has a header of that name (the security headers); names in lower case. */
  fill: ReadonlyArray<readonly [string, string]>;
}

export async function writeWebResponse(res: ServerResponse, response: Response, frame?: AnswerFrame): Promise<void> {
  const plain = response instanceof JsonResponse ? response.plainHeaders() : null;
  if (frame && plain) return writeJsonAnswer(res, response as JsonResponse, plain, frame);
  res.statusCode = response.status;
  if (frame) for (let i = 0; i < frame.always.length; i += 2) res.setHeader(frame.always[i]!, frame.always[i + 1]!);
  if (plain) for (const name in plain) res.setHeader(name, plain[name]!);
  else {
    for (const [name, value] of response.headers) {
      if (name === "set-cookie") continue;
      res.setHeader(name, value);
    }
    const cookies = response.headers.getSetCookie();
    if (cookies.length) res.setHeader("set-cookie", cookies);
  }
  if (frame) for (const [name, value] of frame.fill) if (!res.hasHeader(name)) res.setHeader(name, value);
  if (response instanceof JsonResponse) {
    // The text it was made from: its body stream is left unread (./json-response.ts).
    res.setHeader("content-length", Buffer.byteLength(response.jsonText));
    res.end(response.jsonText);
    return;
  }
  if (!response.body) {
    res.end();
    return;
  }
  const type = response.headers.get("content-type") ?? "";
  if (type.includes("json")) {
    // JSON answers are whole: one write with a length, not chunk by chunk. Other bodies (SSE, CSV exports)
    // stream as they are produced.
    const body = Buffer.from(await response.arrayBuffer());
    res.setHeader("content-length", body.length);
    res.end(body);
    return;
  }
  // Usually the first bytes are ready at once and go out with the headers in one packet; when they are not
  // (an answer held back until it is complete), the headers still leave promptly, because AIGNE's client
  // re-sends a request whose headers take too long.
  const flushLater = setTimeout(() => {
    if (!res.headersSent && !res.destroyed) res.flushHeaders();
  }, 20);
  const reader = response.body.getReader();
  // The client is gone: cancelling tells the route to stop; if the stream already ended or failed, the read loop
  // below has seen it and there is nothing to add.
  const onClose = () => void reader.cancel().catch(() => undefined);
  res.once("close", onClose);
  let first = true;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const written = res.write(value);
      if (first) {
        first = false;
        // Node holds a response's writes until the current ticks are done (it corks the socket to the next tick),
        // and the stream's next chunks are often ready in the same microtasks: let the headers and the first bytes
        // leave now, not after everything that follows them (docs/decisions/018-per-call-cost.md).
        res.socket?.uncork();
      }
      if (!written)
        await new Promise<void>((resolve) => {
          const done = () => {
            res.off("drain", done);
            res.off("close", done);
            resolve();
          };
          res.once("drain", done);
          res.once("close", done);
        });
      if (res.destroyed) break;
    }
  } catch {
    // The client went away or the stream failed; the route has already recorded what happened.
  } finally {
    clearTimeout(flushLater);
    res.off("close", onClose);
    if (!res.destroyed) res.end();
  }
}

/** A JSON answer whose headers are still the plain object it was given: its headers, the frame's, one write. */
function writeJsonAnswer(
  res: ServerResponse,
  response: JsonResponse,
  plain: Readonly<Record<string, string>>,
  frame: AnswerFrame,
): void {
  const flat = frame.always.slice();
  let own = "\n";
  for (const name in plain) {
    flat.push(name, plain[name]!);
    own += `${name.toLowerCase()}\n`;
  }
  for (const [name, value] of frame.fill) if (!own.includes(`\n${name}\n`)) flat.push(name, value);
  flat.push("content-length", String(Buffer.byteLength(response.jsonText)));
  // Headers set on `res` before (a 413's `connection: close`) stay: Node merges the list into them.
  res.writeHead(response.status, flat);
  res.end(response.jsonText);
}
