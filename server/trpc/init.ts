/**
 * tRPC for the admin console (create-t3-app's shape: init, root router, routers/*). The context carries the
 * signed-in user and the audit actor; procedures come in three levels:
 * - protectedProcedure: any signed-in user;
 * - adminProcedure: owner or admin (the console);
 * - ownerProcedure: the owner alone (role changes);
 * - settingProcedure(key) / settingsProcedure: changes to settings, allowed by each setting's rule
 *   (server/settings/setting-permissions.ts, the same rules the admin forms use).
 * Mutations also require a same-origin request (CSRF: Sec-Fetch-Site or Origin, server/auth/csrf.ts).
 * Errors leave as readable messages with per-field errors (./errors.ts); no stack traces, ever.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import type { Actor } from "../audit/audit.server";
import type { SessionUser } from "../auth/session.server";
import { HubError } from "../errors";
import { log } from "../log.server";
import { assertMayChangeSettings, mayChangeAnySetting } from "../settings/setting-permissions";
import type { SettingKey } from "../settings/settings.server";
import { fieldErrorsOf, readableMessage, toTRPCError } from "./errors";

export interface TrpcContext {
  user: SessionUser | null;
  /** Who the audit log names for this request's changes (email, IP, user agent). */
  actor: Actor | null;
  /** False for a cross-site browser request: mutations are then refused. */
  sameOrigin: boolean;
}

const t = initTRPC.context<TrpcContext>().create({
  isDev: false,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    if (error.code === "INTERNAL_SERVER_ERROR" && !(cause instanceof HubError))
      log.error("admin procedure failed", { error: cause ?? error });
    return {
      ...shape,
      message: readableMessage(error.code, error.message, cause),
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        fieldErrors: fieldErrorsOf(cause),
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** HubErrors thrown by services become TRPCErrors with the matching code (not a 500). */
const mapHubErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof HubError) throw toTRPCError(result.error.cause);
  return result;
});

export const publicProcedure = t.procedure.use(mapHubErrors);

export const protectedProcedure = publicProcedure.use(({ ctx, type, next }) => {
  if (!ctx.user || !ctx.actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  if (type === "mutation" && !ctx.sameOrigin) {
    throw new TRPCError({ code: "FORBIDDEN", message: "This request came from another site and was refused." });
  }
  return next({ ctx: { ...ctx, user: ctx.user, actor: ctx.actor } });
});

export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "owner" && ctx.user.role !== "admin") {
    throw new TRPCError({ code: "FORBIDDEN", message: "Only owners and admins can do this." });
  }
  return next();
});

export const ownerProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "owner") throw new TRPCError({ code: "FORBIDDEN", message: "Only the owner can do this." });
  return next();
});

/** Changes one setting (OAuth clients, the metrics token, trusted proxies): its rule decides, before the input is read. */
export const settingProcedure = (key: SettingKey) =>
  protectedProcedure.use(({ ctx, next }) => {
    assertMayChangeSettings(ctx.user.role, [key]);
    return next();
  });

/**
 * Changes several settings at once: whoever may change none (members) is refused before the input is read; the
 * procedure then checks every field it was sent with `assertMayChangeSettings`.
 */
export const settingsProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (!mayChangeAnySetting(ctx.user.role)) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Only owners and admins can change settings." });
  }
  return next();
});
