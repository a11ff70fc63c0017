import type { ImagesResponse } from "openai/resources/images";
import { describe, expect, it } from "vitest";
import { HubError } from "../../errors";
import { AIGNE_HUB_DID, blockletJson, toAigneModelList } from "./discovery";
import { parseEmbeddingsBody } from "./embeddings";
import { parseAigneImageEnvelope, toAigneImageResponse } from "./image";

function refused(run: () => unknown): HubError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(HubError);
    return error as HubError;
  }
  throw new Error("expected a HubError");
}

// What AIGNEHubImageModel posts (docs/aigne-protocol.md, "POST /api/v2/image"): options.streaming false, outputFileType forced to "url".
const imageBody = (input: Record<string, unknown>) => ({
  input: { prompt: "a red dot", modelOptions: { model: "openai/gpt-image-1" }, outputFileType: "url", ...input },
  agent: "$CHAT_MODEL",
  options: { streaming: false, userContext: {}, memories: [] },
});

describe("parseAigneImageEnvelope", () => {
  it("maps prompt, model, n, size and quality and always asks for base64", () => {
    expect(parseAigneImageEnvelope(imageBody({ n: 2, size: "1024x1024", quality: "high" }))).toEqual({
      request: {
        model: "openai/gpt-image-1",
        prompt: "a red dot",
        n: 2,
        size: "1024x1024",
        quality: "high",
        response_format: "b64_json",
      },
      outputFileType: "url",
    });
  });

  it("reads options from modelOptions too (input wins) and defaults the model to openai/gpt-image-1", () => {
    const { request } = parseAigneImageEnvelope({
      input: { prompt: "p", size: "512x512", modelOptions: { size: "256x256", quality: "hd", n: 3 } },
    });
    expect(request).toEqual({
      model: "openai/gpt-image-1",
      prompt: "p",
      n: 3,
      size: "512x512",
      quality: "hd",
      response_format: "b64_json",
    });
    expect(parseAigneImageEnvelope({ input: { prompt: "p", model: "openai/dall-e-3" } }).request.model).toBe(
      "openai/dall-e-3",
    );
  });

  it("names bad fields and refuses image edits", () => {
    expect(refused(() => parseAigneImageEnvelope(imageBody({ prompt: "" }))).param).toBe("input.prompt");
    expect(refused(() => parseAigneImageEnvelope(imageBody({ n: 0 }))).param).toBe("input.n");
    const edit = refused(() => parseAigneImageEnvelope(imageBody({ image: [{ type: "file", data: "AA==" }] })));
    expect(edit.param).toBe("input.image");
  });
});

describe("toAigneImageResponse", () => {
  it("answers base64 inline as file parts, urls as url parts, with usage numbers and credits", () => {
    const images: ImagesResponse = {
      created: 1,
      data: [{ b64_json: "iVBORw0KGgo=" }, { url: "https://img.example/1.png" }],
      usage: {
        input_tokens: 12,
        output_tokens: 4160,
        total_tokens: 4172,
        input_tokens_details: { image_tokens: 0, text_tokens: 12 },
      },
    };
    expect(toAigneImageResponse(images, { model: "gpt-image-1", credits: 0.04 })).toEqual({
      images: [
        { type: "file", data: "iVBORw0KGgo=", mimeType: "image/png" },
        { type: "url", url: "https://img.example/1.png", mimeType: "image/png" },
      ],
      usage: { inputTokens: 12, outputTokens: 4160, aigneHubCredits: 0.04 },
      model: "gpt-image-1",
    });
  });

  it("uses the provider's output format and zero usage when nothing is known", () => {
    const out = toAigneImageResponse(
      { created: 1, output_format: "webp", data: [{ b64_json: "UklGR" }] },
      { model: "m" },
    );
    expect(out.images[0]?.mimeType).toBe("image/webp");
    expect(out.usage).toEqual({ inputTokens: 0, outputTokens: 0 });
    expect(
      toAigneImageResponse({ created: 1 }, { model: "m", usage: { inputTokens: 1, outputTokens: 2 } }).usage,
    ).toEqual({
      inputTokens: 1,
      outputTokens: 2,
    });
  });
});

