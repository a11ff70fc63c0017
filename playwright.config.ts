import fs from "node:fs";
import { defineConfig } from "@playwright/test";

// Chromium from Debian (docs/development.md): never `npx playwright install`, which downloads from outside.
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!fs.existsSync(chromium)) {
  throw new Error(
    `No Chromium at ${chromium}. Install one with \`apt-get update && apt-get install -y chromium\` (Debian), ` +
      "or `npx playwright install chromium` where the internet is reachable, or set CHROMIUM_PATH.",
  );
}

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  // Spec files run in parallel, each file's tests in order (most build on the previous test's state). Every worker
  // starts its own hubs, each on its own free port and data directory (e2e/fixtures/test.ts). On a 2-core machine
  // two workers took the suite from 11.0 to 7.8 minutes; three were no faster (8.6) and spent 14% more CPU.
  workers: 2,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  // Builds once before the specs, so each worker's hub process starts in about a second.
  globalSetup: "./e2e/global-setup.ts",
  use: {
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
});
