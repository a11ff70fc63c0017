/**
 * `npm run bench`: the hub's added latency and throughput against a fast fake upstream, with authentication,
 * routing and call records on, each measured beside the same load sent straight to the upstream.
 * Uses the production build (built if missing). Results: printed, and written to bench/results/latest.json.
 *
 * Env: BENCH_SECONDS (default 10) per run, BENCH_STREAMS (default 200) sequential streams for time to first byte,
 * BENCH_BILLING=1 to bill the calls in credits (each call then reserves and settles in the ledger).
 * BENCH_SEQUENTIAL (default 3000) requests for the microsecond-timed sequential runs.
 * Anthropic's Messages API (/v1/messages, translated to the same OpenAI upstream) is measured beside chat: what the
 * decoding and encoding add over the chat path, JSON and streamed (docs/messages-api.md).
 * The Responses API (/v1/responses) is measured both ways it runs: passed through to a provider that serves it
 * (openai/...) against the same body sent straight to the upstream's /v1/responses, and translated onto chat
 * (compat/..., an OpenAI-compatible kind without a Responses endpoint) against the chat body sent straight.
 *
 * Besides latency, it reports the hub's CPU time per call under each load (user + system, from /proc): on a machine
 * shared with other work, latency moves with everyone else's load, CPU time per call much less.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { sequentialLatency } from "./sequential";

const root = path.resolve(import.meta.dirname, "..");
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const streams = Number(process.env.BENCH_STREAMS ?? 200);
const billing = process.env.BENCH_BILLING === "1";
const sequential = Number(process.env.BENCH_SEQUENTIAL ?? 3000);

function startProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(" ")} did not start:\n${out}`)), 120_000);
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout.off("data", onData);
        child.stdout.resume();
        child.stderr.resume();
        resolve({ child, match: m });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    child.once("exit", (code) => reject(new Error(`exited ${code}:\n${out}`)));
  });
}

function hubCli(env: Record<string, string>, ...args: string[]): string {
  return execFileSync(process.execPath, ["bin/hub.js", ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: "utf8",
  }).trim();
}

/** CPU milliseconds (user + system) the process has used so far. */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (100 Hz)
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024);
}

async function load(url: string, connections: number, headers: Record<string, string>) {
  const result = await autocannon({
    url,
    method: "POST",
    connections,
    duration: seconds,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "Hello, benchmark!" }] }),
  });
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    total: result.requests.total,
  };
}

const streamBody = JSON.stringify({
  model: "openai/gpt-4o-mini",
  stream: true,
  messages: [{ role: "user", content: "Stream, benchmark!" }],
});

async function timeToFirstByte(
  url: string,
  headers: Record<string, string>,
  body = streamBody,
): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < streams; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    const reader = res.body!.getReader();
    await reader.read();
    times.push(performance.now() - t0);
    while (!(await reader.read()).done);
  }
  times.sort((a, b) => a - b);
  const pick = (q: number) => Number(times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(2));
  return { p50: pick(0.5), p99: pick(0.99) };
}

