/**
 * tRPC callers for tests: the console's router called in-process as a given user (or nobody), with the audit
 * actor the HTTP context would build, and a helper to call any procedure by its dotted path.
 */
import type { UserRow } from "@server/auth/users.server";
import { actorFor } from "@server/trpc/context.server";
import { appRouter, createCaller } from "@server/trpc/root";

export const TEST_IP = "203.0.113.10";

export type Caller = ReturnType<typeof createCaller>;

export function callerFor(user: UserRow | null, options: { sameOrigin?: boolean } = {}): Caller {
  const sessionUser = user
    ? {
        id: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        status: user.status,
        avatarUrl: user.avatarUrl,
      }
    : null;
  return createCaller({
    user: sessionUser,
    actor: sessionUser ? { ...actorFor(sessionUser, null), ip: TEST_IP, userAgent: "vitest" } : null,
    sameOrigin: options.sameOrigin ?? true,
  });
}

export interface ProcedureInfo {
  path: string;
  type: "query" | "mutation" | "subscription";
}

/** The admin console's routers (the root router also holds routers for every signed-in user, e.g. usage). */
export const CONSOLE_ROUTERS = [
  "adminHome",
  "audit",
  "ipRules",
  "keys",
  "models",
  "providers",
  "quotas",
  "settings",
  "users",
] as const;

/** Every procedure of the console's routers, e.g. { path: "providers.create", type: "mutation" }. */
export function allProcedures(): ProcedureInfo[] {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: ProcedureInfo["type"] } }>;
  return Object.entries(procedures)
    .filter(([path]) => (CONSOLE_ROUTERS as readonly string[]).includes(path.split(".")[0]!))
    .map(([path, p]) => ({ path, type: p._def.type }));
}

/** Call a procedure by path: call(caller, "providers.list", undefined). */
export function callPath(caller: Caller, path: string, input?: unknown): Promise<unknown> {
  const fn = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (
    input: unknown,
  ) => Promise<unknown>;
  return fn(input);
}

/** The TRPCError code a promise rejects with, or "OK". */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}
