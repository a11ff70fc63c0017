/**
 * The request the listener hands to a resource route: a `Request` to its handler, made from Node's own objects
 * without building a Web Request. Undici's Request parses its URL, copies every header into a new list and makes
 * an AbortSignal whether anybody reads it or not, about 25 µs and half a kilobyte promoted to the old generation a
 * call (docs/decisions/021-server-memory.md, docs/decisions/022-one-call-at-a-time.md). Here the URL is a string,
 * the headers are read from the raw ones when first asked for, and the signal is made when first read.
 *
 * What the routes use is served directly: method, url, headers, signal and the body methods, from the bytes the
 * listener already read, as often as asked. Anything else (`clone`, the body as a stream, the fetch-only fields)
 * goes to a real Request built on first use from the same method, URL, headers, bytes and signal.
 */
import { EventEmitter } from "node:events";
import type { IncomingMessage } from "node:http";

/** Headers the listener sets itself: the client's own values of these never count. */
const HUB_HEADERS = ["x-hub-request-id", "x-hub-client-ip"] as const;

/**
 * The client leaving, as undici takes a request's signal: an EventEmitter with `aborted`, which emits "abort".
 * Lighter than an AbortSignal (an event target with its own listener list), for the calls that only hand it to
 * undici (server/gateway/json-call.server.ts).
 */
export class ClientGone extends EventEmitter {
  aborted = false;
}

/**
 * The request's path without its query. For a NodeRequest it is Node's own request target, which the listener
 * matched the route with, so no URL parser runs on every call.
 */
export function pathOf(request: Request): string {
  return request instanceof NodeRequest ? request.path : new URL(request.url).pathname;
}

/** What to hand undici so that the upstream request stops when this request's client leaves. */
export function clientGoneSignal(request: Request): AbortSignal | ClientGone {
  return request instanceof NodeRequest ? request.gone : request.signal;
}

export class NodeRequest implements Request {
  readonly method: string;
  /** The body the listener read; null for a read (GET, HEAD). */
  readonly rawBody: Buffer | null;
  readonly #req: IncomingMessage;
  readonly #origin: string;
  #url: string | null = null;
  #headers: NodeHeaders | null = null;
  #controller: AbortController | null = null;
  #gone: ClientGone | null = null;
  #aborted = false;
  #web: Request | null = null;

  constructor(req: IncomingMessage, origin: string, body: Buffer | null) {
    this.#req = req;
    this.#origin = origin;
    this.method = req.method ?? "GET";
    this.rawBody = body;
  }

