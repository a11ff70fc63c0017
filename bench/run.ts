/**
 * `npm run bench`: the hub's added latency and throughput against a fast fake upstream, with authentication,
 * routing and call records on, each measured beside the same load sent straight to the upstream.
 * Uses the production build (built if missing). Results: printed, and written to bench/results/latest.json.
 *
 * Env: BENCH_SECONDS (default 10) per run, BENCH_STREAMS (default 200) streams per target in each first-byte timing,
 * BENCH_BILLING=1 to bill the calls in credits (each call then reserves and settles in the ledger).
 * BENCH_SEQUENTIAL (default 3000) requests for the microsecond-timed sequential runs.
 * Anthropic's Messages API (/v1/messages, translated to the same OpenAI upstream) is measured beside chat: what the
 * decoding and encoding add over the chat path, JSON and streamed (docs/messages-api.md).
 * The Responses API (/v1/responses) is measured both ways it runs: passed through to a provider that serves it
 * (openai/...) against the same body sent straight to the upstream's /v1/responses, and translated onto chat
 * (compat/..., an OpenAI-compatible kind without a Responses endpoint) against the chat body sent straight. Their
 * JSON calls run in three rounds interleaved with chat's and the direct calls (benchOverChat).
 *
 * Besides latency, it reports the hub's CPU time per call under each load (user + system, from /proc): on a machine
 * shared with other work, latency moves with everyone else's load, CPU time per call much less.
 *
 * Portkey's open-source gateway (@portkey-ai/gateway, a devDependency) runs beside the hub on the same upstream,
 * its runs interleaved with the hub's and the direct ones, and the summary prints the hub against it. The hub's
 * RSS is read after each phase, and a leak check sends BENCH_LEAK_CALLS (default 300,000; 0 skips it) more chat
 * calls at concurrency 64, reading RSS and the heap after a full GC (through the inspector, which only the
 * benchmark turns on) after the first third and at the end. BENCH_HUB_NODE_FLAGS (space-separated) go to the hub's
 * node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" (bench/profile.ts sums such a profile).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import {
  cpuMs,
  heapAfterGc,
  root,
  rssMb,
  startBenchHub,
  startPortkey,
  startUpstream,
  stopProcess,
  writeSetting,
} from "./processes";
import { sequentialLatency } from "./sequential";

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const streams = Number(process.env.BENCH_STREAMS ?? 200);
const billing = process.env.BENCH_BILLING === "1";
const sequential = Number(process.env.BENCH_SEQUENTIAL ?? 3000);
const leakCalls = Number(process.env.BENCH_LEAK_CALLS ?? 300_000);
const hubNodeFlags = (process.env.BENCH_HUB_NODE_FLAGS ?? "").split(" ").filter(Boolean);

const chatBody = JSON.stringify({
  model: "openai/gpt-4o-mini",
  messages: [{ role: "user", content: "Hello, benchmark!" }],
});

async function load(
  url: string,
  connections: number,
  headers: Record<string, string>,
  amount?: number,
  body: string = chatBody,
  duration = seconds,
) {
  const result = await autocannon({
    url,
    method: "POST",
    connections,
    ...(amount ? { amount } : { duration }),
    headers: { "content-type": "application/json", ...headers },
    body,
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

/** One stream: milliseconds from sending it to its first body bytes; the rest is read to the end. */
async function firstByteMs(url: string, headers: Record<string, string>, body: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  const reader = res.body!.getReader();
  await reader.read();
  const ms = performance.now() - t0;
  while (!(await reader.read()).done);
  return ms;
}

function percentiles(times: number[]): { p50: number; p99: number } {
  const sorted = [...times].sort((a, b) => a - b);
  const pick = (q: number) => Number(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(2));
  return { p50: pick(0.5), p99: pick(0.99) };
}

async function timeToFirstByte(
  url: string,
  headers: Record<string, string>,
  body = streamBody,
): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < streams; i++) times.push(await firstByteMs(url, headers, body));
  return percentiles(times);
}

/**
 * The targets' streams taken in turn, one stream each per round. Each stream then follows the other targets' (a
 * Portkey stream takes about 28 ms), so every gateway sits idle between its streams, as one does whose streams
 * come one at a time (docs/decisions/019-memory-and-first-bytes.md). CPU per stream: each gateway's process
 * serves only its own streams, so its CPU time over the phase is theirs.
 */
