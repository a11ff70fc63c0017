/**
 * The answer for a path under the API prefixes that no endpoint serves (any method): a JSON 404 in the error shape
 * the caller's SDK reads, never the HTML not-found page, which agent clients would show verbatim. The splat
 * resource routes in app/routes (`v1.$.ts`, `api.v2.$.ts`, `api.v1.$.ts` and the `messages.$` ones) call it;
 * Remix ranks them below every exact route, so they only answer what nothing else does.
 */
import { errorResponse, HubError } from "../errors";
import { toAnthropicError } from "./messages/errors";
import { hubRequestIdOf } from "./request-ids";

function notFound(request: Request): HubError {
  const { pathname } = new URL(request.url);
  return new HubError("not_found", `Invalid URL (${request.method} ${pathname}): the hub has no such endpoint.`);
}

/** OpenAI's shape: `{"error":{"message","type":"invalid_request_error","code":"not_found","param":null}}`. */
export function unknownOpenAIPath(request: Request): Response {
  return errorResponse(notFound(request));
}

/** Anthropic's shape under the Messages API's paths: `{"type":"error","error":{"type":"not_found_error",...}}`. */
export function unknownAnthropicPath(request: Request): Response {
  const { status, body, headers } = toAnthropicError(notFound(request), hubRequestIdOf(request));
  return Response.json(body, { status, headers });
}
