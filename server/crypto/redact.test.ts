/**
 * Log and error redaction (./redact.ts): each secret shape is masked wherever it sits in the text, text without
 * one comes back as it was, and secret-named fields are masked in objects.
 */
import { describe, expect, it } from "vitest";
import { redactDeep, redactText } from "./redact";

describe("redactText", () => {
  it.each([
    ["a hub access key", "key hub-sk-AbCdEf0123456789xyz in a message", "key [redacted] in a message"],
    ["an OpenAI key", "sk-proj-abcdefghijklmnop1234 failed", "[redacted] failed"],
    ["an Anthropic key", "x sk-ant-api03-abcdefghijklmnop y", "x [redacted] y"],
    ["an xAI key", "xai-abcdefghijklmnop", "[redacted]"],
    ["a Google key", "?key=AIzaSyA1234567890abcdefghijk", "?key=[redacted]"],
    ["an AWS key id", "AKIAABCDEFGHIJKLMNOP and ASIAABCDEFGHIJKLMNOP", "[redacted] and [redacted]"],
    ["a bearer token", "Authorization: Bearer abc.def-ghi_12345", "Authorization: Bearer [redacted]"],
    ["a basic credential, any case", "authorization: basic dXNlcjpwYXNzd29yZA==", "authorization: basic [redacted]"],
    ["URL credentials", "https://ada:s3cret@db.example.com/x", "https://[redacted]@db.example.com/x"],
  ])("masks %s", (_what, text, masked) => {
    expect(redactText(text)).toBe(masked);
  });

  it("leaves text without a secret shape as it was", () => {
    for (const text of [
      "",
      "Hello! This is an answer.",
      "chatcmpl-123",
      "gpt-4o-mini",
      "/v1/chat/completions",
      "risk-free ask",
      "https://example.com/a:b",
    ])
      // prettier-ignore
      expect(redactText(text)).toBe(text);
  });
});

describe("redactDeep", () => {
  it("masks secret-named fields and secret-shaped strings, keeps the rest", () => {
    expect(redactDeep({ apiKey: "anything", note: "used sk-abcdefghijklmnop1", count: 3, ok: true })).toEqual({
      apiKey: "[redacted]",
      note: "used [redacted]",
      count: 3,
      ok: true,
    });
  });
});