async function interleavedTimeToFirstByte(targets: Target[]) {
  const times = new Map<Target["name"], number[]>(targets.map((t) => [t.name, []]));
  const cpuBefore = new Map(targets.map((t) => [t.name, t.pid ? cpuMs(t.pid) : 0]));
  for (let i = 0; i < streams; i++)
    for (const t of targets) times.get(t.name)!.push(await firstByteMs(t.url, t.headers, streamBody));
  const out: Record<string, { p50: number; p99: number; cpuMsPerCall?: number }> = {};
  for (const t of targets) {
    const cpu = t.pid ? { cpuMsPerCall: ms((cpuMs(t.pid) - cpuBefore.get(t.name)!) / streams) } : {};
    out[t.name] = { ...percentiles(times.get(t.name)!), ...cpu };
  }
  return out;
}

interface Target {
  name: "direct" | "portkey" | "hub";
  url: string;
  headers: Record<string, string>;
  /** The gateway's process, whose CPU time per call is read (none for the upstream itself). */
  pid?: number;
}

/**
 * Runs `measure` against each target in turn, with the gateway's CPU milliseconds per call when it has a pid;
 * `prepare` runs untimed right before each target's measure (a warm-up).
 */
async function sideBySide<T extends object>(
  targets: Target[],
  calls: number | ((result: T) => number),
  measure: (t: Target) => Promise<T>,
  prepare?: (t: Target) => Promise<unknown>,
): Promise<Record<string, T & { cpuMsPerCall?: number }>> {
  const out: Record<string, T & { cpuMsPerCall?: number }> = {};
  for (const t of targets) {
    await prepare?.(t);
    const before = t.pid ? cpuMs(t.pid) : 0;
    const r = await measure(t);
    const n = typeof calls === "number" ? calls : calls(r);
    out[t.name] = t.pid ? { ...r, cpuMsPerCall: Number(((cpuMs(t.pid) - before) / Math.max(1, n)).toFixed(3)) } : r;
  }
  return out;
}

