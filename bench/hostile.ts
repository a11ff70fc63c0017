/**
 * `npm run bench:hostile`: the production process (`node bin/start.js`) under hostile traffic, and whether its
 * memory stays flat (docs/decisions/009-hostile-input.md). After a warm-up round of the same kind of traffic
 * (HOSTILE_WARMUP requests, default as many as measured) and a short idle, the hub's RSS (/proc/<pid>/status) is
 * read; then HOSTILE_REQUESTS (default 3,000) fuzzed requests (bad JSON, huge headers, wrong keys, oversized bodies,
 * bad parameters, aborted connections, unknown paths, a few valid calls) at HOSTILE_CONCURRENCY (default 16), a
 * short idle (HOSTILE_IDLE_MS, default 15 s), and RSS again. Passes when after/before ≤ 1.2.
 * The heap after a full GC is read too, through the inspector: what the process keeps, apart from what V8 has
 * not collected or given back yet. Only 127.0.0.1 is ever contacted. Results: printed, and written to
 * bench/results/hostile.json.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { seededRandom } from "../test/helpers/seeded-random";
import { heapAfterGc } from "./processes";

const root = path.resolve(import.meta.dirname, "..");
const total = Number(process.env.HOSTILE_REQUESTS ?? 3000);
const concurrency = Number(process.env.HOSTILE_CONCURRENCY ?? 16);
// As much warm-up as measured traffic: the heap and the allocator settle at their working size first, so growth
// after it is what the traffic keeps, not what a fresh process takes on its first few thousand requests.
const warmup = Number(process.env.HOSTILE_WARMUP ?? total);
/** HOSTILE_SKIP=oversized,aborted: leave kinds out, to see which one moves the memory. */
const skip = new Set((process.env.HOSTILE_SKIP ?? "").split(",").filter(Boolean));
// V8 shrinks an idle heap on its own about 8 s after allocation stops (its "memory reducer"): wait past that.
const idleMs = Number(process.env.HOSTILE_IDLE_MS ?? 15_000);
const MB = 1024 * 1024;

