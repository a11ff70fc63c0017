import { describe, expect, it } from "vitest";
import type { Json } from "@test/helpers/json";
import type { ChatCompletionChunk } from "../providers/types";
import { BODY_CAP, captureJson, captureText, redactBody, truncateBody } from "./body-capture";
import { createStreamAssembler } from "./stream-assembly";

const HUB_KEY = "hub-sk-Abcdefgh12345678ZZ";
const OPENAI_KEY = "sk-proj-abcdefghijklmnop1234";
const AWS_KEY = "AKIAIOSFODNN7EXAMPLE";

describe("redactBody", () => {
  it("masks secret-shaped strings anywhere, keeping the text around them", () => {
    const out = redactBody({
      messages: [
        { role: "user", content: `my keys: ${HUB_KEY}, ${OPENAI_KEY} and ${AWS_KEY}; header Bearer abcdefghijklmnop` },
      ],
    });
    const text = JSON.stringify(out);
    for (const secret of [HUB_KEY, OPENAI_KEY, AWS_KEY, "abcdefghijklmnop"]) expect(text).not.toContain(secret);
    expect((out as Json).messages[0].content).toBe(
      "my keys: [redacted], [redacted] and [redacted]; header Bearer [redacted]",
    );
  });

  it("masks secret-named fields at any depth but keeps token counts and booleans", () => {
    const out = redactBody({
      api_key: "anything-at-all",
      headers: { Authorization: "Basic xyz", "x-api-key": "k" },
      login: { password: "hunter2", token: "t0k3n", access_token: "a", remember: true },
      max_tokens: 256,
      usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 },
    });
    expect(out).toEqual({
      api_key: "[redacted]",
      headers: { Authorization: "[redacted]", "x-api-key": "[redacted]" },
      login: { password: "[redacted]", token: "[redacted]", access_token: "[redacted]", remember: true },
      max_tokens: 256,
      usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 },
    });
  });

  it("replaces base64 images (data URLs, b64_json, long bare base64) with a placeholder giving their size", () => {
    const b64 = Buffer.alloc(150 * 1024, 7).toString("base64");
    const out = redactBody({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "what is this?" },
            { type: "image_url", image_url: { url: `data:image/png;base64,${b64}` } },
          ],
        },
      ],
      data: [{ b64_json: b64 }, { source: { type: "base64", media_type: "image/jpeg", data: b64 } }],
      note: `inline data:image/jpeg;base64,${b64.slice(0, 4096)} in text`,
    }) as Json;
    expect(out.messages[0].content[1].image_url.url).toBe("[base64 image, 150 KB]");
    expect(out.messages[0].content[0].text).toBe("what is this?");
    expect(out.data[0].b64_json).toBe("[base64 image, 150 KB]");
    expect(out.data[1].source).toEqual({ type: "base64", media_type: "image/jpeg", data: "[base64 image, 150 KB]" });
    expect(out.note).toBe("inline [base64 image, 3 KB] in text");
    // Bare base64 not known to be an image (an embedding asked for as base64) is named as data.
    expect(redactBody({ data: [{ embedding: b64 }] })).toEqual({ data: [{ embedding: "[base64 data, 150 KB]" }] });
  });

  it("leaves ordinary values alone", () => {
    const body = {
      model: "openai/gpt-4o-mini",
      temperature: 0.2,
      stream: false,
      stop: null,
      messages: [{ role: "user", content: "Hello" }],
    };
    expect(redactBody(body)).toEqual(body);
  });
});

