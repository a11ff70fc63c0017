/**
 * CSRF defence for cookie-authenticated writes: a non-GET request must come from our own origin, judged by
 * Sec-Fetch-Site (sent by every current browser) or else the Origin header. Requests with neither header are
 * not from a browser form and carry no ambient cookie risk worth blocking (curl, the CLI).
 */
export function isSameOriginRequest(request: Request, publicUrl: string): boolean {
  if (request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS") return true;
  const site = request.headers.get("sec-fetch-site");
  if (site) return site === "same-origin" || site === "none";
  const origin = request.headers.get("origin");
  if (!origin) return true;
  return ownOrigins(request, publicUrl).has(origin);
}

const ownOrigins = (request: Request, publicUrl: string) =>
  new Set([new URL(publicUrl).origin, new URL(request.url).origin]);

/**
 * The stricter rule for posts to the hub's own pages and forms, which only a browser showing a hub page sends: as
 * above, but a post that proves no origin at all (no Sec-Fetch-Site, no Origin, and no Referer on this hub) is
 * refused too. API endpoints that command-line tools call keep `isSameOriginRequest`.
 */
export function isSameOriginFormPost(request: Request, publicUrl: string): boolean {
  if (request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS") return true;
  const site = request.headers.get("sec-fetch-site");
  if (site) return site === "same-origin" || site === "none";
  const origin = request.headers.get("origin");
  if (origin) return ownOrigins(request, publicUrl).has(origin);
  const referer = request.headers.get("referer");
  if (!referer || !URL.canParse(referer)) return false;
  return ownOrigins(request, publicUrl).has(new URL(referer).origin);
}

export const CROSS_SITE_MESSAGE =
  "This form was posted from another site (or without saying where from) and was refused.";

export function assertSameOrigin(request: Request, publicUrl: string): void {
  if (!isSameOriginRequest(request, publicUrl)) {
    throw new Response("This form was posted from another site and was refused.", { status: 403 });
  }
}