function startHub(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; inspector: string }> {
  const child = spawn(process.execPath, ["bin/start.js"], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the hub did not start:\n${out}`)), 300_000);
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = /"msg":"AI Hub listening","url":"(http:\/\/[^"]+)"/.exec(out);
      const inspector = /Debugger listening on (ws:\/\/\S+)/.exec(out);
      if (m && inspector) {
        clearTimeout(timer);
        child.stdout.off("data", onData);
        child.stdout.resume();
        child.stderr.resume();
        resolve({ child, url: m[1]!, inspector: inspector[1]! });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    child.once("exit", (code) => reject(new Error(`the hub exited ${code}:\n${out}`)));
  });
}

function rssMb(pid: number, field = "VmRSS"): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Math.round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)![1]) / 102.4) / 10;
}

/** RSS by kind: anonymous (heaps, malloc), file-backed (code, mapped files), shared memory (SQLite's WAL index). */
const rssParts = (pid: number) => ({
  anon: rssMb(pid, "RssAnon"),
  file: rssMb(pid, "RssFile"),
  shmem: rssMb(pid, "RssShmem"),
});

interface Shot {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Close the socket after writing this many bytes of the body (an aborted upload). */
  abortAfter?: number;
}

const chat = (content: string, extra: Record<string, unknown> = {}) =>
  Buffer.from(JSON.stringify({ model: "mock/mock-chat", messages: [{ role: "user", content }], ...extra }));

function shot(random: () => number, i: number, key: string): Shot {
  const json = { "content-type": "application/json" };
  const auth = { ...json, authorization: `Bearer ${key}` };
  const pick = random();
  if (pick < 0.15)
    return {
      kind: "bad json",
      method: "POST",
      path: "/api/v2/chat/completions",
      headers: auth,
      body: Buffer.from(`{"model": "mock/mock-chat", "messages": [${"{".repeat(1 + (i % 50))}`),
    };
  if (pick < 0.25)
    return {
      kind: "huge headers",
      method: "GET",
      path: "/api/v2/models",
      headers: { ...auth, "x-junk": "j".repeat(8_000 + ((i * 37) % 10_000)) },
    };
  if (pick < 0.45)
    return {
      kind: "wrong key",
      method: "POST",
      path: "/api/v2/chat/completions",
      headers: { ...json, authorization: `Bearer hub-sk-wrong-${i}-${random().toString(36).slice(2)}` },
      body: chat("hi"),
    };
  if (pick < 0.48)
    return {
      kind: "oversized",
      method: "POST",
      path: "/api/v2/chat/completions",
      headers: auth,
      body: chat("x".repeat(11 * MB)),
    };
  if (pick < 0.6)
    return {
      kind: "bad params",
      method: "POST",
      path: "/api/v2/chat/completions",
      headers: auth,
      body: chat("hi", { temperature: 9, n: 99, stop: ["a", "b", "c", "d", "e"] }),
    };
  if (pick < 0.7)
    return {
      kind: "aborted",
      method: "POST",
      path: "/api/v2/chat/completions",
      headers: { ...auth, "content-length": "5000" },
      body: chat("y".repeat(4_800)),
      abortAfter: 1_000,
    };
  if (pick < 0.8)
    return {
      kind: "unknown path",
      method: random() < 0.5 ? "GET" : "POST",
      path: `/api/v9/${random().toString(36).slice(2)}/../x?${"q=1&".repeat(i % 40)}`,
      headers: auth,
      body: random() < 0.5 ? chat("z") : undefined,
    };
  if (pick < 0.88)
    return {
      kind: "aborted stream",
      method: "POST",
      path: "/api/v2/chat/completions",
      headers: auth,
      body: chat(`[[delay=5]] ${"word ".repeat(40)}`, { stream: true }),
      abortAfter: -1,
    };
  return { kind: "valid", method: "POST", path: "/api/v2/chat/completions", headers: auth, body: chat(`hello ${i}`) };
}

/** Sends one shot on its own connection; resolves with the status (0 when the connection was cut, by either side). */
function send(origin: URL, s: Shot): Promise<number> {
  return new Promise((resolve) => {
    if (s.abortAfter !== undefined && s.abortAfter >= 0) {
      const socket = net.connect(Number(origin.port), origin.hostname);
      const head = [
        `${s.method} ${s.path} HTTP/1.1`,
        `host: ${origin.host}`,
        ...Object.entries(s.headers).map(([k, v]) => `${k}: ${v}`),
      ].join("\r\n");
      socket.on("error", () => resolve(0));
      socket.write(`${head}\r\n\r\n`);
      socket.write(s.body!.subarray(0, s.abortAfter), () => {
        socket.destroy();
        resolve(0);
      });
      return;
    }
    const req = http.request(
      origin.origin + s.path,
      { method: s.method, headers: { ...s.headers, connection: "close" } },
      (res) => {
        if (s.abortAfter === -1) {
          // Leave in the middle of a stream, once its first bytes are here.
          res.once("data", () => {
            req.destroy();
            resolve(res.statusCode ?? 0);
          });
        } else res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", () => resolve(0));
    req.end(s.body);
  });
}

async function round(
  origin: URL,
  key: string,
  count: number,
  seed: number,
): Promise<Record<string, Record<string, number>>> {
  const random = seededRandom(seed);
  const shots = Array.from({ length: count }, (_, i) => shot(random, i, key)).filter((s) => !skip.has(s.kind));
  const outcomes: Record<string, Record<string, number>> = {};
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < shots.length) {
        const s = shots[next++]!;
        const status = await send(origin, s);
        const byKind = (outcomes[s.kind] ??= {});
        byKind[status] = (byKind[status] ?? 0) + 1;
      }
    }),
  );
  return outcomes;
}

function hubCli(env: Record<string, string>, ...args: string[]): string {
  return execFileSync(process.execPath, ["bin/hub.js", ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: "utf8",
  }).trim();
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ai-hub-hostile-"));
  const env = { HUB_DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info" };
  hubCli(env, "users", "create", "--email", "hostile@example.com", "--name", "Hostile");
  const key = hubCli(env, "keys", "create", "--user", "hostile@example.com", "--name", "hostile").split("\n").at(-1)!;
  hubCli(env, "providers", "add", "--kind", "mock", "--name", "mock");
  // The inspector (on a free 127.0.0.1 port) only reads the heap; the traffic is the same without it.
  const hub = await startHub({ ...env, NODE_OPTIONS: "--expose-gc --inspect=127.0.0.1:0" });
  const origin = new URL(hub.url);
  const pid = hub.child.pid!;
  try {
    const started = rssMb(pid);
    await round(origin, key, warmup, 7);
    await new Promise((r) => setTimeout(r, idleMs));
    const before = rssMb(pid);
    const partsBefore = rssParts(pid);
    const heapBefore = await heapAfterGc(hub.inspector);
    const t0 = performance.now();
    const outcomes = await round(origin, key, total, 42);
    const seconds = Number(((performance.now() - t0) / 1000).toFixed(1));
    const peak = rssMb(pid);
    await new Promise((r) => setTimeout(r, idleMs));
    const after = rssMb(pid);
    const partsAfter = rssParts(pid);
    const heapAfter = await heapAfterGc(hub.inspector);
    const ratio = Number((after / before).toFixed(3));
    const results = {
      machine: `${os.cpus().length} cores, Node ${process.version}`,
      requests: total,
      warmup,
      concurrency,
      seconds,
      rssMb: { started, before, peak, after },
      ratio,
      rssPartsMb: { before: partsBefore, after: partsAfter },
      heapAfterGcMb: { before: heapBefore, after: heapAfter },
      outcomes,
    };
    console.log(JSON.stringify(results, null, 2));
    console.log(
      `RSS ${before} MB → ${after} MB after ${total} hostile requests (peak ${peak} MB): ${ratio}x ${
        ratio <= 1.2 ? "(within 1.2x)" : "(OVER 1.2x)"
      }`,
    );
    console.log(
      `heap used after a full GC: ${heapBefore.heapUsed} MB → ${heapAfter.heapUsed} MB; ` +
        `external ${heapBefore.external} MB → ${heapAfter.external} MB`,
    );
    fs.mkdirSync(path.join(root, "bench/results"), { recursive: true });
    fs.writeFileSync(path.join(root, "bench/results/hostile.json"), JSON.stringify(results, null, 2) + "\n");
    process.exitCode = ratio <= 1.2 ? 0 : 1;
  } finally {
    hub.child.kill("SIGTERM");
    await new Promise((r) => hub.child.once("exit", r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
