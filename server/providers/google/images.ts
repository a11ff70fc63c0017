/**
 * OpenAI image generation ↔ Imagen `:predict` on the Gemini API (https://ai.google.dev/gemini-api/docs/imagen).
 * Imagen takes an aspect ratio rather than pixel sizes, and always answers with base64 bytes, so the OpenAI
 * answer is always `b64_json` whatever response_format asked for.
 */
import type {
  ImageGenerateParams,
  ImagesAdapter,
  ImagesResponse,
  TokenUsage,
  UpstreamRequest,
  UpstreamTarget,
} from "../types";
import { geminiUrl, googleHeaders, GoogleRequestError } from "./request";
import { createdAt } from "./response";

/** The aspect ratios Imagen accepts. */
const RATIOS: [[string, number], ...Array<[string, number]>] = [
  ["1:1", 1],
  ["3:4", 3 / 4],
  ["4:3", 4 / 3],
  ["9:16", 9 / 16],
  ["16:9", 16 / 9],
];

/** "1792x1024" → "16:9": the supported ratio closest on a log scale (so 2:1 and 1:2 are treated alike). */
export function aspectRatioFor(size: string | null | undefined): string | undefined {
  const match = size ? /^(\d+)x(\d+)$/.exec(size) : null;
  if (!match) return undefined; // "auto" or absent: Imagen's default (1:1)
  const wanted = Math.log(Number(match[1]) / Number(match[2]));
  let best = RATIOS[0];
  for (const ratio of RATIOS) {
    if (Math.abs(Math.log(ratio[1]) - wanted) < Math.abs(Math.log(best[1]) - wanted)) best = ratio;
  }
  return best[0];
}

export function toPredictRequest(body: ImageGenerateParams): Record<string, unknown> {
  if (!body.prompt) throw new GoogleRequestError("Image prompt must not be empty");
  const aspectRatio = aspectRatioFor(body.size);
  return {
    instances: [{ prompt: body.prompt }],
    parameters: { sampleCount: body.n ?? 1, ...(aspectRatio ? { aspectRatio } : {}) },
  };
}

export function buildImageRequest(body: ImageGenerateParams, target: UpstreamTarget): UpstreamRequest {
  return {
    url: geminiUrl(target.baseUrl, target.model, "predict"),
    method: "POST",
    headers: googleHeaders(target.secret),
    body: JSON.stringify(toPredictRequest(body)),
  };
}

interface Prediction {
  bytesBase64Encoded?: string;
  mimeType?: string;
  /** Imagen's rewritten prompt, when prompt enhancement ran. */
  prompt?: string;
  /** Set instead of the bytes when Responsible AI filtering dropped the image. */
  raiFilteredReason?: string;
}

const FORMATS: Record<string, "png" | "jpeg" | "webp"> = {
  "image/png": "png",
  "image/jpeg": "jpeg",
  "image/webp": "webp",
};

export function parseImageResponse(
  json: unknown,
  target: UpstreamTarget,
): { response: ImagesResponse; usage: TokenUsage | null } {
  const predictions = ((json ?? {}) as { predictions?: Prediction[] }).predictions ?? [];
  const images = predictions.filter((p) => p.bytesBase64Encoded);
  const response: ImagesResponse = {
    created: createdAt(target),
    data: images.map((p) => ({ b64_json: p.bytesBase64Encoded, ...(p.prompt ? { revised_prompt: p.prompt } : {}) })),
  };
  const format = images[0]?.mimeType ? FORMATS[images[0].mimeType] : undefined;
  if (format) response.output_format = format;
  // Images are priced per image by the gateway; Imagen reports no tokens.
  return { response, usage: null };
}

export const googleImages: ImagesAdapter = { buildImageRequest, parseImageResponse };
