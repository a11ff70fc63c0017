import { describe, expect, it } from "vitest";
import { requestSnippets } from "./request-snippets";

const chat = { kind: "chat" as const, body: { model: "mock/mock-chat", messages: [{ role: "user", content: "It's \"quoted\"" }], temperature: 0.2 } };

describe("requestSnippets", () => {
  it("points every snippet at the public API with the key as a placeholder, never a real key", () => {
    const snippets = requestSnippets("https://hub.example.com/", chat);
    expect(snippets.map((s) => s.label)).toEqual(["curl", "TypeScript", "Python", "@aigne/aigne-hub"]);
    const [curl, ts, py, aigne] = snippets.map((s) => s.code);
    expect(curl).toContain("curl https://hub.example.com/api/v2/chat/completions");
    expect(curl).toContain('Authorization: Bearer $AI_HUB_KEY');
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
    const [curl, , py] = requestSnippets("http://localhost:3000", { kind: "image", body: { model: "mock/mock-image", prompt: "dot", n: 2, size: "512x512" } }).map((s) => s.code);
    expect(curl).toContain("/api/v2/images/generations");
    expect(py).toContain('size="512x512",');
    const [ecurl] = requestSnippets("http://localhost:3000", { kind: "embedding", body: { model: "mock/mock-embedding", input: "hi" } }).map((s) => s.code);
    expect(ecurl).toContain("/api/v2/embeddings");
  });
});
