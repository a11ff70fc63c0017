/**
 * The one place that sends bytes to providers. Hot-path calls go through an undici Pool per upstream origin
 * (docs/decisions/001-one-error-type-and-process-entry.md: global fetch cost a proxy two thirds of its throughput here). The mock provider is answered
 * in-process. Failures come back as UpstreamFailure with a verdict on whether another credential may be tried.
 */
import type { EventEmitter } from "node:events";
import type { Readable } from "node:stream";
import { Pool, errors as undiciErrors } from "undici";
import { takeBufferedBytes } from "../http/buffered-bytes";
import { handleMockRequest, isMockRequest } from "./mock/index";
import type { UpstreamError, UpstreamRequest } from "./types";

export interface Timeouts {
  connectMs: number;
  /** Until the response headers arrive. */
  headersMs: number;
  /** Longest silence between two body chunks. */
  idleMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 10_000, headersMs: 120_000, idleMs: 120_000 };

export interface UpstreamResponse {
  status: number;
  header(name: string): string | undefined;
  headers(): Headers;
  body: AsyncIterable<Uint8Array>;
  text(): Promise<string>;
  /** Stop reading and free the connection. */
  discard(): void;
}

/** A failed attempt: the upstream's own error, or the network's. */
export class UpstreamFailure extends Error {
  override name = "UpstreamFailure";
  constructor(
    readonly error: UpstreamError,
    /** True when the client went away (not the upstream's fault, not retried). */
    readonly aborted = false,
  ) {
    super(error.message);
  }
}

/** How a caller stops a request: an AbortSignal, or an EventEmitter with `aborted` (server/http/node-request.ts). */
export type UpstreamSignal = AbortSignal | (EventEmitter & { aborted: boolean });

const pools = new Map<string, Pool>();

function poolFor(origin: string, connectMs: number): Pool {
  let pool = pools.get(origin);
  if (!pool) {
    pool = new Pool(origin, {
      connections: 256,
      pipelining: 1,
      connect: { timeout: connectMs },
      keepAliveTimeout: 30_000,
    });
    pools.set(origin, pool);
  }
  return pool;
}

const targets = new Map<string, { origin: string; path: string }>();

/** A request URL's origin and path with query, parsed once per distinct URL: calls repeat a few over and over. */
function targetOf(href: string): { origin: string; path: string } {
  let target = targets.get(href);
  if (!target) {
    const url = new URL(href);
    target = { origin: url.origin, path: url.pathname + url.search };
    // A bound for URLs that vary per call (a model id in the path): past it, start over.
    if (targets.size >= 1_000) targets.clear();
    targets.set(href, target);
  }
  return target;
}

export async function closeUpstreamPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.allSettled(all.map((p) => p.close()));
}

export function networkFailure(error: unknown, signal: UpstreamSignal | undefined): UpstreamFailure {
  if (signal?.aborted) {
    return new UpstreamFailure(
      {
        status: 499,
        type: "api_error",
        code: "client_closed_request",
        message: "The client closed the request.",
        retryable: false,
      },
      true,
    );
  }
  const code = (error as { code?: string })?.code ?? "";
  if (error instanceof undiciErrors.HeadersTimeoutError || code === "UND_ERR_HEADERS_TIMEOUT") {
    return new UpstreamFailure({
      status: 504,
      type: "api_error",
      code: "upstream_timeout",
      message: "The provider did not answer in time.",
      retryable: true,
    });
  }
  if (error instanceof undiciErrors.BodyTimeoutError || code === "UND_ERR_BODY_TIMEOUT") {
    return new UpstreamFailure({
      status: 504,
      type: "api_error",
      code: "upstream_idle_timeout",
      message: "The provider stopped sending data.",
      retryable: true,
    });
  }
  if (error instanceof undiciErrors.ConnectTimeoutError || code === "UND_ERR_CONNECT_TIMEOUT") {
    return new UpstreamFailure({
      status: 504,
      type: "api_error",
      code: "upstream_connect_timeout",
      message: "Could not connect to the provider in time.",
      retryable: true,
    });
  }
  const detail = code || (error instanceof Error ? error.name : "error");
  return new UpstreamFailure({
    status: 502,
    type: "api_error",
    code: "upstream_unreachable",
    message: `Could not reach the provider (${detail}).`,
    retryable: true,
  });
}

export async function sendUpstream(
  req: UpstreamRequest,
  signal: UpstreamSignal | undefined,
  timeouts: Timeouts = DEFAULT_TIMEOUTS,
): Promise<UpstreamResponse> {
  if (isMockRequest(req)) return fromWebResponse(await handleMockRequest(req, asAbortSignal(signal)));
  const url = targetOf(req.url);
  try {
    const headers = req.sign ? await req.sign() : req.headers;
    const res = await poolFor(url.origin, timeouts.connectMs).request({
      path: url.path,
      method: req.method,
      headers,
      body: req.body,
      signal,
      headersTimeout: timeouts.headersMs,
      bodyTimeout: timeouts.idleMs,
    });
    const raw = res.headers;
    const one = (name: string) => {
      const v = raw[name];
      return Array.isArray(v) ? v[0] : v;
    };
    return {
      status: res.statusCode,
      header: one,
      headers: () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(raw)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(", ") : v);
        return h;
      },
      body: res.body,
      text: () => bufferedText(res.body, one("content-length")) ?? res.body.text(),
      discard: () => {
        res.body.destroy();
      },
    };
  } catch (error) {
    throw networkFailure(error, signal);
  }
}

/**
 * An answer whose whole body came with its headers, read from the stream's buffer at once (a small JSON answer
 * usually does); `text()` would wait for the stream's end event and a chain of promise jobs. Null when the length is
 * not declared or not all there yet. Decoded as `text()` decodes: UTF-8, a byte order mark skipped.
 */
function bufferedText(body: Readable, contentLength: string | undefined): Promise<string> | null {
  const length = Number(contentLength);
  if (!(length > 0) || body.readableLength < length) return null;
  const bytes = takeBufferedBytes(body);
  const bom = bytes.length > 2 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return Promise.resolve(bytes.toString("utf8", bom ? 3 : 0));
}

/** The mock provider answers like fetch, which takes only an AbortSignal. */
function asAbortSignal(signal: UpstreamSignal | undefined): AbortSignal | undefined {
  if (!signal || signal instanceof AbortSignal) return signal;
  const controller = new AbortController();
  if (signal.aborted) controller.abort();
  else signal.once("abort", () => controller.abort());
  return controller.signal;
}

function fromWebResponse(response: Response): UpstreamResponse {
  const body = response.body;
  return {
    status: response.status,
    header: (name) => response.headers.get(name) ?? undefined,
    headers: () => response.headers,
    body: body ? (body as unknown as AsyncIterable<Uint8Array>) : (async function* () {})(),
    text: () => response.text(),
    // Cancelling a body nobody will read fails only when the stream already failed: there is nothing left to free.
    discard: () => void body?.cancel().catch(() => undefined),
  };
}