const ms = (n: number) => Number(n.toFixed(3));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  console.log("Building the production bundle...");
  execFileSync(process.execPath, ["node_modules/@remix-run/dev/dist/cli.js", "vite:build"], {
    cwd: root,
    stdio: "ignore",
  });

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ai-hub-bench-"));
  const upstream = await startUpstream();
  const hub = await startBenchHub(dataDir, upstream.url, { billing, nodeFlags: hubNodeFlags });
  const portkey = await startPortkey(upstream.url);
  const hubPid = hub.child.pid!;
  const auth = { authorization: `Bearer ${hub.key}` };
  const direct = `${upstream.url}/v1/chat/completions`;
  const viaHub = `${hub.url}/api/v2/chat/completions`;
  const targets: Target[] = [
    { name: "direct", url: direct, headers: {} },
    { name: "portkey", url: `${portkey.url}/v1/chat/completions`, headers: portkey.headers, pid: portkey.child.pid },
    { name: "hub", url: viaHub, headers: auth, pid: hubPid },
  ];
  const hubRssMb: Record<string, number> = { started: rssMb(hubPid) };

  // Warm up every path (JIT, pools, caches), each target for the same time: the JSON calls, and the streams, whose
  // code only the stream phase runs (the hub's stream path takes a few thousand streams to reach its steady speed).
  for (const t of targets) await load(t.url, 8, t.headers);
  for (const t of targets) await load(t.url, 8, t.headers, undefined, streamBody);
  hubRssMb.warmedUp = rssMb(hubPid);

  const results: Record<string, unknown> = {
    machine: machine(),
    seconds,
    billing,
  };
  // Concurrency 1, timed per request to the microsecond (autocannon rounds to whole milliseconds), in three
  // interleaved rounds: the p50 is the median of the rounds', so a burst of other load on the machine moves one.
  const rounds: Record<string, Awaited<ReturnType<typeof sequentialLatency>> & { cpuMsPerCall?: number }>[] = [];
  const perRound = Math.ceil(sequential / 3);
  for (let i = 0; i < 3; i++)
    rounds.push(await sideBySide(targets, perRound, (t) => sequentialLatency(t.url, t.headers, chatBody, perRound)));
  const seq = (name: string, field: "p50" | "p99" | "cpuMsPerCall") => median(rounds.map((r) => r[name]![field] ?? 0));
  results.sequential = Object.fromEntries(
    targets.map((t) => [
      t.name,
      {
        p50: seq(t.name, "p50"),
        p99: seq(t.name, "p99"),
        addedP50Ms: ms(seq(t.name, "p50") - seq("direct", "p50")),
        ...(t.pid ? { cpuMsPerCall: seq(t.name, "cpuMsPerCall") } : {}),
      },
    ]),
  );
  hubRssMb.sequential = rssMb(hubPid);
  console.log(
    `sequential (c1, ${perRound * 3} requests each, 3 interleaved rounds): ` +
      targets.map((t) => `${t.name} p50 ${seq(t.name, "p50")} ms p99 ${seq(t.name, "p99")} ms`).join(" | "),
  );
  for (const c of [1, 64]) {
    const r = await sideBySide(
      targets,
      (x: { total: number }) => x.total,
      (t) => load(t.url, c, t.headers),
    );
    results[`c${c}`] = r;
    hubRssMb[`c${c}`] = rssMb(hubPid);
    console.log(
      `concurrency ${c}: ` +
        targets
          .map((t) => {
            const x = r[t.name]!;
            const cpu = x.cpuMsPerCall === undefined ? "" : `, CPU ${x.cpuMsPerCall} ms a call`;
            return `${t.name} ${x.rps} req/s p50 ${x.p50} ms p99 ${x.p99} ms errors ${x.errors}${cpu}`;
          })
          .join(" | "),
    );
  }
  // Streams, two ways. Steady: each target's 200 streams back to back, right after 3 s of its own streams at
  // concurrency 8 (the JSON phases before ran no streams for half a minute), so no target is timed cold or after
  // sitting idle while another target runs. In turn: one stream per target per round, so each stream follows the
  // other targets' streams: closer to a gateway whose streams come one at a time, with idle gaps between them.
  const ttfb = await sideBySide(
    targets,
    streams,
    (t) => timeToFirstByte(t.url, t.headers),
    (t) => load(t.url, 8, t.headers, undefined, streamBody, 3),
  );
  const ttfbInTurn = await interleavedTimeToFirstByte(targets);
  results.streamTtfbMs = ttfb;
  results.streamTtfbInTurnMs = ttfbInTurn;
  hubRssMb.streams = rssMb(hubPid);
  for (const [how, r] of [
    ["steady", ttfb],
    ["in turn", ttfbInTurn],
  ] as const)
    console.log(
      `stream time to first byte (${how}): ` +
        targets.map((t) => `${t.name} p50 ${r[t.name]!.p50} ms p99 ${r[t.name]!.p99} ms`).join(" | "),
    );
  results.bodyLogging = await benchBodyLogging(hub.dataDir, targets[2]!);
  const overChat = await benchOverChat(upstream.url, hub.url, auth);
  results.messages = overChat.messages;
  results.responses = overChat.responses;
  hubRssMb.messagesAndResponses = rssMb(hubPid);
  results.leak = await leakCheck(viaHub, auth, hub.child.pid!, hub.inspector);
  results.hubRssMb = hubRssMb;
  results.portkeyRssMb = rssMb(portkey.child.pid!);
  console.log(
    `hub RSS after each phase (MB): ${JSON.stringify(hubRssMb)}; Portkey's at the end: ${results.portkeyRssMb} MB`,
  );

  // Every request the hub answered must have left a call record.
  await stopProcess(hub.child);
  await stopProcess(portkey.child);
  await stopProcess(upstream.child);
  const { createClient } = await import("@libsql/client");
  const db = createClient({ url: `file:${path.join(dataDir, "hub.db")}` });
  const rows = await db.execute("select status, count(*) as n from model_calls group by status");
  results.callRecords = Object.fromEntries(rows.rows.map((r) => [r.status, Number(r.n)]));
  console.log(`call records: ${JSON.stringify(results.callRecords)}`);
  db.close();

  printSummary(results as unknown as Summary);
  fs.mkdirSync(path.join(root, "bench/results"), { recursive: true });
  fs.writeFileSync(path.join(root, "bench/results/latest.json"), JSON.stringify(results, null, 2) + "\n");
  fs.rmSync(dataDir, { recursive: true, force: true });
}

