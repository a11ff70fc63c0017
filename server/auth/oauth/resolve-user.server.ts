/**
 * From a checked provider profile to a hub user, in one transaction:
 * 1. the identity is known (provider + provider user id) → its user;
 * 2. else the provider vouches for the email (verified) and a user has it → link the identity to that user;
 * 3. else, with a verified email and the sign-in policy's consent → a new `member`.
 * An unverified email never links and never creates an account: whoever controls a provider account with an
 * unverified address could otherwise take over (or pre-claim) the real owner's account.
 * A disabled user is refused, and nothing is written for them.
 */
import { and, eq } from "drizzle-orm";
import { oauthAccounts, users } from "../../../drizzle/schema";
import type { Actor } from "../../audit/audit.server";
import { getDb } from "../../db/client.server";
import { getSettings } from "../../settings/settings.server";
import { createUser, getUserByEmail, type UserRow } from "../users.server";
import { refuseNewAccount } from "./sign-in-policy";
import { SignInError } from "./sign-in-errors";
import type { OAuthProfile } from "./types";

export type SignInMethod = "identity" | "verified_email" | "new_user";

export async function resolveSignInUser(
  profile: OAuthProfile,
  actor: Pick<Actor, "ip" | "userAgent">,
): Promise<{ user: UserRow; method: SignInMethod }> {
  const settings = await getSettings();
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [known] = await tx
      .select({ user: users })
      .from(oauthAccounts)
      .innerJoin(users, eq(users.id, oauthAccounts.userId))
      .where(
        and(eq(oauthAccounts.provider, profile.provider), eq(oauthAccounts.providerUserId, profile.providerUserId)),
      )
      .limit(1);
    let user: UserRow | null = known?.user ?? null;
    let method: SignInMethod = "identity";

    if (!user) {
      if (!profile.email) throw new SignInError("email_missing", `${profile.provider} gave no email`);
      if (!profile.emailVerified)
        throw new SignInError("email_unverified", `${profile.provider} email not verified`, { email: profile.email });
      user = await getUserByEmail(profile.email, tx);
      method = "verified_email";
    }
    if (!user) {
      const refusal = refuseNewAccount(profile.email!, settings);
      if (refusal) throw new SignInError(refusal, `no account for this email`, { email: profile.email });
      user = await createUser(
        {
          email: profile.email!,
          name: profile.name?.trim().slice(0, 100) || undefined,
          role: "member",
          avatarUrl: profile.avatarUrl,
        },
        { id: null, label: profile.email!, ip: actor.ip, userAgent: actor.userAgent },
        tx,
      );
      method = "new_user";
    }
    if (user.status !== "active")
      throw new SignInError("account_disabled", "user is disabled", { userId: user.id, email: user.email });

    await tx
      .insert(oauthAccounts)
      .values({
        provider: profile.provider,
        providerUserId: profile.providerUserId,
        userId: user.id,
        email: profile.email,
        emailVerified: profile.emailVerified,
      })
      .onConflictDoUpdate({
        target: [oauthAccounts.provider, oauthAccounts.providerUserId],
        set: { email: profile.email, emailVerified: profile.emailVerified },
      });
    if (!user.avatarUrl && profile.avatarUrl) {
      await tx.update(users).set({ avatarUrl: profile.avatarUrl }).where(eq(users.id, user.id));
    }
    return { user, method };
  });
}
