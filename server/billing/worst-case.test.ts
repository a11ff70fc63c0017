import { describe, expect, it } from "vitest";
import {
  chatBound,
  DEFAULT_OUTPUT_BOUND,
  embeddingsBound,
  IMAGE_INPUT_TOKENS,
  imageBound,
  MESSAGE_OVERHEAD_TOKENS,
} from "./worst-case";

describe("worst-case usage bounds", () => {
  it("bounds prompt tokens by UTF-8 bytes, so non-English text is not under-reserved", () => {
    const bound = chatBound({ messages: [{ role: "user", content: "你好" }] }, null);
    expect(bound.inputTokens).toBe(6 + MESSAGE_OVERHEAD_TOKENS);
    expect(bound.outputTokens).toBe(DEFAULT_OUTPUT_BOUND);
  });

  it("takes max_completion_tokens, then max_tokens, capped by the model's limit, times n", () => {
    const messages = [{ role: "user", content: "hi" }];
    expect(chatBound({ messages, max_tokens: 100 }, null).outputTokens).toBe(100);
    expect(chatBound({ messages, max_tokens: 100, max_completion_tokens: 50 }, null).outputTokens).toBe(50);
    expect(chatBound({ messages, max_tokens: 100_000 }, 4_096).outputTokens).toBe(4_096);
    expect(chatBound({ messages }, 4_096).outputTokens).toBe(4_096);
    expect(chatBound({ messages, max_tokens: 100, n: 3 }, null).outputTokens).toBe(300);
  });

  it("counts images as an allowance, not as their base64 bytes, and includes tool definitions", () => {
    const image = { type: "image_url", image_url: { url: "data:image/png;base64," + "A".repeat(10_000) } };
    const bound = chatBound(
      {
        messages: [{ role: "user", content: [{ type: "text", text: "abc" }, image] }],
        tools: [{ type: "function", function: { name: "f" } }],
      },
      null,
    );
    expect(bound.inputTokens).toBe(
      3 +
        IMAGE_INPUT_TOKENS +
        MESSAGE_OVERHEAD_TOKENS +
        JSON.stringify([{ type: "function", function: { name: "f" } }]).length,
    );
  });

  it("bounds embeddings and images", () => {
    expect(embeddingsBound(["ab", "cd"]).inputTokens).toBe(6);
    expect(embeddingsBound([[1, 2, 3]]).inputTokens).toBe(3);
    expect(imageBound({ prompt: "cat", n: 2, size: "1024x1024", quality: "hd" }, 5_000)).toEqual({
      inputTokens: 3 + MESSAGE_OVERHEAD_TOKENS,
      outputTokens: 10_000,
      images: 2,
      imageSize: "1024x1024",
      imageQuality: "hd",
    });
  });
});
