/**
 * `assertSameOrigin` (./csrf.ts, pure) plus a record of the refusal: a cross-site form post at a signed-in route is
 * an attack or a misconfigured proxy (PUBLIC_URL wrong), and either way the owner should be able to see it.
 */
import { recordAudit } from "../audit/audit.server";
import { getDb } from "../db/client.server";
import { getEnv } from "../env.server";
import { log } from "../log.server";
import { assertSameOrigin, isSameOriginRequest } from "./csrf";
import { clientIp } from "./session.server";

export async function requireSameOrigin(request: Request): Promise<void> {
  const publicUrl = getEnv().PUBLIC_URL;
  if (!isSameOriginRequest(request, publicUrl)) {
    const ip = clientIp(request);
    const details = {
      path: new URL(request.url).pathname,
      origin: request.headers.get("origin")?.slice(0, 200) ?? null,
      secFetchSite: request.headers.get("sec-fetch-site"),
    };
    log.warn("cross-site form post refused", { ...details, ip });
    await recordAudit(await getDb(), { id: null, label: "anonymous", ip, userAgent: request.headers.get("user-agent") }, { action: "auth.csrf_refused", after: details });
  }
  assertSameOrigin(request, publicUrl);
}
