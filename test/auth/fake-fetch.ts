/**
 * A fetch that answers from a table of recorded responses ("METHOD url" → handler) and keeps every request, so
 * tests can check what the hub sent (parameters, credentials) without any network. An unknown URL fails loudly.
 */
import type { FetchLike } from "@server/auth/oauth/types";

export interface SentRequest {
  method: string;
  url: string;
  headers: Headers;
  body: string;
}

export type Handler = (request: SentRequest) => Response | Promise<Response>;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", ...headers },
  });
}

export function createFakeFetch(routes: Record<string, Handler>) {
  const sent: SentRequest[] = [];
  const fetchImpl: FetchLike = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const recorded: SentRequest = {
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: await request.text(),
    };
    sent.push(recorded);
    const handler = routes[`${request.method} ${request.url}`];
    if (!handler) return new Response(`no recorded response for ${request.method} ${request.url}`, { status: 599 });
    return handler(recorded);
  };
  return { fetch: fetchImpl, sent, routes };
}
