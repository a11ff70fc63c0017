/** Users: creation and look-up shared by setup, OAuth sign-in, the CLI and the admin console. */
import { count, eq } from "drizzle-orm";
import { z } from "zod";
import { users, type Role } from "../../drizzle/schema";
import { recordAudit, type Actor } from "../audit/audit.server";
import { newId } from "../crypto/tokens";
import { getDb, type Executor } from "../db/client.server";
import { HubError } from "../errors";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "is not an email address" }));
export const userNameSchema = z.string().trim().min(1, "is required").max(100, "is longer than 100 characters");

export type UserRow = typeof users.$inferSelect;

export async function getUserByEmail(email: string, db?: Executor): Promise<UserRow | null> {
  const d = db ?? (await getDb());
  const [row] = await d.select().from(users).where(eq(users.email, email.trim().toLowerCase())).limit(1);
  return row ?? null;
}

export async function requireUserByEmail(email: string): Promise<UserRow> {
  const user = await getUserByEmail(email);
  if (!user) throw new HubError("not_found", `No user with email ${email}`);
  return user;
}

export async function hasOwner(db?: Executor): Promise<boolean> {
  const d = db ?? (await getDb());
  const [row] = await d.select({ n: count() }).from(users).where(eq(users.role, "owner"));
  return (row?.n ?? 0) > 0;
}

export interface NewUser {
  email: string;
  name?: string;
  role?: Role;
  avatarUrl?: string | null;
}

/** Create a user; fails with `conflict` when the email is taken. Audited when an actor is given. */
export async function createUser(input: NewUser, actor: Actor | null, db?: Executor): Promise<UserRow> {
  const email = emailSchema.safeParse(input.email);
  if (!email.success) throw new HubError("invalid_input", `Email ${input.email} is not an email address`, "email");
  const name = userNameSchema.safeParse(input.name ?? email.data.split("@")[0]);
  if (!name.success) throw new HubError("invalid_input", `Name ${name.error.issues[0]!.message}`, "name");
  const d = db ?? (await getDb());
  if (await getUserByEmail(email.data, d))
    throw new HubError("conflict", `A user with email ${email.data} already exists`, "email");
  const [row] = await d
    .insert(users)
    .values({
      id: newId("usr"),
      email: email.data,
      name: name.data,
      role: input.role ?? "member",
      avatarUrl: input.avatarUrl ?? null,
    })
    .returning();
  if (actor) await recordAudit(d, actor, { action: "user.create", targetType: "user", targetId: row!.id, after: row });
  return row!;
}
