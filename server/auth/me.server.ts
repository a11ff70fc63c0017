/**
 * `GET /api/v2/me`: who a caller is, for apps and CLIs (after the connect flow, "which account did I get?").
 * An `Authorization: Bearer` key wins; without one the browser's session cookie counts. A bad key is a 401 even
 * when a cookie is present, so a tool never silently acts as the person signed in to the browser.
 */
import { eq } from "drizzle-orm";
import { accessKeys, users } from "../../drizzle/schema";
import { getBalanceMicro } from "../billing/credits.server";
import { formatMicro } from "../billing/money";
import { getDb } from "../db/client.server";
import { errorResponse, HubError } from "../errors";
import { authenticate } from "../gateway/authenticate.server";
import { getSettings } from "../settings/settings.server";
import { getSession } from "./session.server";

export interface MeResponse {
  id: string;
  email: string;
  name: string;
  role: "owner" | "admin" | "member";
  key: { id: string; name: string; appName: string | null; prefix: string } | null;
  billing: { enabled: boolean; balance: string | null; balanceMicro: number | null };
}

async function resolveCaller(request: Request): Promise<{ userId: string; keyId: string | null }> {
  if (request.headers.has("authorization")) {
    const principal = await authenticate(request);
    return { userId: principal.userId, keyId: principal.keyId };
  }
  const current = await getSession(request);
  if (current) return { userId: current.user.id, keyId: null };
  throw new HubError(
    "unauthorized",
    "Send an access key in the Authorization header ('Authorization: Bearer hub-sk-...') or sign in.",
    null,
    { code: "missing_api_key" },
  );
}

async function getMe(request: Request): Promise<MeResponse> {
  const { userId, keyId } = await resolveCaller(request);
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user || user.status !== "active") throw new HubError("unauthorized", "The account is disabled.");
  let key: MeResponse["key"] = null;
  if (keyId) {
    const [row] = await db
      .select({ id: accessKeys.id, name: accessKeys.name, appName: accessKeys.appName, prefix: accessKeys.prefix })
      .from(accessKeys)
      .where(eq(accessKeys.id, keyId))
      .limit(1);
    key = row ?? null;
  }
  const { billingEnabled } = await getSettings();
  // The balance only means something when calls are billed; otherwise say so instead of showing 0.
  const balanceMicro = billingEnabled ? await getBalanceMicro(user.id) : null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    key,
    billing: {
      enabled: billingEnabled,
      balance: balanceMicro === null ? null : formatMicro(balanceMicro),
      balanceMicro,
    },
  };
}

export async function handleMe(request: Request): Promise<Response> {
  try {
    return Response.json(await getMe(request), { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return errorResponse(error);
  }
}
