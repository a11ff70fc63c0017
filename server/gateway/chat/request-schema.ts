/**
 * What /chat/completions accepts: the OpenAI Chat Completions body, checked where a mistake would otherwise reach
 * the provider (or the bill); every other field passes through untouched to OpenAI-compatible providers.
 * https://platform.openai.com/docs/api-reference/chat/create
 */
import { z } from "zod";

const contentPart = z.looseObject({ type: z.string() });

const message = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool", "function"]),
  content: z.union([z.string(), z.array(contentPart), z.null()]).optional(),
  tool_calls: z
    .array(
      z.looseObject({
        id: z.string(),
        type: z.string(),
        function: z.looseObject({ name: z.string(), arguments: z.string() }),
      }),
    )
    .optional(),
  tool_call_id: z.string().optional(),
});

const positiveInt = z.number().int().positive();

export const chatBodySchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(message).min(1, "messages must contain at least one message"),
  stream: z.boolean().nullable().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  max_tokens: positiveInt.nullable().optional(),
  max_completion_tokens: positiveInt.nullable().optional(),
  n: z.number().int().min(1).max(8).nullable().optional(),
  stop: z
    .union([z.string(), z.array(z.string()).max(4)])
    .nullable()
    .optional(),
  tools: z.array(z.looseObject({ type: z.string() })).optional(),
  tool_choice: z.union([z.enum(["auto", "none", "required"]), z.looseObject({ type: z.string() })]).optional(),
  response_format: z.looseObject({ type: z.enum(["text", "json_object", "json_schema"]) }).optional(),
  user: z.string().optional(),
});

export type ChatBody = z.infer<typeof chatBodySchema>;
