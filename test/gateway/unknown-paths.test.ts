/**
 * Paths under the API prefixes that no endpoint serves, over real HTTP (the production listener, the real route
 * modules, the splat routes ranked below the exact ones): any method gets a JSON 404 in OpenAI's error shape, in
 * Anthropic's under the Messages API's paths, and a wrong method on an existing endpoint a JSON 405. The existing
 * endpoints keep answering.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiServer, type ApiServer } from "@test/helpers/api-server";
import { errorProblems } from "@test/helpers/openai-shapes";
import { seedProvider, seedUserWithKey } from "@test/helpers/seed";
import { createTempHub, type TempHub } from "@test/helpers/temp-db";

let hub: TempHub;
let api: ApiServer;
let key: string;

beforeAll(async () => {
  hub = await createTempHub();
  await seedProvider({ kind: "mock", name: "mock" });
  ({ key } = await seedUserWithKey("paths@example.com"));
  api = await startApiServer();
});

afterAll(async () => {
  await api.close();
  await hub.cleanup();
});

function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return fetch(api.url + path, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];
const OPENAI_PATHS = [
  "/v1/assistants",
  "/v1/chat",
  "/v1/chat/completions/extra",
  "/api/v2/threads/abc/runs",
  "/api/v2/nothing",
  "/v1",
  "/api/v2",
];
const ANTHROPIC_PATHS = ["/v1/messages/batches", "/v1/messages/batches/msgbatch_1/results", "/api/v2/messages/unknown"];

describe("unknown paths under the API prefixes", () => {
  for (const path of OPENAI_PATHS) {
    it.each(METHODS)(`%s ${path} is a JSON 404 in OpenAI's error shape`, async (method) => {
      const response = await send(
        method,
        path,
        method === "GET" || method === "DELETE" ? undefined : { model: "mock/mock-chat" },
      );
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      const body = (await response.json()) as { error: Record<string, unknown> };
      expect(errorProblems(body)).toEqual([]);
      expect(body.error).toMatchObject({ type: "invalid_request_error", code: "not_found", param: null });
      expect(body.error.message).toContain(`${method} ${path}`);
    });
  }

  it("HEAD on an unknown path is a 404 with a JSON content type and no body", async () => {
    const response = await send("HEAD", "/v1/files");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.text()).toBe("");
  });

  for (const path of ANTHROPIC_PATHS) {
    it.each(["GET", "POST", "DELETE"])(`%s ${path} is a JSON 404 in Anthropic's error shape`, async (method) => {
      const response = await send(
        method,
        `${path}?beta=true`,
        method === "POST" ? { model: "claude-sonnet-4-5", max_tokens: 10, messages: [] } : undefined,
        {
          "x-request-id": "req-anthropic-404",
          "anthropic-version": "2023-06-01",
        },
      );
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      // The hub's own request id (the client's is only echoed as x-client-request-id), as on every answer.
      const hubId = response.headers.get("x-request-id");
      expect(hubId).toMatch(/^[0-9a-f-]{36}$/);
      expect(response.headers.get("request-id")).toBe(hubId);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toEqual({
        type: "error",
        error: { type: "not_found_error", message: expect.stringContaining(`${method} ${path}`) },
        request_id: hubId,
      });
    });
  }
});

describe("a wrong method on an existing endpoint", () => {
  it.each([
    ["GET", "/v1/chat/completions"],
    ["GET", "/api/v2/chat/completions"],
    ["PUT", "/v1/embeddings"],
    ["DELETE", "/api/v2/images/generations"],
    ["POST", "/v1/models"],
    ["GET", "/v1/chat/completions/"],
    ["POST", "/api/v2/models/"],
  ])("%s %s is a JSON 405 in OpenAI's error shape", async (method, path) => {
    const response = await send(method, path, method === "GET" || method === "DELETE" ? undefined : {});
    expect(response.status).toBe(405);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await response.json()) as { error: Record<string, unknown> };
    expect(errorProblems(body)).toEqual([]);
    expect(body.error.code).toBe("method_not_allowed");
  });
});

describe("methods a Web Request cannot carry", () => {
  it.each(["/v1/chat/completions", "/v1/nothing", "/"])("TRACE %s is a JSON 405, not a server error", async (path) => {
    const { status, type, body } = await new Promise<{ status: number; type: string; body: string }>(
      (resolve, reject) => {
        const req = http.request(api.url + path, { method: "TRACE" }, (res) => {
          let text = "";
          res.on("data", (c: Buffer) => (text += c.toString()));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), body: text }),
          );
        });
        req.once("error", reject);
        req.end();
      },
    );
    expect(status).toBe(405);
    expect(type).toMatch(/^application\/json/);
    expect(errorProblems(JSON.parse(body))).toEqual([]);
  });
});

describe("the existing endpoints still answer", () => {
  it.each(["/v1/chat/completions", "/api/v2/chat/completions", "/v1/chat/completions/"])("POST %s", async (path) => {
    const response = await send("POST", path, {
      model: "mock/mock-chat",
      messages: [{ role: "user", content: "still here?" }],
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]!.message.content).toContain("still here?");
  });

  it.each(["/v1/models", "/api/v2/models"])("GET %s", async (path) => {
    const response = await send("GET", path);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { object: string }).object).toBe("list");
  });

  it("POST /v1/embeddings", async () => {
    const response = await send("POST", "/v1/embeddings", { model: "mock/mock-embedding", input: "hi" });
    expect(response.status).toBe(200);
  });

  it("a path outside the API prefixes is not answered by them", async () => {
    const response = await send("GET", "/v10/models");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type") ?? "").not.toMatch(/json/);
  });
});
