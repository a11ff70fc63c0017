import { describe, expect, it } from "vitest";
import { refuseNewAccount } from "./sign-in-policy";
import { describeSignInError, SIGN_IN_ERRORS } from "./sign-in-errors";

describe("refuseNewAccount", () => {
  it("lets anyone in when open, nobody new when invite only", () => {
    expect(refuseNewAccount("a@x.com", { signInPolicy: "open", allowedEmailDomains: [] })).toBeNull();
    expect(refuseNewAccount("a@x.com", { signInPolicy: "invite_only", allowedEmailDomains: ["x.com"] })).toBe(
      "invite_only",
    );
  });

  it("matches allowed domains exactly, ignoring case, a leading @ and a trailing dot", () => {
    const policy = { signInPolicy: "domains" as const, allowedEmailDomains: ["@Example.com", "corp.example.org."] };
    expect(refuseNewAccount("ada@example.com", policy)).toBeNull();
    expect(refuseNewAccount("ada@EXAMPLE.COM", policy)).toBeNull();
    expect(refuseNewAccount("ada@corp.example.org", policy)).toBeNull();
    expect(refuseNewAccount("ada@evil-example.com", policy)).toBe("domain_not_allowed");
    expect(refuseNewAccount("ada@mail.example.com", policy)).toBe("domain_not_allowed");
    expect(refuseNewAccount("ada@example.com.evil.io", policy)).toBe("domain_not_allowed");
    expect(refuseNewAccount("ada@example.com", { signInPolicy: "domains", allowedEmailDomains: [] })).toBe(
      "domain_not_allowed",
    );
  });
});

describe("sign-in error messages", () => {
  it("has a title and message for every code, and a generic one for unknown codes", () => {
    for (const [code, text] of Object.entries(SIGN_IN_ERRORS)) {
      expect(text.title.length, code).toBeGreaterThan(5);
      expect(text.message.length, code).toBeGreaterThan(20);
    }
    expect(describeSignInError("state_mismatch")?.title).toBe("Sign-in could not be verified");
    expect(describeSignInError("<script>")).toMatchObject({ code: "unknown", title: "Sign-in failed" });
    expect(describeSignInError(null)).toBeNull();
  });
});
