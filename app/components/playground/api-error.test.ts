import { describe, expect, it } from "vitest";
import { errorTitle, toPlaygroundError } from "./api-error";

describe("toPlaygroundError", () => {
  it("keeps the payment link of a 402 only when it is an http(s) address", () => {
    const e = toPlaygroundError(
      { error: { message: "Not enough credit", code: "insufficient_quota", link: "https://pay.example/x" } },
      402,
    );
    expect(e).toMatchObject({ status: 402, link: "https://pay.example/x", code: "insufficient_quota" });
    expect(errorTitle(e)).toBe("Not enough credit");
    expect(toPlaygroundError({ error: { message: "x", link: "javascript:alert(1)" } }, 402).link).toBeNull();
    const withLink = {
      error: {
        message: "Not enough credit: your balance is 0 credits. Buy credits at https://pay.example/x?u=1",
        link: "https://pay.example/x?u=1",
      },
    };
    expect(toPlaygroundError(withLink, 402).message).toBe("Not enough credit: your balance is 0 credits.");
  });

  it("reads Retry-After on a 429 and copes with a body that is not the OpenAI shape", () => {
    expect(toPlaygroundError({ error: { message: "slow down" } }, 429, "3")).toMatchObject({ retryAfterSeconds: 3 });
    expect(toPlaygroundError(null, 502)).toMatchObject({ message: "The hub answered 502.", link: null });
    expect(errorTitle(toPlaygroundError({ error: { message: "no", code: "model_not_found" } }, 404))).toBe(
      "Model not available",
    );
    expect(errorTitle(toPlaygroundError(null, 429))).toBe("Rate limited");
  });
});
