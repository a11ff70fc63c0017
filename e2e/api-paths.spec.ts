/**
 * Unknown paths under the API prefixes against the production build, where Remix itself ranks the splat routes
 * below the exact ones: JSON 404s in OpenAI's error shape (Anthropic's under the Messages API), JSON 405s for a
 * wrong method, never the HTML not-found page, and the existing endpoints unaffected.
 */
import { expect, test } from "./fixtures/test";

test("unknown API paths answer JSON in the caller's error shape, not HTML", async ({ request, hub }) => {
  for (const [method, path] of [
    ["GET", "/v1/assistants"],
    ["POST", "/v1/threads/abc/runs"],
    ["DELETE", "/api/v2/files/f1"],
    ["PUT", "/api/v1/x"],
    ["GET", "/v1"],
  ]) {
    const response = await request.fetch(hub.url + path, {
      method,
      data: method === "GET" || method === "DELETE" ? undefined : {},
    });
    expect(response.status(), `${method} ${path}`).toBe(404);
    expect(response.headers()["content-type"], `${method} ${path}`).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({
      error: {
        message: expect.stringContaining(`${method} ${path}`),
        type: "invalid_request_error",
        code: "not_found",
        param: null,
      },
    });
  }

  for (const path of ["/v1/messages/batches?beta=true", "/api/v2/messages/batches/b1/results"]) {
    const response = await request.post(hub.url + path, {
      data: { model: "claude-sonnet-4-5", max_tokens: 1, messages: [] },
    });
    expect(response.status(), path).toBe(404);
    const body = await response.json();
    expect(body).toMatchObject({ type: "error", error: { type: "not_found_error" } });
    expect(body.request_id).toBe(response.headers()["x-request-id"]);
  }

  for (const [method, path] of [
    ["GET", "/v1/chat/completions"],
    ["GET", "/v1/chat/completions/"],
    ["POST", "/api/v2/models"],
    ["PATCH", "/v1/embeddings"],
  ]) {
    const response = await request.fetch(hub.url + path, { method, data: method === "GET" ? undefined : {} });
    expect(response.status(), `${method} ${path}`).toBe(405);
    expect((await response.json()).error.code, `${method} ${path}`).toBe("method_not_allowed");
  }

  // Still served: discovery without a key, and the model list's own 401 (not a 404) without one.
  expect((await request.get(hub.url + "/api/v2/status?model=mock/mock-chat")).headers()["content-type"]).toMatch(
    /json/,
  );
  const models = await request.get(hub.url + "/v1/models");
  expect(models.status()).toBe(401);
  expect((await models.json()).error.type).toBe("authentication_error");
  // Pages outside the API prefixes keep the HTML not-found page.
  const page = await request.get(hub.url + "/no-such-page");
  expect(page.status()).toBe(404);
  expect(page.headers()["content-type"]).toMatch(/text\/html/);
});
