/**
 * The owner's welcome credit (settings.newUserGrantMicro), granted once per user at their first sign-in. The
 * account's `initialGrantDone` flag is claimed with a conditional update before granting, so two sign-ins racing
 * (or two instances) cannot both grant it.
 */
import { and, eq } from "drizzle-orm";
import { creditAccounts } from "../../../drizzle/schema";
import { SYSTEM_ACTOR } from "../../audit/audit.server";
import { grantCredits } from "../../billing/credits.server";
import { getDb } from "../../db/client.server";
import { getSettings } from "../../settings/settings.server";

/** Returns the micro-credits granted (0 when already done or no grant is set). */
export async function grantFirstSignInCredit(userId: string): Promise<number> {
  const db = await getDb();
  await db.insert(creditAccounts).values({ userId }).onConflictDoNothing();
  const claimed = await db
    .update(creditAccounts)
    .set({ initialGrantDone: true })
    .where(and(eq(creditAccounts.userId, userId), eq(creditAccounts.initialGrantDone, false)))
    .returning({ userId: creditAccounts.userId });
  const amount = (await getSettings()).newUserGrantMicro;
  if (claimed.length === 0 || amount <= 0) return 0;
  await grantCredits(userId, amount, "Welcome credit for a new user", SYSTEM_ACTOR);
  return amount;
}
