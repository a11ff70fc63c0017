import { describe, expect, it } from "vitest";
import { DEFAULT_LANDING, safeNextPath } from "./safe-next-path";

describe("safeNextPath", () => {
  it.each([
    "//evil.example",
    "//evil.example/x",
    "/\\evil.example",
    "/\\/evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    " /usage",
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%0D%0A/evil.example",
    "/%2F%2Fevil.example",
    "/%2f%2fevil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "/javascript:alert(1)\n",
    "data:text/html,<script>alert(1)</script>",
    "https://evil.example/",
    "http://evil.example",
    "evil.example",
    "usage",
    "/%E0%A4%A", // broken percent-encoding
    "/" + "a".repeat(600),
    "",
  ])("refuses %j: back to the default", (next) => {
    expect(safeNextPath(next)).toBe(DEFAULT_LANDING);
  });

  it.each([
    ["/usage", "/usage"],
    ["/keys", "/keys"],
    ["/usage/calls?model=openai%2Fgpt-4o&from=2026-01-01", "/usage/calls?model=openai%2Fgpt-4o&from=2026-01-01"],
    ["/device?user_code=WDJB-MJHT", "/device?user_code=WDJB-MJHT"],
    [
      "/.well-known/service/gen-simple-access-key?sid=abc&redirect=x",
      "/.well-known/service/gen-simple-access-key?sid=abc&redirect=x",
    ],
    ["/admin/users#top", "/admin/users#top"],
  ])("keeps %j", (next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });

  it("uses the fallback it is given, and the default for nothing", () => {
    expect(safeNextPath("//evil.example", "")).toBe("");
    expect(safeNextPath(null)).toBe(DEFAULT_LANDING);
    expect(safeNextPath(undefined)).toBe(DEFAULT_LANDING);
  });
});