  get url(): string {
    return (this.#url ??= this.#origin + (this.#req.url ?? "/"));
  }

  /** The path of Node's request target, without the query. */
  get path(): string {
    const target = this.#req.url ?? "/";
    const query = target.indexOf("?");
    return query === -1 ? target : target.slice(0, query);
  }

  get headers(): Headers {
    return (this.#headers ??= NodeHeaders.of(this.#req));
  }

  /** Aborted once the client goes away before its answer is complete (`abort`), also when made after that. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort();
    }
    return this.#controller.signal;
  }

  /** The same as `signal`, for undici only (`clientGoneSignal`). */
  get gone(): ClientGone {
    if (!this.#gone) {
      this.#gone = new ClientGone();
      this.#gone.aborted = this.#aborted;
    }
    return this.#gone;
  }

  /** The client went away: the signals abort, whether they were read already or are read later. */
  abort(): void {
    this.#aborted = true;
    this.#controller?.abort();
    if (this.#gone && !this.#gone.aborted) {
      this.#gone.aborted = true;
      this.#gone.emit("abort");
    }
  }

  text(): Promise<string> {
    return Promise.resolve(this.rawBody ? this.rawBody.toString("utf8") : "");
  }

  json(): Promise<unknown> {
    return this.text().then((text) => JSON.parse(text) as unknown);
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(this.#copy().buffer);
  }

  bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return Promise.resolve(this.#copy());
  }

  blob(): Promise<Blob> {
    return Promise.resolve(new Blob([this.#copy()], { type: this.#type() }));
  }

  formData(): Promise<FormData> {
    return new Response(this.#copy(), { headers: { "content-type": this.#type() } }).formData();
  }

  /** The body's bytes in a buffer of their own, so a reader that changes them changes nothing here. */
  #copy(): Uint8Array<ArrayBuffer> {
    return new Uint8Array(this.rawBody ?? []);
  }

  #type(): string {
    return this.headers.get("content-type") ?? "";
  }

  clone(): Request {
    return this.web().clone();
  }

  get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    return this.web().body;
  }
  get bodyUsed(): boolean {
    return this.#web?.bodyUsed ?? false;
  }
  get cache(): RequestCache {
    return this.web().cache;
  }
  get credentials(): RequestCredentials {
    return this.web().credentials;
  }
  get destination(): RequestDestination {
    return this.web().destination;
  }
  get integrity(): string {
    return this.web().integrity;
  }
  get keepalive(): boolean {
    return this.web().keepalive;
  }
  get mode(): RequestMode {
    return this.web().mode;
  }
  get redirect(): RequestRedirect {
    return this.web().redirect;
  }
  get referrer(): string {
    return this.web().referrer;
  }
  get referrerPolicy(): ReferrerPolicy {
    return this.web().referrerPolicy;
  }

  /** The same request as a Web Request, for the members only it has. */
  private web(): Request {
    if (!this.#web) {
      const read = this.method === "GET" || this.method === "HEAD";
      const web = new Request(this.url, {
        method: this.method,
        headers: [...this.headers],
        body: read || !this.rawBody ? null : this.#copy(),
      });
      // This request's signal, not one of its own: the client leaving aborts both alike.
      Object.defineProperty(web, "signal", { value: this.signal });
      this.#web = web;
    }
    return this.#web;
  }
}

/**
 * A request's headers as the Fetch standard reads them (names in lower case, repeated fields joined with ", ",
 * `set-cookie` kept apart), made from Node's raw list rather than its `req.headers`, which drops repeats of some
 * fields where a Web Request joins them. The listener's own headers replace whatever the client sent under their
 * names. Node's parser has already checked names and values.
 */
export class NodeHeaders implements Headers {
  readonly #map = new Map<string, string>();
  readonly #cookies: string[] = [];

  static of(req: IncomingMessage): NodeHeaders {
    const headers = new NodeHeaders();
    const raw = req.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
    for (const name of HUB_HEADERS) {
      const value = req.headers[name];
      if (typeof value === "string") headers.set(name, value);
    }
    return headers;
  }

  get(name: string): string | null {
    const key = name.toLowerCase();
    if (key === "set-cookie") return this.#cookies.length ? this.#cookies.join(", ") : null;
    return this.#map.get(key) ?? null;
  }

  has(name: string): boolean {
    return this.get(name) !== null;
  }

  getSetCookie(): string[] {
    return [...this.#cookies];
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    if (key === "set-cookie") this.#cookies.push(value);
    else {
      const had = this.#map.get(key);
      this.#map.set(key, had === undefined ? value : `${had}, ${value}`);
    }
  }

  set(name: string, value: string): void {
    this.delete(name);
    this.append(name, value);
  }

  delete(name: string): void {
    const key = name.toLowerCase();
    if (key === "set-cookie") this.#cookies.length = 0;
    else this.#map.delete(key);
  }

  /** In name order, each `set-cookie` on its own, as a Web Headers iterates. */
  *entries(): HeadersIterator<[string, string]> {
    const names = [...this.#map.keys()];
    if (this.#cookies.length) names.push("set-cookie");
    for (const name of names.sort()) {
      if (name === "set-cookie") for (const cookie of this.#cookies) yield [name, cookie];
      else yield [name, this.#map.get(name)!];
    }
  }

  *keys(): HeadersIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): HeadersIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    for (const [name, value] of this.entries()) callback.call(thisArg, value, name, this);
  }

  [Symbol.iterator](): HeadersIterator<[string, string]> {
    return this.entries();
  }
}
