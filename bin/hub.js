#!/usr/bin/env node
// The operator CLI (`npm run hub -- <command>`, or `hub` when installed): runs server/cli/main.ts through tsx,
// so it uses the same server functions and configuration as the running hub.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { register } from "tsx/esm/api";

register();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { main } = await import(pathToFileURL(path.join(root, "server/cli/main.ts")).href);
process.exitCode = await main(process.argv.slice(2));
