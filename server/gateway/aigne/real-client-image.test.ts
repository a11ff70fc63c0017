/**
 * End-to-end proof for images and model discovery against AIGNE's real client, @aigne/aigne-hub 0.10.16: a
 * node:http server on 127.0.0.1 serves `/__blocklet__.js`, `/api/ai/models` and `POST /api/v2/image` with this
 * folder's translations (docs/aigne-protocol.md, "Discovery" and "POST /api/v2/image"); AIGNEHubImageModel and AIGNEHubChatModel call it.
 */
import { AIGNEHubChatModel, AIGNEHubImageModel } from "@aigne/aigne-hub";
import type { ImagesResponse } from "openai/resources/images";
import { describe, expect, it } from "vitest";
import { defined } from "@test/helpers/defined";
import { toAigneModelList } from "./discovery";
import { parseAigneImageEnvelope, toAigneImageResponse, type AigneImageEnvelope } from "./image";
import { send, useAigneTestServer } from "@test/helpers/aigne-test-server";

// 1x1 PNG.
const PNG_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
const API_KEY = "aih_test_0123456789";
// The client reads these (utils/constants.js, aigne-hub-image-model.js); pin them so the machine's environment cannot redirect it.
const CLIENT_ENV = [
  "BLOCKLET_AIGNE_API_PROVIDER",
  "BLOCKLET_AIGNE_API_MODEL",
  "BLOCKLET_AIGNE_API_CREDENTIAL",
  "AIGNE_HUB_API_KEY",
  "BLOCKLET_AIGNE_API_URL",
];

let answerImage: (request: AigneImageEnvelope["request"]) => ImagesResponse;

const models = toAigneModelList([
  {
    provider: "openai",
    providerDisplayName: "OpenAI",
    model: "gpt-4o-mini",
    type: "chat",
    inputCreditsPerToken: "0.00000015",
    outputCreditsPerToken: "0.0000006",
    available: true,
  },
  {
    provider: "openai",
    providerDisplayName: "OpenAI",
    model: "gpt-image-1",
    type: "image",
    inputCreditsPerToken: "0",
    outputCreditsPerToken: "0.04",
    available: false,
    metadata: { max: 4 },
  },
]);

const hub = useAigneTestServer({
  clientEnv: CLIENT_ENV,
  route: ({ method, url, body }, res) => {
    if (url.pathname === "/api/ai/models")
      return send(
        res,
        200,
        models.filter((m) => m.type === url.searchParams.get("type")),
      );
    if (url.pathname === "/files/dot.png") {
      res.writeHead(200, { "content-type": "image/png" });
      return void res.end(Buffer.from(PNG_BASE64, "base64"));
    }
    if (method === "POST" && url.pathname === "/api/v2/image") {
      const { request } = parseAigneImageEnvelope(body);
      send(res, 200, toAigneImageResponse(answerImage(request), { model: request.model, credits: 0.04 }));
    }
  },
});

const imageModel = () =>
  new AIGNEHubImageModel({ baseURL: hub.origin, apiKey: API_KEY, model: "aignehub/openai/gpt-image-1" });

describe("AIGNEHubImageModel against our translations", () => {
  it("gets base64 images inline as files, with usage and credits", async () => {
    answerImage = (request) => ({
      created: 1,
      data: Array.from({ length: request.n ?? 1 }, () => ({ b64_json: PNG_BASE64 })),
      usage: {
        input_tokens: request.prompt.length,
        output_tokens: 272,
        total_tokens: 0,
        input_tokens_details: { image_tokens: 0, text_tokens: 0 },
      },
    });
    const out = await imageModel().invoke({
      prompt: "a red dot",
      n: 2,
      outputFileType: "file",
      modelOptions: { size: "1024x1024" },
    });
    expect(out.images).toEqual([
      { type: "file", data: PNG_BASE64, mimeType: "image/png" },
      { type: "file", data: PNG_BASE64, mimeType: "image/png" },
    ]);
    expect(out.usage).toEqual({ inputTokens: "a red dot".length, outputTokens: 272, aigneHubCredits: 0.04 });
    expect(out.model).toBe("openai/gpt-image-1");

    expect(hub.seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      "GET /__blocklet__.js?type=json",
      "POST /api/v2/image",
    ]);
    const post = defined(hub.seen[1], "the POST");
    expect(post.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(post.body).toMatchObject({
      input: { prompt: "a red dot", n: 2, outputFileType: "url" },
      options: { streaming: false },
    });
    expect(parseAigneImageEnvelope(post.body).request).toEqual({
      model: "openai/gpt-image-1",
      prompt: "a red dot",
      n: 2,
      size: "1024x1024",
      response_format: "b64_json",
    });
  });

  it("downloads url images without our key, which is why the hub answers inline", async () => {
    answerImage = () => ({ created: 1, data: [{ url: `${hub.origin}/files/dot.png` }] });
    const out = await imageModel().invoke({ prompt: "dot", outputFileType: "file" });
    expect(out.images).toEqual([{ type: "file", data: PNG_BASE64, mimeType: "image/png" }]);
    const download = hub.seen.find((s) => s.path === "/files/dot.png")!;
    expect(download.headers.authorization).toBeUndefined();
  });

  it("raises our validation error, naming the field", async () => {
    await expect(imageModel().invoke({ prompt: "dot", image: [{ type: "file", data: PNG_BASE64 }] })).rejects.toThrow(
      "input.image",
    );
  });
});

describe("models() against toAigneModelList", () => {
  it("parses our list with the client's schema; it ignores baseURL and needs BLOCKLET_AIGNE_API_URL", async () => {
    process.env.BLOCKLET_AIGNE_API_URL = hub.origin;
    try {
      const strip = (type: string) => models.filter((m) => m.type === type).map(({ key: _key, ...rest }) => rest); // zod drops `key`
      expect(await new AIGNEHubChatModel({ baseURL: hub.origin, apiKey: API_KEY }).models()).toEqual(strip("chat"));
      expect(await imageModel().models()).toEqual(strip("image"));
      expect(hub.seen.map((s) => s.path)).toContain("/api/ai/models?type=image");
      expect(hub.seen.every((s) => s.headers.authorization === undefined)).toBe(true);
    } finally {
      delete process.env.BLOCKLET_AIGNE_API_URL;
    }
  });
});
