/**
 * The processes a benchmark starts and reads: the hub (production build), the fast upstream, Portkey's gateway,
 * the hub's CLI to seed them, and what /proc and the inspector say about a process. Only 127.0.0.1 is contacted.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "..");

/** Every process a benchmark started, ended when the benchmark exits, also when it fails half-way. */
const started = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of started) if (child.exitCode === null) child.kill("SIGTERM");
});

/** Starts a process and resolves once its stdout or stderr matches `ready` (the match against both, in order). */
export function startProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  started.add(child);
  let out = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(" ")} did not start:\n${out}`)), 120_000);
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout.off("data", onData);
        child.stderr.off("data", onData);
        child.stdout.resume();
        child.stderr.resume();
        resolve({ child, match: m });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`exited ${code}:\n${out}`)));
  });
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}

export function hubCli(env: Record<string, string>, ...args: string[]): string {
  return execFileSync(process.execPath, ["bin/hub.js", ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: "utf8",
  }).trim();
}

/** CPU milliseconds (user + system) the process has used so far. */
export function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (100 Hz)
}

export function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024);
}

/** Evaluates an expression in the process through its inspector . */
async function evaluate(inspector: string, expression: string): Promise<string> {
  const { WebSocket } = await import("undici");
  const ws = new WebSocket(inspector);
  await new Promise((r) => ws.addEventListener("open", r, { once: true }));
  const answer = new Promise<string>((resolve) =>
    ws.addEventListener("message", (e) => resolve(String(e.data)), { once: true }),
  );
  ws.send(JSON.stringify({ id: 1, method: "Runtime.evaluate", params: { expression } }));
  const reply = JSON.parse(await answer) as { result: { result: { value: string } } };
  ws.close();
  if (typeof reply.result?.result?.value !== "string")
    throw new Error(`inspector: ${JSON.stringify(reply).slice(0, 300)}`);
  return reply.result.result.value;
}

/**
 * After a full GC in the process: heap used, external and array-buffer memory (MB), read through the inspector
 * protocol (the process runs with --expose-gc --inspect=127.0.0.1:0, only under a benchmark). RSS alone cannot
 * tell what the process keeps from what V8 has not collected or handed back yet.
 */
export async function heapAfterGc(inspector: string): Promise<Record<string, number>> {
  const expression =
    "gc(); gc(); JSON.stringify(Object.fromEntries(Object.entries(process.memoryUsage())" +
    ".map(([k, v]) => [k, Math.round(v / 104857.6) / 10])))";
  return JSON.parse(await evaluate(inspector, expression)) as Record<string, number>;
}

/** Writes a heap snapshot of the process to `file`, through its inspector. */
export async function writeHeapSnapshot(inspector: string, file: string): Promise<void> {
  await evaluate(inspector, `process.getBuiltinModule("node:v8").writeHeapSnapshot(${JSON.stringify(file)})`);
}

export interface BenchHub {
  child: ChildProcess;
  url: string;
  /** The inspector's WebSocket URL, for heapAfterGc. */
  inspector: string;
  dataDir: string;
  key: string;
}

/**
 * A hub with a user, an access key and two providers on the fast upstream: `openai` (chat and Responses served
 * natively) and `compat` (an OpenAI-compatible kind without a Responses endpoint, so /v1/responses is translated).
 * `nodeFlags` go before bin/start.js (e.g. --cpu-prof); `serverBuild` serves another build's server/index.js
 * (a copy of an earlier build, for an A/B run) instead of build/.
 */
export async function startBenchHub(
  dataDir: string,
  upstreamUrl: string,
  options: { billing: boolean; nodeFlags?: string[]; serverBuild?: string },
): Promise<BenchHub> {
  const env = { HUB_DATA_DIR: dataDir };
  hubCli(env, "users", "create", "--email", "bench@example.com", "--name", "Bench");
  const key = hubCli(env, "keys", "create", "--user", "bench@example.com", "--name", "bench").split("\n").at(-1)!;
  for (const [kind, name] of [
    ["openai", "openai"],
    ["deepseek", "compat"],
  ] as const) {
    hubCli(env, "providers", "add", "--kind", kind, "--name", name, "--base-url", `${upstreamUrl}/v1`, "--api-key", "sk-bench"); // prettier-ignore
    hubCli(env, "models", "add", "--provider", name, "--model", "gpt-4o-mini", "--input-rate", "0.15", "--output-rate", "0.6"); // prettier-ignore
  }
  if (options.billing) {
    hubCli(env, "credits", "grant", "--user", "bench@example.com", "--amount", "1000000");
    await writeSetting(dataDir, "billingEnabled", "true");
  }
  const hub = await startProcess(
    process.execPath,
    [
      ...(options.nodeFlags ?? []),
      "--expose-gc",
      "--inspect=127.0.0.1:0",
      ...(options.serverBuild
        ? ["--input-type=module", "-e", `const b = await import(${JSON.stringify(options.serverBuild)}); await b.entry.module.serve(b);`] // prettier-ignore
        : ["bin/start.js"]),
    ],
    { ...env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info" } /* production default: a JSON line per request */,
    /Debugger listening on (ws:\/\/\S+)[\s\S]*"msg":"AI Hub listening","url":"(http:\/\/[^"]+)"/,
  );
  return { child: hub.child, inspector: hub.match[1]!, url: hub.match[2]!, dataDir, key };
}

/** Writes an owner setting straight into the database; a running hub reads it within its settings cache time (5 s). */
export async function writeSetting(dataDir: string, key: string, json: string): Promise<void> {
  const { createClient } = await import("@libsql/client");
  // The hub may be writing at that moment (its rollups): wait for its lock like the hub's own connections do.
  const db = createClient({ url: `file:${path.join(dataDir, "hub.db")}`, timeout: 5_000 });
  await db.execute({
    sql: "insert into settings (key, value, updated_at) values (?, ?, ?) on conflict(key) do update set value = excluded.value",
    args: [key, json, Date.now()],
  });
  db.close();
}

export async function startUpstream(): Promise<{ child: ChildProcess; url: string }> {
  const p = await startProcess(
    process.execPath,
    ["--import", "tsx", "bench/fast-upstream.ts"],
    {},
    /(http:\/\/127\.0\.0\.1:\d+)/,
  );
  return { child: p.child, url: p.match[1]! };
}

/**
 * Portkey's open-source gateway (@portkey-ai/gateway, its Node build) on 127.0.0.1, for a side-by-side run. It
 * routes by headers: `x-portkey-provider: openai` and `x-portkey-custom-host` send a call to the fast upstream
 * (loopback custom hosts are trusted by default).
 */
export async function startPortkey(upstreamUrl: string) {
  const p = await startProcess(
    process.execPath,
    ["bench/portkey-server.mjs", "--port=0", "--headless"],
    { NODE_ENV: "production" },
    /Portkey listening on (http:\/\/127\.0\.0\.1:\d+)/,
  );
  const headers = {
    authorization: "Bearer sk-bench",
    "x-portkey-provider": "openai",
    "x-portkey-custom-host": `${upstreamUrl}/v1`,
  };
  return { child: p.child, url: p.match[1]!, headers };
}
