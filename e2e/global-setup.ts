import { execFileSync } from "node:child_process";

export default function globalSetup() {
  // Always build fresh: the specs test the production build of the current sources.
  execFileSync(process.execPath, ["node_modules/@remix-run/dev/dist/cli.js", "vite:build"], { stdio: "ignore" });
}
