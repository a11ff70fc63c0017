/**
 * Remix's `handleError` (exported by app/entry.server.tsx): errors Remix catches while serving pages go to the
 * hub's JSON log, redacted and without a stack, at a level that says what they are. Remix's own refusal of a post
 * whose Origin is not the Host (a proxy that rewrites Host; the hub's own check runs first and answers 403, see
 * server/auth/same-origin.server.ts) is a refused request, not a server error.
 */
import { log } from "../log.server";

const REMIX_CSRF =
  /header does not match `origin` header|headers are not provided\. One of these is needed to compare the `origin`/;

interface RouteErrorLike {
  status: number;
  error?: unknown;
}

const isRouteError = (error: unknown): error is RouteErrorLike =>
  typeof error === "object" &&
  error !== null &&
  typeof (error as { status?: unknown }).status === "number" &&
  "internal" in error;

export function logRemixError(error: unknown, { request }: { request: Request }): void {
  if (request.signal.aborted) return; // the browser went away: nothing went wrong here
  const path = new URL(request.url).pathname;
  if (error instanceof Error && REMIX_CSRF.test(error.message)) {
    const origin = request.headers.get("origin")?.slice(0, 200) ?? null;
    log.warn("cross-site form post refused", { path, method: request.method, origin, by: "remix" });
    return;
  }
  // Remix's own 4xx answers (no route for a URL, a method a page does not take) are the visitor's mistake.
  if (isRouteError(error) && error.status < 500) {
    log.debug("page request refused", { path, method: request.method, status: error.status });
    return;
  }
  log.error("page request failed", {
    path,
    method: request.method,
    error: isRouteError(error) ? (error.error ?? error) : error,
  });
}
