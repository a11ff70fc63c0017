import { recordAudit } from "../audit/audit.server";
import { getDb } from "../db/client.server";
import { requireSameOrigin } from "./same-origin.server";
import { clientIp, endSession } from "./session.server";
import { users } from "../../drizzle/schema";
import { eq } from "drizzle-orm";

/** Sign this browser out (audited); returns the Set-Cookie header that clears the session cookie. */
export async function signOut(request: Request): Promise<string> {
  await requireSameOrigin(request);
  const { userId, setCookie } = await endSession(request);
  if (userId) {
    const db = await getDb();
    const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId));
    await recordAudit(
      db,
      { id: userId, label: user?.email ?? userId, ip: clientIp(request) },
      { action: "auth.sign_out", targetType: "user", targetId: userId },
    );
  }
  return setCookie;
}
