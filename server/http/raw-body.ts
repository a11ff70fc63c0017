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
