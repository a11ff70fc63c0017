#!/usr/bin/env node
// `npm start`: check the configuration, build when the build is missing or older than the sources, then migrate
// and serve (server/http/start.server.ts, reached through the build's entry module so there is one copy of
// every server module in the process).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);
// React and other packages choose their build from NODE_ENV when first loaded: unset, the server rendered pages with
// React's development build, about 11 % more CPU a page (docs/decisions/019-memory-and-first-bytes.md). An
// operator's own value is kept.
process.env.NODE_ENV ??= "production";

const serverBuild = path.join(root, "build/server/index.js");
if (isBuildStale(serverBuild)) {
  // Check the configuration before the slow build, so a bad variable fails in a second. With a fresh build the
  // build itself checks it (the same parseEnv), and the production process never loads tsx.
  checkConfiguration();
  buildOnce();
}

try {
  const build = await import(pathToFileURL(serverBuild).href);
  await build.entry.module.serve(build);
} catch (error) {
  // A configuration error is already one line that names the variable; anything else gets a prefix.
  const message = error instanceof Error ? error.message : String(error);
  console.error(message.startsWith("Invalid configuration:") ? message : `AI Hub could not start: ${message}`);
  process.exit(1);
}

/**
 * Builds under a lock directory, so instances started together on one checkout (a process manager's workers, a test
 * suite) do not write build/ at the same time: the others wait, then use the fresh build. A lock left by a start
 * that died is taken over after BUILD_LOCK_STALE_MS.
 */
function buildOnce() {
  const lock = path.join(root, ".build-lock");
  const BUILD_LOCK_STALE_MS = 10 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
    }
    let age;
    try {
      age = Date.now() - fs.statSync(lock).mtimeMs;
    } catch {
      continue; // released just now: try to take it
    }
    if (age > BUILD_LOCK_STALE_MS) {
      fs.rmSync(lock, { recursive: true, force: true });
      continue;
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    if (!fs.existsSync(lock) && !isBuildStale(serverBuild)) return;
  }
  let failed;
  try {
    if (!isBuildStale(serverBuild)) return; // another start built it while we waited
    console.error("Building AI Hub (the build is missing or older than the sources)...");
    const result = spawnSync(
      process.execPath,
      [path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"],
      {
        stdio: ["ignore", process.stderr, process.stderr],
        cwd: root,
      },
    );
    failed = result.status !== 0;
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
  if (failed) {
    console.error("The build failed; see the output above.");
    process.exit(1);
  }
}

/** One line naming the bad variable, and a non-zero exit. */
function checkConfiguration() {
  const script =
    'import("./server/env.server.ts").then((m) => m.parseEnv(process.env, process.cwd())).catch((e) => { console.error(e.message); process.exit(1); })';
  const result = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (result.status !== 0) process.exit(1);
}

function newestMtime(entry) {
  let stat;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0; // a source that does not exist (an optional config file) is never newer than the build
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const name of fs.readdirSync(entry)) {
    if (name === "node_modules" || name.startsWith(".") || name.endsWith(".test.ts")) continue;
    newest = Math.max(newest, newestMtime(path.join(entry, name)));
  }
  return newest;
}

function isBuildStale(file) {
  if (!fs.existsSync(file)) return true;
  const built = fs.statSync(file).mtimeMs;
  const sources = [
    "app",
    "server",
    "drizzle/schema",
    "public",
    "package.json",
    "remix.config.ts",
    "vite.config.ts",
    "tailwind.config.ts",
  ];
  return sources.some((s) => newestMtime(path.join(root, s)) > built);
}