function machine(): string {
  const model = /model name\s*:\s*(.+)/.exec(fs.readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? os.cpus()[0]?.model;
  return `${os.cpus().length} cores (${model}), Node ${process.version}`;
}

/**
 * Chat at concurrency 1 with body logging off and on (docs/decisions/007-call-body-logging.md), interleaved
 * off, on, three times, each side's figure the median of its rounds; a change of the setting reaches the hub within
 * its settings cache time.
 */
async function benchBodyLogging(dataDir: string, hub: Target) {
  const runs: Record<"off" | "on", { p50: number[]; cpu: number[] }> = {
    off: { p50: [], cpu: [] },
    on: { p50: [], cpu: [] },
  };
  const count = sequential;
  for (const mode of ["off", "on", "off", "on", "off", "on"] as const) {
    await writeSetting(dataDir, "bodyLogRetentionDays", mode === "on" ? "7" : "0");
    await new Promise((r) => setTimeout(r, 5_500));
    const r = await sideBySide([hub], count, (t) => sequentialLatency(t.url, t.headers, chatBody, count));
    runs[mode].p50.push(r.hub!.p50);
    runs[mode].cpu.push(r.hub!.cpuMsPerCall ?? 0);
  }
  await writeSetting(dataDir, "bodyLogRetentionDays", "0");
  const out = {
    off: { p50: ms(median(runs.off.p50)), cpuMsPerCall: ms(median(runs.off.cpu)) },
    on: { p50: ms(median(runs.on.p50)), cpuMsPerCall: ms(median(runs.on.cpu)) },
    cpuOnOverOff: ms(median(runs.on.cpu) / median(runs.off.cpu)),
  };
  console.log(
    `body logging (c1): off p50 ${out.off.p50} ms, CPU ${out.off.cpuMsPerCall} ms a call | ` +
      `on p50 ${out.on.p50} ms, CPU ${out.on.cpuMsPerCall} ms a call (${out.cpuOnOverOff}x)`,
  );
  await new Promise((r) => setTimeout(r, 5_500));
  return out;
}

/**
 * More chat calls at concurrency 64, with RSS and the heap after a full GC read after the first third and at the
 * end: a leak shows as growth between the two, when the process has long reached its working size.
 */
async function leakCheck(url: string, auth: Record<string, string>, pid: number, inspector: string) {
  if (leakCalls <= 0) return null;
  const checkpoints = [Math.round(leakCalls / 3), leakCalls];
  const out: Record<string, { rssMb: number; heapUsedMb: number; externalMb: number }> = {};
  let sent = 0;
  for (const at of checkpoints) {
    const r = await load(url, 64, auth, at - sent);
    if (r.errors) console.log(`leak check: ${r.errors} errors`);
    sent = at;
    const heap = await heapAfterGc(inspector);
    out[`after ${at} calls`] = { rssMb: rssMb(pid), heapUsedMb: heap.heapUsed ?? 0, externalMb: heap.external ?? 0 };
    console.log(`leak check after ${at} calls: ${JSON.stringify(out[`after ${at} calls`])}`);
  }
  return out;
}

/** The table of docs/decisions/016-performance.md: the hub against direct and Portkey, and the goals. */
interface Summary {
  machine: string;
  sequential: Record<"direct" | "portkey" | "hub", { p50: number; addedP50Ms: number; cpuMsPerCall?: number }>;
  c64: Record<"direct" | "portkey" | "hub", { rps: number; cpuMsPerCall?: number }>;
  streamTtfbMs: Record<"direct" | "portkey" | "hub", { p50: number }>;
  streamTtfbInTurnMs: Record<"direct" | "portkey" | "hub", { p50: number }>;
  leak: Record<string, { rssMb: number; heapUsedMb: number }> | null;
  portkeyRssMb: number;
  hubRssMb: Record<string, number>;
  bodyLogging: { cpuOnOverOff: number };
  messages: { overChatP50Ms: number };
  responses: Record<"native" | "translated", { overChatP50Ms: number }>;
}

function printSummary(r: Summary) {
  const seq = r.sequential;
  const c64 = r.c64;
  const ttfb = r.streamTtfbMs;
  const leak = r.leak;
  const rows = [
    ["added latency p50, c1 (ms)", seq.portkey.addedP50Ms, seq.hub.addedP50Ms, "<= 0.35"],
    ["CPU per call, c1 (ms)", seq.portkey.cpuMsPerCall, seq.hub.cpuMsPerCall, ""],
    [
      "throughput, c64 (req/s)",
      `${c64.portkey.rps} (direct ${c64.direct.rps})`,
      `${c64.hub.rps} = ${(c64.hub.rps / c64.portkey.rps).toFixed(2)}x Portkey`,
      ">= 2.5x Portkey",
    ],
    ["CPU per call, c64 (ms)", c64.portkey.cpuMsPerCall, c64.hub.cpuMsPerCall, ""],
    [
      "stream first byte, added p50 (ms)",
      ms(ttfb.portkey.p50 - ttfb.direct.p50),
      ms(ttfb.hub.p50 - ttfb.direct.p50),
      "<= 1.0",
    ],
    [
      "stream first byte, targets in turn, added p50 (ms)",
      ms(r.streamTtfbInTurnMs.portkey.p50 - r.streamTtfbInTurnMs.direct.p50),
      ms(r.streamTtfbInTurnMs.hub.p50 - r.streamTtfbInTurnMs.direct.p50),
      "",
    ],
    ["RSS at the end (MB)", r.portkeyRssMb, r.hubRssMb.messagesAndResponses, "<= 200"],
  ];
  if (leak) {
    const [first, last] = Object.entries(leak);
    if (first && last)
      rows.push([
        `leak check: ${first[0]} -> ${last[0]}`,
        "",
        `RSS ${first[1].rssMb} -> ${last[1].rssMb} MB, heap ${first[1].heapUsedMb} -> ${last[1].heapUsedMb} MB`,
        "flat",
      ]);
  }
  rows.push(
    ["body logging on / off, CPU per call", "", `${r.bodyLogging.cpuOnOverOff}x`, "<= 1.15x"],
    ["/v1/messages over chat, p50 (ms)", "", r.messages.overChatP50Ms, "<= 0.2"],
    ["/v1/responses translated over chat, p50 (ms)", "", r.responses.translated.overChatP50Ms, "<= 0.2"],
    ["/v1/responses native over chat, p50 (ms)", "", r.responses.native.overChatP50Ms, "<= 0.2"],
  );
  console.log(`\n${r.machine}\n| | Portkey | AI Hub | goal |\n| --- | --- | --- | --- |`);
  for (const row of rows) console.log(`| ${row.join(" | ")} |`);
}

/**
 * Anthropic's Messages API and the Responses API (native pass-through and translated onto chat) over chat, at
 * concurrency 1: three interleaved rounds of each path (single runs moved by 0.1-0.2 ms from one to the next), then
 * each stream's first byte. "Over chat" compares added latencies in each round, a path's p50 less its direct p50
 * against chat's p50 less chat's direct p50, and takes the median of the rounds. Messages and translated Responses
 * reach the upstream's chat endpoint, so their direct is chat's; native Responses reach its /v1/responses.
 */
async function benchOverChat(upstreamUrl: string, hubUrl: string, auth: Record<string, string>) {
  const responses = (model: string, stream: boolean) =>
    JSON.stringify({ model, input: "Hello, benchmark!", store: false, stream }); // store:false, as Codex sends
  const message = {
    model: "openai/gpt-4o-mini",
    max_tokens: 256,
    messages: [{ role: "user", content: "Hello, benchmark!" }],
  };
  const directResponses = (stream: boolean) =>
    JSON.stringify({ model: "gpt-4o-mini", input: "Hello, benchmark!", stream });
  const paths = {
    chatDirect: { url: `${upstreamUrl}/v1/chat/completions`, headers: {}, body: chatBody }, // as the sequential rounds send it
    chat: { url: `${hubUrl}/api/v2/chat/completions`, headers: auth, body: chatBody },
    messages: { url: `${hubUrl}/v1/messages`, headers: auth, body: JSON.stringify(message) },
    responsesDirect: { url: `${upstreamUrl}/v1/responses`, headers: {}, body: directResponses(false) },
    native: { url: `${hubUrl}/v1/responses`, headers: auth, body: responses("openai/gpt-4o-mini", false) },
    translated: { url: `${hubUrl}/v1/responses`, headers: auth, body: responses("compat/gpt-4o-mini", false) },
  };
  type Path = keyof typeof paths;
  const p50s = Object.fromEntries(Object.keys(paths).map((k) => [k, [] as number[]])) as Record<Path, number[]>;
  const p99s = Object.fromEntries(Object.keys(paths).map((k) => [k, [] as number[]])) as Record<Path, number[]>;
  for (const path of Object.values(paths)) await sequentialLatency(path.url, path.headers, path.body, 200); // warm-up
  const rounds = 3;
  const count = Math.ceil(sequential / rounds);
  for (let round = 0; round < rounds; round++) {
    for (const [name, path] of Object.entries(paths) as Array<[Path, (typeof paths)[Path]]>) {
      // Each path's own calls first, so none is timed right after the switch from another.
      await sequentialLatency(path.url, path.headers, path.body, 100);
      const r = await sequentialLatency(path.url, path.headers, path.body, count);
      p50s[name].push(r.p50);
      p99s[name].push(r.p99);
    }
  }
  const over = (path: Path, direct: Path) =>
    ms(median(p50s[path].map((v, i) => v - p50s[direct][i]! - (p50s.chat[i]! - p50s.chatDirect[i]!))));
  const p50 = (path: Path) => ms(median(p50s[path]));
  const p99 = (path: Path) => ms(median(p99s[path]));

  const ttfbChat = await timeToFirstByte(paths.chat.url, auth, JSON.stringify({ ...JSON.parse(chatBody), stream: true })); // prettier-ignore
  const ttfbMessages = await timeToFirstByte(paths.messages.url, auth, JSON.stringify({ ...message, stream: true }));
  const ttfbNative = await timeToFirstByte(paths.native.url, auth, responses("openai/gpt-4o-mini", true));
  const ttfbTranslated = await timeToFirstByte(paths.translated.url, auth, responses("compat/gpt-4o-mini", true));
  const ttfbDirect = await timeToFirstByte(paths.responsesDirect.url, {}, directResponses(true));
  const out = {
    chat: { p50: p50("chat"), p99: p99("chat"), direct: p50("chatDirect"), streamTtfbMs: ttfbChat },
    messages: {
      sequential: { p50: p50("messages"), p99: p99("messages") },
      overChatP50Ms: over("messages", "chatDirect"),
      streamTtfbMs: { hub: ttfbMessages, overChatP50Ms: ms(ttfbMessages.p50 - ttfbChat.p50) },
    },
    responses: {
      native: {
        direct: p50("responsesDirect"),
        hub: { p50: p50("native"), p99: p99("native") },
        overChatP50Ms: over("native", "responsesDirect"),
        streamTtfbMs: { direct: ttfbDirect, hub: ttfbNative },
      },
      translated: {
        hub: { p50: p50("translated"), p99: p99("translated") },
        overChatP50Ms: over("translated", "chatDirect"),
        streamTtfbMs: { hub: ttfbTranslated },
      },
    },
  };
  console.log(
    `over chat (c1, ${rounds} interleaved rounds): chat p50 ${out.chat.p50} ms (direct ${out.chat.direct} ms) | ` +
      `messages p50 ${out.messages.sequential.p50} ms, ${out.messages.overChatP50Ms} ms over chat | ` +
      `responses native p50 ${out.responses.native.hub.p50} ms (direct ${out.responses.native.direct} ms), ` +
      `${out.responses.native.overChatP50Ms} ms over chat | responses translated p50 ${out.responses.translated.hub.p50} ms, ` +
      `${out.responses.translated.overChatP50Ms} ms over chat`,
  );
  console.log(
    `stream first byte p50 (ms): chat ${ttfbChat.p50} | messages ${ttfbMessages.p50} | responses native ${ttfbNative.p50} ` +
      `(direct ${ttfbDirect.p50}) | responses translated ${ttfbTranslated.p50}`,
  );
  const stored = await sequentialLatency(paths.native.url, auth, JSON.stringify({ model: "openai/gpt-4o-mini", input: "Hello, benchmark!" }), sequential); // prettier-ignore
  console.log(`responses native with store (default): hub p50 ${stored.p50} ms p99 ${stored.p99} ms`);
  return { messages: out.messages, responses: { ...out.responses, nativeStored: stored } };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
