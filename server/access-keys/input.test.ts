import { describe, expect, it } from "vitest";
import { accessKeyInputSchema, parseKeyForm } from "./input";

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

describe("access key input", () => {
  it("accepts a full key description and normalises empties to null", () => {
    const parsed = accessKeyInputSchema.parse({ name: " ci ", appName: "", allowedModels: [], limits: {} });
    expect(parsed).toEqual({ name: "ci", appName: null, expiresAt: null, allowedModels: null, limits: null });
    const full = accessKeyInputSchema.parse({
      name: "ci",
      appName: "builder",
      expiresAt: new Date(Date.now() + 60_000),
      allowedModels: ["openai/gpt-4o-mini", "openai/gpt-4o-mini", "ollama/llama3:8b", "openrouter/anthropic/claude-3"],
      limits: { requestsPerMinute: 60, creditsPerDay: 5 },
    });
    expect(full.allowedModels).toEqual(["openai/gpt-4o-mini", "ollama/llama3:8b", "openrouter/anthropic/claude-3"]);
    expect(full.limits).toEqual({ requestsPerMinute: 60, creditsPerDay: 5 });
  });

  it("parses the page's form, with the expiry at the end of the chosen day in the browser's time zone", () => {
    const result = parseKeyForm(
      form({
        name: "laptop",
        expiresOn: "2099-03-01",
        tzOffset: "-60",
        allowedModels: "a/b, c/d\ne/f",
        concurrency: "2",
      }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // 23:59:59.999 in UTC+1 is 22:59:59.999 UTC.
    expect(result.input.expiresAt!.toISOString()).toBe("2099-03-01T22:59:59.999Z");
    expect(result.input.allowedModels).toEqual(["a/b", "c/d", "e/f"]);
    expect(result.input.limits).toEqual({ concurrency: 2 });
  });

  it("reports every bad field at once, each under its own name", () => {
    const result = parseKeyForm(
      form({
        name: "",
        expiresOn: "2001-01-01",
        allowedModels: "gpt-4o",
        requestsPerMinute: "0",
        tokensPerMinute: "1.5",
        concurrency: "x",
        creditsPerDay: "-3",
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.fieldErrors).sort()).toEqual(
      [
        "allowedModels",
        "concurrency",
        "creditsPerDay",
        "expiresAt",
        "name",
        "requestsPerMinute",
        "tokensPerMinute",
      ].sort(),
    );
    expect(result.fieldErrors.expiresAt).toBe("The expiry must be in the future");
    expect(result.fieldErrors.allowedModels).toMatch(/provider\/model/);
    expect(result.fieldErrors.requestsPerMinute).toBe("Requests per minute must be a whole number above 0");
  });

  it("refuses names over 100 characters and malformed dates", () => {
    const result = parseKeyForm(form({ name: "x".repeat(101), expiresOn: "tomorrow" }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors.name).toMatch(/100/);
    expect(result.fieldErrors.expiresAt).toMatch(/Pick a date/);
  });
});
