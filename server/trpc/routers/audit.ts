/** The audit log (admin): filter by actor, action and time; one entry's detail with before and after. */
import { z } from "zod";
import { getAuditEntry, listAuditActions, listAuditEntries } from "../../admin/audit-log.server";
import { adminProcedure, router } from "../init";
import { dateSchema, idSchema } from "../schemas";

export const auditRouter = router({
  list: adminProcedure
    .input(
      z
        .object({
          actor: z.string().trim().max(200).optional(),
          action: z.string().trim().max(100).optional(),
          from: dateSchema.optional(),
          to: dateSchema.optional(),
          cursor: z.string().max(200).nullish(),
          limit: z.number().int().min(1).max(200).optional(),
        })
        .optional(),
    )
    .query(({ input }) => listAuditEntries({ ...input, cursor: input?.cursor ?? undefined })),

  get: adminProcedure.input(z.object({ id: idSchema })).query(({ input }) => getAuditEntry(input.id)),

  actions: adminProcedure.query(() => listAuditActions()),
});
