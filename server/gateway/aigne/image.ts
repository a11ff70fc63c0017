/**
 * AIGNE Hub's image envelope (`POST /api/v2/image`, docs/aigne-protocol.md, "POST /api/v2/image") ↔ OpenAI image generation.
 *
 * AIGNEHubImageModel posts `{input: {prompt, modelOptions: {model, ...}, n?, size?, quality?, image?,
 * outputFileType: "url"}, agent, options: {streaming: false}}`. Like @aigne/openai's image model, options may sit in
 * `input` or `input.modelOptions` (input wins). The client always says outputFileType "url" and then downloads URLs
 * without our key, so we ask the provider for base64 and answer inline as `file` parts.
 */
import { z } from "zod";
import { HubError } from "../../errors";
import type { ImageGenerateParams, ImagesResponse } from "../../providers/types";
import { parseWith } from "./envelope";

/** AIGNE_HUB_IMAGE_MODEL in @aigne/aigne-hub's constants. */
const AIGNE_DEFAULT_IMAGE_MODEL = "openai/gpt-image-1";

const imageOptions = {
  n: z.number().int().min(1).max(10).nullish(),
  size: z.string().min(1).nullish(),
  quality: z.string().min(1).nullish(),
};

const aigneImageEnvelopeSchema = z.looseObject({
  input: z.looseObject({
    prompt: z.string().min(1),
    model: z.string().min(1).nullish(),
    modelOptions: z.looseObject({ model: z.string().min(1).nullish(), ...imageOptions }).nullish(),
    image: z.array(z.unknown()).nullish(),
    outputFileType: z.enum(["local", "file", "url"]).nullish(),
    ...imageOptions,
  }),
  model: z.string().min(1).nullish(),
});

export interface AigneImageEnvelope {
  /** Always has a model (the client's default when none was sent). */
  request: ImageGenerateParams & { model: string };
  /** What the client said it wants; informational only, see the header comment. */
  outputFileType: "local" | "file" | "url" | undefined;
}

export function parseAigneImageEnvelope(json: unknown): AigneImageEnvelope {
  const { input, model } = parseWith(aigneImageEnvelopeSchema, json);
  if (input.image?.length) {
    throw new HubError(
      "invalid_input",
      "Image editing (input.image) is not supported on /api/v2/image; send a prompt only.",
      "input.image",
    );
  }
  const options = input.modelOptions ?? {};
  const n = input.n ?? options.n;
  const size = input.size ?? options.size;
  const quality = input.quality ?? options.quality;
  const request: AigneImageEnvelope["request"] = {
    model: options.model ?? input.model ?? model ?? AIGNE_DEFAULT_IMAGE_MODEL,
    prompt: input.prompt,
    ...(n != null ? { n } : {}),
    // Provider-specific values ("1536x1024", "hd", "high") are checked by the provider, not here.
    ...(size != null ? { size: size as ImageGenerateParams["size"] } : {}),
    ...(quality != null ? { quality: quality as ImageGenerateParams["quality"] } : {}),
    response_format: "b64_json",
  };
  return { request, outputFileType: input.outputFileType ?? undefined };
}

export interface AigneImageResponseInfo {
  model: string;
  /** Token counts when known; otherwise taken from the provider's `usage`, else 0 (the client requires numbers). */
  usage?: { inputTokens: number; outputTokens: number };
  credits?: number;
}

export type AigneImage =
  { type: "file"; data: string; mimeType: string } | { type: "url"; url: string; mimeType: string };

export interface AigneImageResponse {
  images: AigneImage[];
  usage: { inputTokens: number; outputTokens: number; aigneHubCredits?: number };
  model: string;
}

export function toAigneImageResponse(images: ImagesResponse, info: AigneImageResponseInfo): AigneImageResponse {
  const mimeType = `image/${images.output_format ?? "png"}`;
  const out: AigneImage[] = (images.data ?? []).flatMap((image): AigneImage[] => {
    if (image.b64_json) return [{ type: "file", data: image.b64_json, mimeType }];
    if (image.url) return [{ type: "url", url: image.url, mimeType }];
    return [];
  });
  const usage: AigneImageResponse["usage"] = {
    inputTokens: info.usage?.inputTokens ?? images.usage?.input_tokens ?? 0,
    outputTokens: info.usage?.outputTokens ?? images.usage?.output_tokens ?? 0,
  };
  if (info.credits !== undefined) usage.aigneHubCredits = info.credits;
  return { images: out, usage, model: info.model };
}
