/**
 * The request body bytes the production listener already read, kept in the Web Request it built, so the gateway
 * parses JSON from them without streaming the body a second time (measured: ~40 µs a request). Requests that did
 * not come through the listener (Remix's own handler, tests) have none: callers fall back to `request.text()`.
 */
export class ReadBodyRequest extends Request {
  readonly rawBody: Buffer;

  /**
   * The Request gets no body of its own: given one, it wraps it in a ReadableStream, about 30 µs a request that
   * nothing reads (docs/decisions/018-per-call-cost.md). The body methods read the bytes instead.
   */
  constructor(url: string, init: { method: string; headers: Headers }, rawBody: Buffer) {
    super(url, init);
    this.rawBody = rawBody;
  }

  override text(): Promise<string> {
    return Promise.resolve(this.rawBody.toString("utf8"));
  }

  override json(): Promise<unknown> {
    return this.text().then((text) => JSON.parse(text) as unknown);
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(new Uint8Array(this.rawBody).buffer);
  }

  override blob(): Promise<Blob> {
    return Promise.resolve(new Blob([new Uint8Array(this.rawBody)], { type: this.headers.get("content-type") ?? "" }));
  }

  override formData(): Promise<FormData> {
    const type = this.headers.get("content-type") ?? "";
    return new Response(new Uint8Array(this.rawBody), { headers: { "content-type": type } }).formData();
  }
}

export function rawBodyOf(request: Request): Buffer | undefined {
  return request instanceof ReadBodyRequest ? request.rawBody : undefined;
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
  return rawBodyOf(request)?.toString("utf8") ?? texts.get(request);
}
