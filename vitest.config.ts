import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Separate from vite.config.ts so the Remix plugin stays out of unit tests (docs/development.md).
export default defineConfig({
  resolve: {
    alias: {
      "~": here("./app"),
      "@server": here("./server"),
      "@drizzle": here("./drizzle"),
      "@test": here("./test"),
    },
  },
  test: {
    include: ["server/**/*.test.ts", "test/**/*.test.ts", "app/**/*.test.ts", "bin/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