describe("truncation", () => {
  it("cuts at the cap with a marker saying how much there was", () => {
    const text = "x".repeat(200 * 1024);
    const out = truncateBody(text);
    expect(out.startsWith("x".repeat(BODY_CAP))).toBe(true);
    expect(out.slice(BODY_CAP)).toBe("\n…[truncated: 200 KB in all, first 64 KB kept]");
    expect(truncateBody("short")).toBe("short");
  });

  it("captureJson redacts before it cuts, so no secret survives in the kept part", () => {
    const content = `${"a ".repeat(1000)}${OPENAI_KEY} ${"b ".repeat(40_000)}`;
    const out = captureJson({ messages: [{ role: "user", content }] });
    expect(out.length).toBeLessThan(BODY_CAP + 100);
    expect(out).toContain("[redacted]");
    expect(out).not.toContain(OPENAI_KEY);
    expect(out).toMatch(/…\[truncated: \d+ KB in all/);
  });
});

describe("captureText", () => {
  it("parses JSON so fields and images are handled by name", () => {
    const raw = JSON.stringify({
      model: "m",
      api_key: "plain-text-secret",
      messages: [{ role: "user", content: `key ${HUB_KEY}` }],
    });
    expect(JSON.parse(captureText(raw))).toEqual({
      model: "m",
      api_key: "[redacted]",
      messages: [{ role: "user", content: "key [redacted]" }],
    });
  });

  it("masks text that is not JSON, and cuts very long text between tokens", () => {
    expect(captureText(`{not json ${OPENAI_KEY}`)).toBe("{not json [redacted]");
    // A secret straddling the pre-cut point must not leave its first half behind.
    const long = "word ".repeat((BODY_CAP * 2 - 10) / 5) + OPENAI_KEY + " tail".repeat(1000);
    const out = captureText(long);
    expect(out).not.toContain("sk-proj");
    expect(out).toMatch(/…\[truncated: \d+ KB in all/);
  });
});

describe("stream assembly", () => {
  const chunk = (delta: object, finish: string | null = null, extra: object = {}) =>
    ({
      id: "chatcmpl-1",
      object: "chat.completion.chunk",
      created: 1,
      model: "gpt-4o-mini",
      choices: [{ index: 0, delta, finish_reason: finish }],
      ...extra,
    }) as ChatCompletionChunk;

  it("puts text, reasoning and tool calls streamed in pieces back together as a chat.completion", () => {
    const a = createStreamAssembler();
    a.push(chunk({ role: "assistant", content: "" }));
    a.push(chunk({ reasoning_content: "think" }));
    a.push(chunk({ content: "Hel" }));
    a.push(chunk({ content: "lo" }));
    a.push(
      chunk({
        tool_calls: [
          { index: 0, id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"loc' } },
        ],
      }),
    );
    a.push(chunk({ tool_calls: [{ index: 0, function: { arguments: 'ation":"Paris"}' } }] }, "tool_calls"));
    a.push({
      id: "chatcmpl-1",
      object: "chat.completion.chunk",
      created: 1,
      model: "gpt-4o-mini",
      choices: [],
      usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
    });
    expect(a.result()).toEqual({
      id: "chatcmpl-1",
      object: "chat.completion",
      model: "gpt-4o-mini",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: "Hello",
            reasoning_content: "think",
            tool_calls: [
              { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"location":"Paris"}' } },
            ],
          },
          finish_reason: "tool_calls",
        },
      ],
      usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
    });
  });

  it("keeps what arrived before an abort, with how it ended", () => {
    const a = createStreamAssembler();
    a.push(chunk({ content: "Partial " }));
    expect(a.result({ hub_end: "aborted" })).toMatchObject({
      choices: [{ message: { content: "Partial " }, finish_reason: null }],
      hub_end: "aborted",
    });
  });
});

describe("redactBody's copies", () => {
  it("returns a clean body itself, and copies only the branches it masks, leaving the input as it was", () => {
    const clean = { model: "m", messages: [{ role: "user", content: "hello" }], max_tokens: 10 };
    expect(redactBody(clean)).toBe(clean);
    const secret = { model: "m", messages: [{ role: "user", content: "hi" }], options: { api_key: "sk-123" } };
    const masked = redactBody(secret) as typeof secret;
    expect(masked).not.toBe(secret);
    expect(masked.options).toEqual({ api_key: "[redacted]" });
    expect(masked.messages).toBe(secret.messages);
    expect(secret.options.api_key).toBe("sk-123");
  });
});
