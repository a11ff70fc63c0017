/**
 * A JSON answer that keeps the text it was serialised to, so the listener writes that text in one `end` instead of
 * reading it back out of the Response's body stream (about a tenth of a call's time in the hub at concurrency 1,
 * docs/decisions/018-per-call-cost.md).
 *
 * It is a whole Response all the same, for anything else that reads it (Remix's handler, tests), but it gives the
 * base class no body. Given one, the Response builds a byte stream at once, and on Node 20 every ReadableStream is
 * also rebuilt as a transferable object: about 20 µs and 5 KB a call that the listener never reads
 * (docs/decisions/019-memory-and-first-bytes.md). The body methods serve the text instead, and `body` makes its
 * stream only when something asks for it. Its headers are kept as the plain object they were given, which the
 * listener copies to Node's response as they are; the `Headers` object is made only for a caller that asks for it
 * (about 10 µs a call for making one and reading it back, docs/decisions/022-one-call-at-a-time.md).
 */
export class JsonResponse extends Response {
  readonly jsonText: string;
  #used = false;
  #stream: ReadableStream<Uint8Array<ArrayBuffer>> | null = null;
  readonly #plain: Record<string, string>;
  #headers: Headers | null = null;

  constructor(data: unknown, init: { status?: number; headers?: Record<string, string> } = {}) {
    super(null, { status: init.status });
    // The given headers first (a spread that is not the first part of a literal runs in V8's runtime), then the type.
    const plain: Record<string, string> = { ...init.headers };
    plain["content-type"] ??= "application/json";
    this.#plain = plain;
    this.jsonText = JSON.stringify(data);
  }

  override get headers(): Headers {
    return (this.#headers ??= new Headers(this.#plain));
  }

  /** The headers as given, while nobody has asked for (and perhaps changed) the `Headers` object; else null. */
  plainHeaders(): Readonly<Record<string, string>> | null {
    return this.#headers ? null : this.#plain;
  }

  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> {
    if (!this.#stream) {
      const bytes = new TextEncoder().encode(this.jsonText);
      this.#stream = new ReadableStream<Uint8Array<ArrayBuffer>>({
        start: (controller) => {
          controller.enqueue(bytes);
          controller.close();
        },
      });
    }
    return this.#stream;
  }

  /** Read, or its stream taken by a reader (the stream's own "disturbed" state is not visible from here). */
  override get bodyUsed(): boolean {
    return this.#used || this.#stream?.locked === true;
  }

  /** The text, once: a second read fails as any Response's does. */
  #take(): Promise<string> {
    if (this.bodyUsed) return Promise.reject(new TypeError("Body is unusable: Body has already been read"));
    this.#used = true;
    return Promise.resolve(this.jsonText);
  }

  override text(): Promise<string> {
    return this.#take();
  }

  override json(): Promise<unknown> {
    return this.#take().then((text) => JSON.parse(text) as unknown);
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    return this.#take().then((text) => new TextEncoder().encode(text).buffer);
  }

  override blob(): Promise<Blob> {
    return this.#take().then((text) => new Blob([text], { type: this.headers.get("content-type") ?? "" }));
  }

  override clone(): JsonResponse {
    if (this.bodyUsed) throw new TypeError("Response.clone: Body has already been consumed.");
    const headers = Object.fromEntries(this.headers);
    return new JsonResponse(JSON.parse(this.jsonText) as unknown, { status: this.status, headers });
  }
}
