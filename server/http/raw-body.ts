/**
 * The request body bytes the production listener already read, kept beside the Web Request it built, so the
 * gateway can parse JSON from them without streaming the body a second time (measured: ~40 µs a request).
 * Requests that did not come through the listener (Remix's own handler, tests) have none: callers fall back to
 * `request.text()`.
 */
const bodies = new WeakMap<Request, Buffer>();

export function rememberRawBody(request: Request, body: Buffer): void {
  bodies.set(request, body);
}

export function rawBodyOf(request: Request): Buffer | undefined {
  return bodies.get(request);
}

/**
 * The body text of a request that came without remembered bytes, as the gateway parsed it (server/gateway/
 * parse-body.ts), so body logging can store it without reading the stream twice. Holding a reference costs
 * nothing measurable; the listener's requests never take this path.
 */
const texts = new WeakMap<Request, string>();

export function rememberBodyText(request: Request, text: string): void {
  texts.set(request, text);
}

/** The request's body as text, if the gateway read it: the listener's bytes, or the text parse-body kept. */
export function bodyTextOf(request: Request): string | undefined {
  return bodies.get(request)?.toString("utf8") ?? texts.get(request);
}
