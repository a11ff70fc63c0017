import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

// The real `npm start` entry: a bad value stops it before any slow work, with one line and a non-zero exit.
describe("npm start with bad configuration", () => {
  for (const [name, value, expected] of [
    ["PORT", "eighty", "Invalid configuration: PORT must be a number"],
    ["DATABASE_URL", "mysql://db", "Invalid configuration: DATABASE_URL must be a file:, libsql:// or http(s):// URL"],
    ["HUB_SECRET_KEY", "short-secret-value", "Invalid configuration: HUB_SECRET_KEY must be 32 bytes"],
  ] as const) {
    it(`refuses ${name}=${value}`, () => {
      const result = spawnSync(process.execPath, ["bin/start.js"], {
        env: { ...process.env, [name]: value, HUB_DATA_DIR: "/nonexistent-never-created" },
        encoding: "utf8",
        timeout: 20_000,
      });
      expect(result.status).toBe(1);
      const lines = result.stderr
        .trim()
        .split("\n")
        .filter((l) => !l.startsWith("npm warn"));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(expected);
      expect(result.stderr).not.toContain("short-secret-value");
    });
  }
});
