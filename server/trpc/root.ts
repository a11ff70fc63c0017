/** The console's tRPC router: one sub-router per page (server/trpc/routers/*). */
import { createCallerFactory, router } from "./init";
import { adminHomeRouter } from "./routers/admin-home";
import { auditRouter } from "./routers/audit";
import { ipRulesRouter } from "./routers/ip-rules";
import { keysRouter } from "./routers/keys";
import { modelsRouter } from "./routers/models";
import { playgroundRouter } from "./routers/playground";
import { providersRouter } from "./routers/providers";
import { quotasRouter } from "./routers/quotas";
import { settingsRouter } from "./routers/settings";
import { usageRouter } from "./routers/usage";
import { usersRouter } from "./routers/users";

export const appRouter = router({
  adminHome: adminHomeRouter,
  providers: providersRouter,
  models: modelsRouter,
  users: usersRouter,
  keys: keysRouter,
  quotas: quotasRouter,
  ipRules: ipRulesRouter,
  settings: settingsRouter,
  audit: auditRouter,
  usage: usageRouter,
  playground: playgroundRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
