/**
 * Cross-site posts to the hub's pages and forms: refused with a 403 that says why, and recorded, since a cross-site
 * form post at a signed-in route is an attack or a misconfigured proxy (PUBLIC_URL wrong), and either way the owner
 * should be able to see it. Every refusal is a warn line; those that carried a valid session (the forgeries that
 * could have done something, as that person) also an audit row naming the person as the target, so bots posting
 * to pages cannot fill the audit log. A refusal is expected traffic, not a server error: no error line, no stack.
 * The rule itself is `isSameOriginFormPost` (./csrf.ts, pure).
 */
import { recordAudit } from "../audit/audit.server";
import { getDb } from "../db/client.server";
import { getEnv } from "../env.server";
import { errorResponse, HubError } from "../errors";
import { log } from "../log.server";
import { CROSS_SITE_MESSAGE, isSameOriginFormPost } from "./csrf";
import { clientIp, getSession } from "./session.server";

function originOf(value: string | null): string | null {
  return value && URL.canParse(value) ? new URL(value).origin : null;
}

async function recordRefusal(request: Request): Promise<void> {
  const ip = clientIp(request);
  const details = {
    path: new URL(request.url).pathname,
    method: request.method,
    origin: request.headers.get("origin")?.slice(0, 200) ?? null,
    // Only the origin of the Referer: its path and query may hold things that do not belong in a log.
    refererOrigin: originOf(request.headers.get("referer")),
    secFetchSite: request.headers.get("sec-fetch-site"),
  };
  log.warn("cross-site form post refused", { ...details, ip });
  const target = (await getSession(request))?.user;
  if (!target) return;
  await recordAudit(
    await getDb(),
    { id: null, label: "anonymous", ip, userAgent: request.headers.get("user-agent") },
    {
      action: "auth.csrf_refused",
      targetType: "user",
      targetId: target.id,
      after: details,
    },
  );
}

/** For form actions: returns when the post came from a hub page, else records it and throws a 403 Response. */
export async function requireSameOrigin(request: Request): Promise<void> {
  if (isSameOriginFormPost(request, getEnv().PUBLIC_URL)) return;
  await recordRefusal(request);
  throw new Response(CROSS_SITE_MESSAGE, { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/**
 * For the HTTP server, before Remix runs a page's action (Remix would otherwise refuse a foreign Origin itself,
 * as a 500 with an error in the log): null to go on, or the 403 answer, a short page for a browser and the hub's
 * JSON error for anything else.
 */
export async function refuseCrossSitePost(request: Request): Promise<Response | null> {
  if (isSameOriginFormPost(request, getEnv().PUBLIC_URL)) return null;
  await recordRefusal(request);
  const wantsPage = (request.headers.get("accept") ?? "").includes("text/html");
  if (!wantsPage)
    return errorResponse(new HubError("forbidden", CROSS_SITE_MESSAGE, null, { code: "cross_site_request" }));
  const page =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not allowed · AI Hub</title></head>' +
    `<body><h1>Not allowed</h1><p>${CROSS_SITE_MESSAGE}</p><p><a href="/">Back to AI Hub</a></p></body></html>`;
  return new Response(page, {
    status: 403,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}
