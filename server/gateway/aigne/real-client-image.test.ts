/**
 * End-to-end proof for images and model discovery against AIGNE's real client, @aigne/aigne-hub 0.10.16: a
 * node:http server on 127.0.0.1 serves `/__blocklet__.js`, `/api/ai/models` and `POST /api/v2/image` with this
 * folder's translations (aigne-protocol.md §2, §4); AIGNEHubImageModel and AIGNEHubChatModel call it.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { AIGNEHubChatModel, AIGNEHubImageModel } from "@aigne/aigne-hub";
import type { ImagesResponse } from "openai/resources/images";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { toErrorBody } from "../../errors";
import { blockletJson, toAigneModelList } from "./discovery";
import { parseAigneImageEnvelope, toAigneImageResponse, type AigneImageEnvelope } from "./image";

// 1x1 PNG.
const PNG_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
const API_KEY = "aih_test_0123456789";
// The client reads these (utils/constants.js, aigne-hub-image-model.js); pin them so the machine's environment cannot redirect it.
const CLIENT_ENV = ["BLOCKLET_AIGNE_API_PROVIDER", "BLOCKLET_AIGNE_API_MODEL", "BLOCKLET_AIGNE_API_CREDENTIAL", "AIGNE_HUB_API_KEY", "BLOCKLET_AIGNE_API_URL"];

let server: Server;
let origin: string;
let answerImage: (request: AigneImageEnvelope["request"]) => ImagesResponse;
const seen: Array<{ method: string; path: string; headers: IncomingHttpHeaders; body: unknown }> = [];
const savedEnv = new Map<string, string | undefined>();

const models = toAigneModelList([
  { provider: "openai", providerDisplayName: "OpenAI", model: "gpt-4o-mini", type: "chat", inputCreditsPerToken: "0.00000015", outputCreditsPerToken: "0.0000006", available: true },
  { provider: "openai", providerDisplayName: "OpenAI", model: "gpt-image-1", type: "image", inputCreditsPerToken: "0", outputCreditsPerToken: "0.04", available: false, metadata: { max: 4 } },
]);

function send(res: ServerResponse, status: number, json: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(json));
}

beforeAll(async () => {
  for (const name of CLIENT_ENV) {
    savedEnv.set(name, process.env[name]);
    delete process.env[name];
  }
  server = createServer(async (req, res) => {
    let raw = "";
    for await (const c of req) raw += c;
    const url = new URL(req.url ?? "/", "http://localhost");
    const body = raw ? JSON.parse(raw) : undefined;
    seen.push({ method: req.method ?? "", path: url.pathname + url.search, headers: req.headers, body });
    try {
      if (url.pathname === "/__blocklet__.js" && url.searchParams.get("type") === "json") return send(res, 200, blockletJson());
      if (url.pathname === "/api/ai/models") return send(res, 200, models.filter((m) => m.type === url.searchParams.get("type")));
      if (url.pathname === "/files/dot.png") {
        res.writeHead(200, { "content-type": "image/png" });
        return res.end(Buffer.from(PNG_BASE64, "base64"));
      }
      if (req.method === "POST" && url.pathname === "/api/v2/image") {
        const { request } = parseAigneImageEnvelope(body);
        return send(res, 200, toAigneImageResponse(answerImage(request), { model: request.model, credits: 0.04 }));
      }
      send(res, 404, { error: { message: `no route ${url.pathname}`, type: "invalid_request_error" } });
    } catch (error) {
      const { status, body: errorBody } = toErrorBody(error);
      send(res, status, errorBody);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  for (const [name, value] of savedEnv) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

beforeEach(() => {
  seen.length = 0;
});

const imageModel = () => new AIGNEHubImageModel({ baseURL: origin, apiKey: API_KEY, model: "aignehub/openai/gpt-image-1" });

describe("AIGNEHubImageModel against our translations", () => {
  it("gets base64 images inline as files, with usage and credits", async () => {
    answerImage = (request) => ({
      created: 1,
      data: Array.from({ length: request.n ?? 1 }, () => ({ b64_json: PNG_BASE64 })),
      usage: { input_tokens: request.prompt.length, output_tokens: 272, total_tokens: 0, input_tokens_details: { image_tokens: 0, text_tokens: 0 } },
    });
    const out = await imageModel().invoke({ prompt: "a red dot", n: 2, outputFileType: "file", modelOptions: { size: "1024x1024" } });
    expect(out.images).toEqual([
      { type: "file", data: PNG_BASE64, mimeType: "image/png" },
      { type: "file", data: PNG_BASE64, mimeType: "image/png" },
    ]);
    expect(out.usage).toEqual({ inputTokens: "a red dot".length, outputTokens: 272, aigneHubCredits: 0.04 });
    expect(out.model).toBe("openai/gpt-image-1");

    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(["GET /__blocklet__.js?type=json", "POST /api/v2/image"]);
    const post = seen[1];
    expect(post.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(post.body).toMatchObject({ input: { prompt: "a red dot", n: 2, outputFileType: "url" }, options: { streaming: false } });
    expect(parseAigneImageEnvelope(post.body).request).toEqual({
      model: "openai/gpt-image-1",
      prompt: "a red dot",
      n: 2,
      size: "1024x1024",
      response_format: "b64_json",
    });
  });

  it("downloads url images without our key, which is why the hub answers inline", async () => {
    answerImage = () => ({ created: 1, data: [{ url: `${origin}/files/dot.png` }] });
    const out = await imageModel().invoke({ prompt: "dot", outputFileType: "file" });
    expect(out.images).toEqual([{ type: "file", data: PNG_BASE64, mimeType: "image/png" }]);
    const download = seen.find((s) => s.path === "/files/dot.png")!;
    expect(download.headers.authorization).toBeUndefined();
  });

  it("raises our validation error, naming the field", async () => {
    await expect(imageModel().invoke({ prompt: "dot", image: [{ type: "file", data: PNG_BASE64 }] })).rejects.toThrow("input.image");
  });
});

describe("models() against toAigneModelList", () => {
  it("parses our list with the client's schema; it ignores baseURL and needs BLOCKLET_AIGNE_API_URL", async () => {
    process.env.BLOCKLET_AIGNE_API_URL = origin;
    try {
      const strip = (type: string) => models.filter((m) => m.type === type).map(({ key: _key, ...rest }) => rest); // zod drops `key`
      expect(await new AIGNEHubChatModel({ baseURL: origin, apiKey: API_KEY }).models()).toEqual(strip("chat"));
      expect(await imageModel().models()).toEqual(strip("image"));
      expect(seen.map((s) => s.path)).toContain("/api/ai/models?type=image");
      expect(seen.every((s) => s.headers.authorization === undefined)).toBe(true);
    } finally {
      delete process.env.BLOCKLET_AIGNE_API_URL;
    }
  });
});
