import { describe, expect, it } from "vitest";
import { requestSnippets } from "./request-snippets";

const chat = {
  kind: "chat" as const,
  body: { model: "mock/mock-chat", messages: [{ role: "user", content: 'It\'s "quoted"' }], temperature: 0.2 },
};

describe("requestSnippets", () => {
  it("points every snippet at the public API with the key as a placeholder, never a real key", () => {
    const snippets = requestSnippets("https://hub.example.com/", chat);
    expect(snippets.map((s) => s.label)).toEqual([
      "curl",
      "TypeScript",
      "Python",
      "@aigne/aigne-hub",
      "Responses curl",
      "Responses SDK",
      "Messages curl",
      "Messages SDK",
    ]);
    const [curl, ts, py, aigne] = snippets.map((s) => s.code);
    expect(curl).toContain("curl https://hub.example.com/api/v2/chat/completions");
    expect(curl).toContain("Authorization: Bearer $AI_HUB_KEY");
    expect(curl).toContain(`It'\\''s`); // the single quote survives the shell quoting
    expect(ts).toContain('baseURL: "https://hub.example.com/api/v2"');
    expect(ts).toContain("process.env.AI_HUB_KEY");
    expect(ts).toContain('"temperature": 0.2');
    expect(py).toContain('os.environ["AI_HUB_KEY"]');
    expect(py).toContain("stream=True,");
    expect(aigne).toContain('baseURL: "https://hub.example.com"');
    expect(aigne).toContain('"aignehub/mock/mock-chat"');
    expect(aigne).toContain('"temperature": 0.2');
    for (const s of snippets) expect(s.code).not.toMatch(/\/api\/playground/);
  });

  it("writes image and embedding requests against their endpoints", () => {
    const [curl, , py] = requestSnippets("http://localhost:3000", {
      kind: "image",
      body: { model: "mock/mock-image", prompt: "dot", n: 2, size: "512x512" },
    }).map((s) => s.code);
    expect(curl).toContain("/api/v2/images/generations");
    expect(py).toContain('size="512x512",');
    const [ecurl] = requestSnippets("http://localhost:3000", {
      kind: "embedding",
      body: { model: "mock/mock-embedding", input: "hi" },
    }).map((s) => s.code);
    expect(ecurl).toContain("/api/v2/embeddings");
  });

  it("writes a chat as OpenAI Responses and Anthropic Messages requests too, system text apart for Messages", () => {
    const request = {
      kind: "chat" as const,
      body: {
        model: "mock/mock-chat",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Hi" },
        ],
        temperature: 0.5,
        max_tokens: 200,
      },
    };
    const byId = Object.fromEntries(requestSnippets("https://hub.example.com", request).map((s) => [s.id, s.code]));
    const sent = (code: string) => JSON.parse(/-d '([\s\S]*)'$/.exec(code)![1]!) as Record<string, unknown>;

    expect(byId["responses-curl"]).toContain("curl https://hub.example.com/api/v2/responses");
    expect(sent(byId["responses-curl"]!)).toEqual({
      model: "mock/mock-chat",
      input: request.body.messages,
      temperature: 0.5,
      max_output_tokens: 200,
      stream: true,
    });
    expect(byId["responses-sdk"]).toContain("client.responses.create(");
    expect(byId["responses-sdk"]).toContain('baseURL: "https://hub.example.com/api/v2"');

    expect(byId["messages-curl"]).toContain("curl https://hub.example.com/v1/messages");
    expect(byId["messages-curl"]).toContain('-H "x-api-key: $AI_HUB_KEY"');
    expect(byId["messages-curl"]).toContain('-H "anthropic-version: 2023-06-01"');
    expect(sent(byId["messages-curl"]!)).toEqual({
      model: "mock/mock-chat",
      max_tokens: 200,
      system: "Be brief.",
      messages: [{ role: "user", content: "Hi" }],
      temperature: 0.5,
      stream: true,
    });
    expect(byId["messages-sdk"]).toContain('import Anthropic from "@anthropic-ai/sdk"');
    expect(byId["messages-sdk"]).toContain('baseURL: "https://hub.example.com"');
    expect(byId["messages-sdk"]).toContain("client.messages.create(");
  });

  it("gives Messages a max_tokens when the playground has none, and no agent-API tabs for images or embeddings", () => {
    const bare = { kind: "chat" as const, body: { model: "m", messages: [{ role: "user", content: "x" }] } };
    const [messages] = requestSnippets("http://localhost:3000", bare).filter((s) => s.id === "messages-curl");
    expect(messages!.code).toContain('"max_tokens": 1024');
    expect(
      requestSnippets("http://localhost:3000", { kind: "embedding", body: { model: "m", input: "x" } }),
    ).toHaveLength(4);
  });
});
