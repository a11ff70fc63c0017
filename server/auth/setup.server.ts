/**
 * First-run owner. While no owner exists, the server prints a one-time link `<PUBLIC_URL>/setup?token=...`.
 * Only the token's hash is stored; it expires after a day and works once. Each start (and `hub setup-link`)
 * adds a fresh token, so every instance's printed link works until the owner is created.
 */
import { and, eq, gt, isNull } from "drizzle-orm";
import { setupTokens } from "../../drizzle/schema";
import { recordAudit } from "../audit/audit.server";
import { randomToken, sha256Hex } from "../crypto/tokens";
import { getDb } from "../db/client.server";
import { getEnv } from "../env.server";
import { HubError } from "../errors";
import { requireSameOrigin } from "./same-origin.server";
import { clientIp, createUserSession } from "./session.server";
import { createUser, emailSchema, hasOwner, userNameSchema, type UserRow } from "./users.server";

const TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

export async function createSetupLink(): Promise<string> {
  const token = randomToken(24);
  const db = await getDb();
  await db.insert(setupTokens).values({ tokenHash: sha256Hex(token), expiresAt: new Date(Date.now() + TOKEN_TTL_MS) });
  return `${getEnv().PUBLIC_URL}/setup?token=${token}`;
}

/** Whether the token can still create the owner (the page shows the form only then). */
export async function isSetupTokenValid(token: string | null): Promise<boolean> {
  if (!token || (await hasOwner())) return false;
  const db = await getDb();
  const [row] = await db
    .select()
    .from(setupTokens)
    .where(
      and(
        eq(setupTokens.tokenHash, sha256Hex(token)),
        isNull(setupTokens.usedAt),
        gt(setupTokens.expiresAt, new Date()),
      ),
    )
    .limit(1);
  return Boolean(row);
}

/**
 * Create the owner with a setup token, in one write transaction so two tabs racing with two tokens cannot both
 * make an owner. Every other token is spent too: after this, /setup is gone.
 */
async function completeSetup(
  token: string,
  input: { email: string; name: string },
  ip: string | null,
): Promise<UserRow> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    if (await hasOwner(tx)) throw new HubError("forbidden", "The owner already exists: sign in instead.");
    const [row] = await tx
      .select()
      .from(setupTokens)
      .where(
        and(
          eq(setupTokens.tokenHash, sha256Hex(token)),
          isNull(setupTokens.usedAt),
          gt(setupTokens.expiresAt, new Date()),
        ),
      )
      .limit(1);
    if (!row) throw new HubError("forbidden", "This setup link has expired or was already used.");
    const owner = await createUser({ email: input.email, name: input.name, role: "owner" }, null, tx);
    await tx.update(setupTokens).set({ usedAt: new Date() }).where(isNull(setupTokens.usedAt));
    await recordAudit(
      tx,
      { id: owner.id, label: owner.email, ip },
      { action: "setup.owner_created", targetType: "user", targetId: owner.id, after: owner },
    );
    return owner;
  });
}

export type SetupFormResult =
  | { ok: true; setCookie: string }
  | {
      ok: false;
      fieldErrors: Partial<Record<"name" | "email", string>>;
      formError?: string;
      values: { name: string; email: string };
    };

/** The /setup form: validate, create the owner, start their session (the same session module OAuth uses). */
export async function submitSetupForm(request: Request): Promise<SetupFormResult> {
  await requireSameOrigin(request);
  const form = await request.formData();
  const token = String(form.get("token") ?? "");
  const values = { name: String(form.get("name") ?? "").trim(), email: String(form.get("email") ?? "").trim() };
  const fieldErrors: Partial<Record<"name" | "email", string>> = {};
  const name = userNameSchema.safeParse(values.name);
  if (!name.success) fieldErrors.name = `Name ${name.error.issues[0]!.message}`;
  const email = emailSchema.safeParse(values.email);
  if (!email.success) fieldErrors.email = "Enter an email address, such as you@example.com";
  if (!name.success || !email.success) return { ok: false, fieldErrors, values };
  try {
    const owner = await completeSetup(token, { name: name.data, email: email.data }, clientIp(request));
    return { ok: true, setCookie: await createUserSession(owner.id, request) };
  } catch (error) {
    if (error instanceof HubError) return { ok: false, fieldErrors, formError: error.message, values };
    throw error;
  }
}