async function main() {
  console.log("Building the production bundle...");
  execFileSync(process.execPath, ["node_modules/@remix-run/dev/dist/cli.js", "vite:build"], {
    cwd: root,
    stdio: "ignore",
  });

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ai-hub-bench-"));
  const env = { HUB_DATA_DIR: dataDir };
  const upstream = await startProcess(
    process.execPath,
    ["--import", "tsx", "bench/fast-upstream.ts"],
    {},
    /(http:\/\/127\.0\.0\.1:\d+)/,
  );
  const upstreamUrl = upstream.match[1]!;

  hubCli(env, "users", "create", "--email", "bench@example.com", "--name", "Bench");
  const key = hubCli(env, "keys", "create", "--user", "bench@example.com", "--name", "bench").split("\n").at(-1)!;
  hubCli(
    env,
    "providers",
    "add",
    "--kind",
    "openai",
    "--name",
    "openai",
    "--base-url",
    `${upstreamUrl}/v1`,
    "--api-key",
    "sk-bench",
  );
  hubCli(
    env,
    "models",
    "add",
    "--provider",
    "openai",
    "--model",
    "gpt-4o-mini",
    "--input-rate",
    "0.15",
    "--output-rate",
    "0.6",
  );
  if (billing) {
    hubCli(env, "credits", "grant", "--user", "bench@example.com", "--amount", "1000000");
    const { createClient } = await import("@libsql/client");
    const db = createClient({ url: `file:${path.join(dataDir, "hub.db")}` });
    await db.execute({
      sql:
        "insert into settings (key, value, updated_at) values ('billingEnabled', 'true', ?) " +
        "on conflict(key) do update set value = 'true'",
      args: [Date.now()],
    });
    db.close();
  }
  hubCli(
    env,
    "providers",
    "add",
    "--kind",
    "deepseek",
    "--name",
    "compat",
    "--base-url",
    `${upstreamUrl}/v1`,
    "--api-key",
    "sk-bench",
  );
  hubCli(
    env,
    "models",
    "add",
    "--provider",
    "compat",
    "--model",
    "gpt-4o-mini",
    "--input-rate",
    "0.15",
    "--output-rate",
    "0.6",
  );

  const hub = await startProcess(
    process.execPath,
    ["bin/start.js"],
    { ...env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info" } /* production default: a JSON line per request */,
    /"msg":"AI Hub listening","url":"(http:\/\/[^"]+)"/,
  );
  const hubUrl = hub.match[1]!;
  const auth = { authorization: `Bearer ${key}` };
  const direct = `${upstreamUrl}/v1/chat/completions`;
  const viaHub = `${hubUrl}/api/v2/chat/completions`;

  // Warm up both paths (JIT, pools, caches).
  await load(viaHub, 8, auth);
  await load(direct, 8, {});

  const results: Record<string, unknown> = {
    machine: `${os.cpus().length} cores, Node ${process.version}`,
    seconds,
    billing,
  };
  // Concurrency 1, timed per request to the microsecond (autocannon rounds to whole milliseconds).
  const chatBody = JSON.stringify({
    model: "openai/gpt-4o-mini",
    messages: [{ role: "user", content: "Hello, benchmark!" }],
  });
  const seqDirect = await sequentialLatency(direct, {}, chatBody, sequential);
  const seqHub = await sequentialLatency(viaHub, auth, chatBody, sequential);
  results.sequential = {
    direct: seqDirect,
    hub: seqHub,
    addedP50Ms: Number((seqHub.p50 - seqDirect.p50).toFixed(3)),
    addedP99Ms: Number((seqHub.p99 - seqDirect.p99).toFixed(3)),
  };
  console.log(
    `sequential (c1, ${sequential} requests): direct p50 ${seqDirect.p50} ms p99 ${seqDirect.p99} ms | ` +
      `hub p50 ${seqHub.p50} ms p99 ${seqHub.p99} ms | added p50 ${(seqHub.p50 - seqDirect.p50).toFixed(3)} ms`,
  );
  for (const c of [1, 64]) {
    const d = await load(direct, c, {});
    const cpuBefore = cpuMs(hub.child.pid!);
    const h = await load(viaHub, c, auth);
    const hubCpuMsPerCall = Number(((cpuMs(hub.child.pid!) - cpuBefore) / Math.max(1, h.total)).toFixed(3));
    const added = { addedP50Ms: Number((h.p50 - d.p50).toFixed(2)), addedP99Ms: Number((h.p99 - d.p99).toFixed(2)) };
    results[`c${c}`] = { direct: d, hub: h, hubCpuMsPerCall, ...added };
    console.log(
      `concurrency ${c}: direct ${d.rps} req/s p50 ${d.p50} ms p99 ${d.p99} ms | hub ${h.rps} req/s p50 ${h.p50} ms p99 ${h.p99} ms, ` +
        `errors ${h.errors}, hub CPU ${hubCpuMsPerCall} ms a call`,
    );
  }
  const ttfbDirect = await timeToFirstByte(direct, {});
  const ttfbHub = await timeToFirstByte(viaHub, auth);
  results.streamTtfbMs = {
    direct: ttfbDirect,
    hub: ttfbHub,
    addedP50Ms: Number((ttfbHub.p50 - ttfbDirect.p50).toFixed(2)),
  };
  console.log(
    `stream time to first byte: direct p50 ${ttfbDirect.p50} ms p99 ${ttfbDirect.p99} ms | hub p50 ${ttfbHub.p50} ms p99 ${ttfbHub.p99} ms`,
  );
  // Anthropic's Messages API over the same upstream: its added latency over chat's, JSON and streamed.
  const viaMessages = `${hubUrl}/v1/messages`;
  const message = {
    model: "openai/gpt-4o-mini",
    max_tokens: 256,
    messages: [{ role: "user", content: "Hello, benchmark!" }],
  };
  const seqMessages = await sequentialLatency(viaMessages, auth, JSON.stringify(message), sequential);
  const ttfbMessages = await timeToFirstByte(viaMessages, auth, JSON.stringify({ ...message, stream: true }));
  results.messages = {
    sequential: seqMessages,
    overChatP50Ms: Number((seqMessages.p50 - seqHub.p50).toFixed(3)),
    addedP50Ms: Number((seqMessages.p50 - seqDirect.p50).toFixed(3)),
    streamTtfbMs: { hub: ttfbMessages, overChatP50Ms: Number((ttfbMessages.p50 - ttfbHub.p50).toFixed(2)) },
  };
  console.log(
    `messages (c1): p50 ${seqMessages.p50} ms p99 ${seqMessages.p99} ms, added p50 ${(seqMessages.p50 - seqDirect.p50).toFixed(3)} ms ` +
      `(${(seqMessages.p50 - seqHub.p50).toFixed(3)} ms over chat) | ` +
      `stream time to first byte p50 ${ttfbMessages.p50} ms p99 ${ttfbMessages.p99} ms`,
  );
  results.responses = await benchResponses(upstreamUrl, hubUrl, auth);
  results.hubRssMb = rssMb(hub.child.pid!);
  console.log(`hub RSS after the runs: ${results.hubRssMb} MB`);

  // Every request the hub answered must have left a call record.
  hub.child.kill("SIGTERM");
  await new Promise((r) => hub.child.once("exit", r));
  upstream.child.kill("SIGTERM");
  const { createClient } = await import("@libsql/client");
  const db = createClient({ url: `file:${path.join(dataDir, "hub.db")}` });
  const rows = await db.execute("select status, count(*) as n from model_calls group by status");
  results.callRecords = Object.fromEntries(rows.rows.map((r) => [r.status, Number(r.n)]));
  console.log(`call records: ${JSON.stringify(results.callRecords)}`);
  db.close();

  fs.mkdirSync(path.join(root, "bench/results"), { recursive: true });
  fs.writeFileSync(path.join(root, "bench/results/latest.json"), JSON.stringify(results, null, 2) + "\n");
  fs.rmSync(dataDir, { recursive: true, force: true });
}

