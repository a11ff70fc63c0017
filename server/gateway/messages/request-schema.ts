/**
 * What /v1/messages accepts (docs/messages-api.md): Anthropic's Messages body, checked where a mistake would
 * otherwise reach the provider or the bill. Everything else (thinking, context_management, output_config,
 * metadata, typed tools, cache_control, fields added after this was written) passes: unchanged to a provider
 * that speaks Messages natively, and left out where a translated provider has no equivalent.
 */
import { z } from "zod";

const block = z.looseObject({ type: z.string() });
const content = z.union([z.string(), z.array(block)]);

const message = z.looseObject({
  // "system" inside messages is new in 2026 (Claude Code sends it at varying positions).
  role: z.enum(["user", "assistant", "system"]),
  content,
});

const positiveInt = z.number().int().positive();

const common = {
  model: z.string().min(1),
  messages: z.array(message).min(1, "messages must contain at least one message"),
  system: content.optional(),
  tools: z.array(z.looseObject({ name: z.string() })).optional(),
  tool_choice: z.looseObject({ type: z.enum(["auto", "any", "tool", "none"]), name: z.string().optional() }).optional(),
};

export const messagesBodySchema = z.looseObject({
  ...common,
  max_tokens: positiveInt,
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: positiveInt.optional(),
  stop_sequences: z.array(z.string()).optional(),
  metadata: z.looseObject({}).optional(),
});

export const countTokensBodySchema = z.looseObject(common);

export type MessagesBody = z.infer<typeof messagesBodySchema>;
export type MessageParam = z.infer<typeof message>;
export type Block = z.infer<typeof block>;
