/** Providers and their credentials (admin): add, edit, disable, delete, test; health and the last hour's calls. */
import { z } from "zod";
import { addCredential, deleteCredential, updateCredential } from "../../catalog/credentials.server";
import { testCredential } from "../../catalog/credential-test.server";
import { listProvidersForAdmin, providerKinds } from "../../catalog/provider-list.server";
import { addProvider, deleteProvider, publicCredential, updateProvider } from "../../catalog/providers.server";
import { PROVIDER_KINDS } from "../../providers/registry";
import { adminProcedure, router } from "../init";
import { idSchema, optionalUrl, secretSchema, weightSchema } from "../schemas";

const credentialName = z.string().trim().min(1, "is required").max(60, "is at most 60 characters");
const displayName = z.string().trim().min(1, "is required").max(80, "is at most 80 characters");

export const providersRouter = router({
  list: adminProcedure.query(() => listProvidersForAdmin()),
  kinds: adminProcedure.query(() => providerKinds()),

  create: adminProcedure
    .input(
      z.object({
        kind: z.enum(PROVIDER_KINDS, "choose a provider kind"),
        name: z.string().trim().min(1, "is required").max(40, "is at most 40 characters"),
        displayName: displayName.optional(),
        baseUrl: optionalUrl,
        apiKey: secretSchema,
        weight: weightSchema.optional(),
      }),
    )
    .mutation(async ({ input, ctx }) => {
      const { provider, credential } = await addProvider(
        { ...input, baseUrl: input.baseUrl || null, apiKey: input.apiKey || null },
        ctx.actor,
      );
      return { id: provider.id, name: provider.name, credential: credential && publicCredential(credential) };
    }),

  update: adminProcedure
    .input(
      z.object({
        id: idSchema,
        displayName: displayName.optional(),
        baseUrl: optionalUrl,
        enabled: z.boolean().optional(),
        allowAnyModel: z.boolean().optional(),
      }),
    )
    .mutation(async ({ input: { id, ...patch }, ctx }) => {
      const row = await updateProvider(
        id,
        { ...patch, baseUrl: patch.baseUrl === undefined ? undefined : patch.baseUrl || null },
        ctx.actor,
      );
      return { id: row.id, enabled: row.enabled };
    }),

  delete: adminProcedure.input(z.object({ id: idSchema })).mutation(async ({ input, ctx }) => {
    await deleteProvider(input.id, ctx.actor);
    return { ok: true as const };
  }),

  addCredential: adminProcedure
    .input(
      z.object({
        providerId: idSchema,
        name: credentialName,
        apiKey: secretSchema,
        baseUrl: optionalUrl,
        weight: weightSchema.optional(),
      }),
    )
    .mutation(async ({ input, ctx }) =>
      publicCredential(await addCredential({ ...input, baseUrl: input.baseUrl || null }, ctx.actor)),
    ),

  updateCredential: adminProcedure
    .input(
      z.object({
        id: idSchema,
        name: credentialName.optional(),
        apiKey: secretSchema,
        baseUrl: optionalUrl,
        weight: weightSchema.optional(),
        enabled: z.boolean().optional(),
      }),
    )
    .mutation(async ({ input: { id, ...patch }, ctx }) =>
      publicCredential(
        await updateCredential(
          id,
          { ...patch, baseUrl: patch.baseUrl === undefined ? undefined : patch.baseUrl || null },
          ctx.actor,
        ),
      ),
    ),

  deleteCredential: adminProcedure.input(z.object({ id: idSchema })).mutation(async ({ input, ctx }) => {
    await deleteCredential(input.id, ctx.actor);
    return { ok: true as const };
  }),

  /** One chat call of max_tokens 1: the latency, or the provider's error. */
  testCredential: adminProcedure
    .input(z.object({ id: idSchema, model: z.string().trim().max(200).optional() }))
    .mutation(({ input, ctx }) => testCredential(input.id, input.model || undefined, ctx.actor)),
});