/** /v1/responses at concurrency 1 and its stream's first byte, native pass-through and translated onto chat. */
async function benchResponses(upstreamUrl: string, hubUrl: string, auth: Record<string, string>) {
  const viaHub = `${hubUrl}/v1/responses`;
  const out: Record<string, unknown> = {};
  const runs = [
    {
      name: "native",
      model: "openai/gpt-4o-mini",
      direct: `${upstreamUrl}/v1/responses`,
      directBody: (stream: boolean) => ({ model: "gpt-4o-mini", input: "Hello, benchmark!", stream }),
    },
    {
      name: "translated",
      model: "compat/gpt-4o-mini",
      direct: `${upstreamUrl}/v1/chat/completions`,
      directBody: (stream: boolean) => ({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "Hello, benchmark!" }],
        stream,
      }),
    },
  ];
  for (const run of runs) {
    // store:false, as Codex sends: the stored-response write is measured by the default (store) run below.
    const hubBody = (stream: boolean) =>
      JSON.stringify({ model: run.model, input: "Hello, benchmark!", store: false, stream });
    await sequentialLatency(viaHub, auth, hubBody(false), 200);
    const d = await sequentialLatency(run.direct, {}, JSON.stringify(run.directBody(false)), sequential);
    const h = await sequentialLatency(viaHub, auth, hubBody(false), sequential);
    const td = await timeToFirstByte(run.direct, {}, JSON.stringify(run.directBody(true)));
    const th = await timeToFirstByte(viaHub, auth, hubBody(true));
    const streamTtfbMs = { direct: td, hub: th, addedP50Ms: Number((th.p50 - td.p50).toFixed(2)) };
    out[run.name] = { direct: d, hub: h, addedP50Ms: Number((h.p50 - d.p50).toFixed(3)), streamTtfbMs };
    console.log(
      `responses ${run.name} (c1): direct p50 ${d.p50} ms | hub p50 ${h.p50} ms p99 ${h.p99} ms | ` +
        `added p50 ${(h.p50 - d.p50).toFixed(3)} ms; stream first byte: direct p50 ${td.p50} ms | hub p50 ${th.p50} ms`,
    );
  }
  const storedBody = JSON.stringify({ model: "openai/gpt-4o-mini", input: "Hello, benchmark!" });
  const stored = await sequentialLatency(viaHub, auth, storedBody, sequential);
  out.nativeStored = stored;
  console.log(`responses native with store (default): hub p50 ${stored.p50} ms p99 ${stored.p99} ms`);
  return out;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
