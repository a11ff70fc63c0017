/** The admin home's numbers (owner and admin): server/admin/home.server.ts gathers them in one call. */
import { getAdminHome } from "../../admin/home.server";
import { adminProcedure, router } from "../init";

export const adminHomeRouter = router({
  get: adminProcedure.query(() => getAdminHome()),
});
