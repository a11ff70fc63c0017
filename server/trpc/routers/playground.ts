/**
 * The playground's saved conversations and its model list (docs/decisions/006-playground.md). Every procedure works on the caller's own
 * rows: the user id comes from the session, never from the input.
 */
import { z } from "zod";
import {
  deleteConversation,
  getConversation,
  listConversations,
  renameConversation,
  saveExchange,
} from "../../playground/conversations.server";
import { listPlaygroundModels } from "../../playground/models.server";
import { protectedProcedure, router } from "../init";
import { idSchema } from "../schemas";

const metric = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable();

const exchangeSchema = z.object({
  conversationId: idSchema.nullish(),
  model: z.string().trim().min(1).max(200),
  systemPrompt: z.string().max(32_000).nullable(),
  params: z.object({
    temperature: z.number().min(0).max(2).optional(),
    topP: z.number().min(0).max(1).optional(),
    maxTokens: z.number().int().min(1).max(1_000_000).optional(),
  }),
  prompt: z.string().min(1).max(200_000),
  answer: z.string().max(1_000_000),
  requestId: z.string().max(128).nullable(),
  seen: z.object({ inputTokens: metric, outputTokens: metric, ttftMs: metric, durationMs: metric, costMicro: metric }),
});

export const playgroundRouter = router({
  models: protectedProcedure.query(() => listPlaygroundModels()),

  list: protectedProcedure.query(({ ctx }) => listConversations(ctx.user.id)),

  get: protectedProcedure
    .input(z.object({ id: idSchema }))
    .query(({ ctx, input }) => getConversation(ctx.user.id, input.id)),

  rename: protectedProcedure
    .input(
      z.object({
        id: idSchema,
        title: z.string().trim().min(1, "is required").max(80, "is longer than 80 characters"),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await renameConversation(ctx.user.id, input.id, input.title);
      return { ok: true as const };
    }),

  delete: protectedProcedure.input(z.object({ id: idSchema })).mutation(async ({ ctx, input }) => {
    await deleteConversation(ctx.user.id, input.id);
    return { ok: true as const };
  }),

  saveExchange: protectedProcedure.input(exchangeSchema).mutation(({ ctx, input }) => saveExchange(ctx.user.id, input)),
});
