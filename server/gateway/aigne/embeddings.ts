/**
 * `POST /api/v2/embeddings` body → an OpenAI embeddings request (docs/aigne-protocol.md, "Other AIGNE paths").
 *
 * Two shapes arrive here: OpenAI's `{model, input, encoding_format?, dimensions?}` and, from AIGNE Hub's newer
 * clients, the envelope `{input: {input, modelOptions: {model}}}`. They are told apart by shape: OpenAI's
 * `input` is a string or an array, the envelope's is an object.
 */
import { z } from "zod";
import { HubError } from "../../errors";
import type { EmbeddingCreateParams } from "../../providers/types";
import { parseWith } from "./envelope";

// string | string[] | number[] (tokens) | number[][] (token arrays), as OpenAI documents it.
const embeddingInput = z.union([
  z.string(),
  z.array(z.string()).min(1),
  z.array(z.number().int()).min(1),
  z.array(z.array(z.number().int()).min(1)).min(1),
]);

const options = {
  encoding_format: z.enum(["float", "base64"]).nullish(),
  dimensions: z.number().int().positive().nullish(),
  user: z.string().nullish(),
};

const openAIShape = z.looseObject({ model: z.string().min(1), input: embeddingInput, ...options });

const envelopeShape = z.looseObject({
  input: z.looseObject({
    input: embeddingInput,
    modelOptions: z
      .looseObject({
        model: z.string().min(1).nullish(),
        dimensions: options.dimensions,
        encodingFormat: options.encoding_format,
      })
      .nullish(),
  }),
  // AIGNE Hub's envelope may carry the model at the top too.
  model: z.string().min(1).nullish(),
});

export function parseEmbeddingsBody(json: unknown): EmbeddingCreateParams {
  if (!isEnvelope(json)) {
    const body = parseWith(openAIShape, json);
    return withOptions({ model: body.model, input: body.input }, body.encoding_format, body.dimensions, body.user);
  }
  const { input, model } = parseWith(envelopeShape, json);
  const resolved = input.modelOptions?.model ?? model;
  if (!resolved) {
    throw new HubError(
      "invalid_input",
      "Invalid input.modelOptions.model: a model is required.",
      "input.modelOptions.model",
    );
  }
  return withOptions(
    { model: resolved, input: input.input },
    input.modelOptions?.encodingFormat,
    input.modelOptions?.dimensions,
  );
}

function isEnvelope(json: unknown): boolean {
  const input = (json as { input?: unknown } | null)?.input;
  return typeof input === "object" && input !== null && !Array.isArray(input);
}

function withOptions(
  body: EmbeddingCreateParams,
  encodingFormat: "float" | "base64" | null | undefined,
  dimensions: number | null | undefined,
  user?: string | null,
): EmbeddingCreateParams {
  if (encodingFormat) body.encoding_format = encodingFormat;
  if (dimensions != null) body.dimensions = dimensions;
  if (user) body.user = user;
  return body;
}
