import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env.server";

function errorOf(env: Record<string, string>): EnvError {
  try {
    parseEnv(env, "/srv/hub");
  } catch (error) {
    if (error instanceof EnvError) return error;
    throw error;
  }
  throw new Error("expected an EnvError");
}

describe("configuration", () => {
  it("has working defaults for a first start", () => {
    const env = parseEnv({}, "/srv/hub");
    expect(env.PORT).toBe(3000);
    expect(env.HOST).toBe("0.0.0.0");
    expect(env.dataDir).toBe("/srv/hub/data");
    expect(env.DATABASE_URL).toBe("file:/srv/hub/data/hub.db");
    expect(env.PUBLIC_URL).toBe("http://localhost:3000");
    expect(env.isLocalDatabase).toBe(true);
    expect(env.HUB_SECRET_KEY).toBeUndefined();
    expect(env.LOG_LEVEL).toBe("info");
  });

  it("derives the database from HUB_DATA_DIR and accepts libSQL server URLs", () => {
    expect(parseEnv({ HUB_DATA_DIR: "/var/lib/hub" }).DATABASE_URL).toBe("file:/var/lib/hub/hub.db");
    const remote = parseEnv({ DATABASE_URL: "libsql://hub-db.example.com", DATABASE_AUTH_TOKEN: "tok" });
    expect(remote.isLocalDatabase).toBe(false);
    expect(remote.DATABASE_AUTH_TOKEN).toBe("tok");
    expect(parseEnv({ DATABASE_URL: "http://127.0.0.1:8080" }).DATABASE_URL).toBe("http://127.0.0.1:8080");
  });

  it("decodes HUB_SECRET_KEY from hex or base64", () => {
    const hex = "ab".repeat(32);
    expect(parseEnv({ HUB_SECRET_KEY: hex }).HUB_SECRET_KEY?.toString("hex")).toBe(hex);
    const b64 = Buffer.alloc(32, 7).toString("base64");
    expect(parseEnv({ HUB_SECRET_KEY: b64 }).HUB_SECRET_KEY?.equals(Buffer.alloc(32, 7))).toBe(true);
  });

  it("names the variable and the problem in one line", () => {
    const port = errorOf({ PORT: "http" });
    expect(port.variable).toBe("PORT");
    expect(port.message).toMatch(/^Invalid configuration: PORT must be a number/);
    expect(port.message).not.toContain("\n");
    expect(errorOf({ PORT: "70000" }).message).toContain("PORT must be at most 65535");
    expect(errorOf({ LOG_LEVEL: "loud" }).message).toContain(
      "LOG_LEVEL must be one of debug, info, warn, error, silent",
    );
    expect(errorOf({ DATABASE_URL: "postgres://x" }).message).toContain(
      "DATABASE_URL must be a file:, libsql:// or http(s):// URL",
    );
    expect(errorOf({ PUBLIC_URL: "hub.example.com" }).variable).toBe("PUBLIC_URL");
    expect(errorOf({ REDIS_URL: "http://x" }).variable).toBe("REDIS_URL");
    expect(errorOf({ HUB_CALL_JOURNAL: "yes" }).message).toContain(
      "HUB_CALL_JOURNAL must be one of on, off, journal-only",
    );
  });

  it("journals call records by default, and takes the other modes", () => {
    expect(parseEnv({}).HUB_CALL_JOURNAL).toBe("on");
    expect(parseEnv({ HUB_CALL_JOURNAL: "off" }).HUB_CALL_JOURNAL).toBe("off");
    expect(parseEnv({ HUB_CALL_JOURNAL: "journal-only" }).HUB_CALL_JOURNAL).toBe("journal-only");
  });

  it("fixes the heap's growth at 50 % unless told otherwise, within what V8 takes", () => {
    expect(parseEnv({}).HUB_HEAP_GROWING_PERCENT).toBe(50);
    expect(parseEnv({ HUB_HEAP_GROWING_PERCENT: "0" }).HUB_HEAP_GROWING_PERCENT).toBe(0);
    expect(parseEnv({ HUB_HEAP_GROWING_PERCENT: "100" }).HUB_HEAP_GROWING_PERCENT).toBe(100);
    expect(errorOf({ HUB_HEAP_GROWING_PERCENT: "5" }).message).toContain(
      "HUB_HEAP_GROWING_PERCENT must be 0 or from 10 to 300",
    );
    expect(errorOf({ HUB_HEAP_GROWING_PERCENT: "400" }).variable).toBe("HUB_HEAP_GROWING_PERCENT");
  });

  it("never prints a secret value in the error", () => {
    const error = errorOf({ HUB_SECRET_KEY: "not-a-real-key-but-secret" });
    expect(error.variable).toBe("HUB_SECRET_KEY");
    expect(error.message).not.toContain("not-a-real-key-but-secret");
  });

  it("requires both halves of an OAuth client", () => {
    expect(errorOf({ GITHUB_CLIENT_ID: "abc" }).message).toBe(
      "Invalid configuration: GITHUB_CLIENT_SECRET is required when GITHUB_CLIENT_ID is set",
    );
    expect(errorOf({ OIDC_CLIENT_ID: "abc" }).variable).toBe("OIDC_ISSUER");
    const ok = parseEnv({ OIDC_ISSUER: "http://127.0.0.1:9000", OIDC_CLIENT_ID: "hub", OIDC_CLIENT_SECRET: "s" });
    expect(ok.OIDC_NAME).toBe("Single sign-on");
  });
});
