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
  const allowed = new Set([new URL(publicUrl).origin, new URL(request.url).origin]);
  return allowed.has(origin);
}

export function assertSameOrigin(request: Request, publicUrl: string): void {
  if (!isSameOriginRequest(request, publicUrl)) {
    throw new Response("This form was posted from another site and was refused.", { status: 403 });
  }
}
