/**
 * What every HTTP answer of the hub gets, whichever server sends it (the production listener, and `remix vite:dev`
 * through the plugin in vite.config.ts): the security headers (./security-headers.ts) filled in just before the
 * headers leave, where the answer did not set its own; and, for posts to the hub's pages, the same-origin check
 * before Remix runs the action (server/auth/same-origin.server.ts).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { refuseCrossSitePost } from "../auth/same-origin.server";
import { getEnv } from "../env.server";
import { baseSecurityHeaders, NON_PAGE_CSP } from "./security-headers";
import { writeWebResponse } from "./node-bridge.server";

/**
 * Paths of the machine-facing endpoints: apps, CLIs and the console's tRPC post there without being a page of the
 * hub, each checked by its own rule (access keys; `isSameOriginRequest` for tRPC and the playground).
 */
const API_PREFIXES = ["/api/", "/v1/", "/.well-known/service/api/"];

let defaults: { https: boolean; headers: Array<[string, string]> } | undefined;

function defaultHeaders(): Array<[string, string]> {
  const https = getEnv().PUBLIC_URL.startsWith("https:");
  if (defaults?.https !== https) {
    defaults = { https, headers: [...baseSecurityHeaders({ https }), ["Content-Security-Policy", NON_PAGE_CSP]] };
  }
  return defaults.headers;
}

let fill: { of: Array<[string, string]>; lower: Array<[string, string]> } | undefined;

/** The security headers as an answer frame fills them in (server/http/node-bridge.server.ts): names in lower case. */
export function securityHeaderFill(): ReadonlyArray<readonly [string, string]> {
  const headers = defaultHeaders();
  if (fill?.of !== headers) fill = { of: headers, lower: headers.map(([name, value]) => [name.toLowerCase(), value]) };
  return fill.lower;
}

/**
 * Adds the security headers to this response when its headers are written, keeping any the answer set itself
 * (a page's own Content-Security-Policy with its nonce). Set late on purpose: Express's Remix adapter appends
 * headers, so setting them early would send two policies, and the stricter one would break the page.
 */
export function fillSecurityHeaders(res: ServerResponse): void {
  const headers = defaultHeaders();
  const writeHead = res.writeHead;
  res.writeHead = (...args: unknown[]) => {
    for (const [name, value] of headers) if (!res.hasHeader(name)) res.setHeader(name, value);
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(res, args);
  };
}

/** A post (or put, patch, delete) to a page of the hub, rather than to an API endpoint. */
export function isPagePost(method: string | undefined, path: string): boolean {
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return false;
  // A prefix without its slash (`/v1`, `/api/v2`) is an API path too: it answers a JSON 404, not a page.
  return !API_PREFIXES.some((prefix) => path.startsWith(prefix) || path === prefix.slice(0, -1));
}

/**
 * The same-origin check for a post to a page. Returns true when it answered (403) and the request is done; the
 * body is left unread (Node discards it), since nothing of it is used.
 */
export async function answeredCrossSitePost(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
    method: req.method,
    headers,
  });
  const refusal = await refuseCrossSitePost(request);
  if (!refusal) return false;
  res.setHeader("connection", "close");
  await writeWebResponse(res, refusal);
  return true;
}