describe("parseEmbeddingsBody", () => {
  it("accepts OpenAI's shape", () => {
    expect(
      parseEmbeddingsBody({
        model: "text-embedding-3-small",
        input: ["a", "b"],
        dimensions: 256,
        encoding_format: "base64",
      }),
    ).toEqual({
      model: "text-embedding-3-small",
      input: ["a", "b"],
      dimensions: 256,
      encoding_format: "base64",
    });
    expect(parseEmbeddingsBody({ model: "m", input: [[1, 2], [3]] }).input).toEqual([[1, 2], [3]]);
  });

  it("accepts AIGNE's envelope, told apart by input being an object", () => {
    expect(
      parseEmbeddingsBody({
        input: { input: "hello", modelOptions: { model: "openai/text-embedding-3-small", dimensions: 64 } },
      }),
    ).toEqual({ model: "openai/text-embedding-3-small", input: "hello", dimensions: 64 });
    expect(parseEmbeddingsBody({ model: "top/m", input: { input: ["x"] } })).toEqual({ model: "top/m", input: ["x"] });
  });

  it("names what is missing or wrong in either shape", () => {
    expect(refused(() => parseEmbeddingsBody({ input: "x" })).param).toBe("model");
    expect(refused(() => parseEmbeddingsBody({ model: "m", input: [] })).param).toBe("input");
    expect(refused(() => parseEmbeddingsBody({ model: "m", input: "x", dimensions: -1 })).param).toBe("dimensions");
    expect(refused(() => parseEmbeddingsBody({ input: { input: "x" } })).param).toBe("input.modelOptions.model");
    expect(refused(() => parseEmbeddingsBody({ input: { input: 5, modelOptions: { model: "m" } } })).param).toBe(
      "input.input",
    );
  });
});

describe("discovery", () => {
  it("points AIGNE Hub's DID at the root", () => {
    expect(AIGNE_HUB_DID).toBe("z8ia3xzq2tMq8CRHfaXj1BTYJyYnEcHbqP8cJ");
    expect(blockletJson()).toEqual({
      componentMountPoints: [{ did: "z8ia3xzq2tMq8CRHfaXj1BTYJyYnEcHbqP8cJ", name: "ai-hub", mountPoint: "/" }],
    });
    expect(blockletJson("/hub").componentMountPoints[0]?.mountPoint).toBe("/hub");
  });

  it("lists models in the client's shape, credit rates as strings", () => {
    const list = toAigneModelList([
      {
        provider: "openai",
        providerDisplayName: "OpenAI",
        model: "gpt-4o-mini",
        type: "chat",
        inputCreditsPerToken: "0.00000015",
        outputCreditsPerToken: "0.0000006",
        available: true,
        metadata: { maxTokens: 16384 },
      },
      {
        provider: "openai",
        providerDisplayName: "OpenAI",
        model: "gpt-image-1",
        type: "image",
        inputCreditsPerToken: "0",
        outputCreditsPerToken: "0.04",
        available: false,
      },
    ]);
    expect(list).toEqual([
      {
        key: "openai/gpt-4o-mini",
        model: "gpt-4o-mini",
        type: "chat",
        provider: "openai",
        input_credits_per_token: "0.00000015",
        output_credits_per_token: "0.0000006",
        modelMetadata: { maxTokens: 16384 },
        providerDisplayName: "OpenAI",
        status: { available: true },
      },
      {
        key: "openai/gpt-image-1",
        model: "gpt-image-1",
        type: "image",
        provider: "openai",
        input_credits_per_token: "0",
        output_credits_per_token: "0.04",
        modelMetadata: null,
        providerDisplayName: "OpenAI",
        status: { available: false },
      },
    ]);
  });
});
