/**
 * What POST /v1/responses accepts (docs/responses-api.md): OpenAI's Responses body, checked where a mistake would
 * otherwise reach the provider or the bill. Items and tools stay loose: the decoder (./decode.ts) reads the kinds it
 * knows and leaves the rest out, noting what it left out.
 */
import { z } from "zod";

const item = z.looseObject({ type: z.string().optional(), role: z.string().optional() });

export const responsesBodySchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(item)]).optional(),
  instructions: z.string().nullable().optional(),
  previous_response_id: z.string().min(1).nullable().optional(),
  store: z.boolean().nullable().optional(),
  stream: z.boolean().nullable().optional(),
  tools: z.array(z.looseObject({ type: z.string() })).optional(),
  tool_choice: z.union([z.enum(["auto", "none", "required"]), z.looseObject({ type: z.string() })]).optional(),
  parallel_tool_calls: z.boolean().nullable().optional(),
  text: z
    .looseObject({ format: z.looseObject({ type: z.enum(["text", "json_object", "json_schema"]) }).optional() })
    .nullable()
    .optional(),
  reasoning: z.looseObject({ effort: z.string().nullable().optional() }).nullable().optional(),
  max_output_tokens: z.number().int().positive().nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
  include: z.array(z.string()).nullable().optional(),
  prompt_cache_key: z.string().nullable().optional(),
  user: z.string().optional(),
});

export type ResponsesBody = z.infer<typeof responsesBodySchema>;
/** One Responses input or output item, as loose JSON. */
export type Item = Record<string, unknown> & { type?: string; role?: string };
