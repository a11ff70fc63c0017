/**
 * `npx tsx bench/ab.ts`: an A/B comparison of two hubs on one fast upstream, by the hub's CPU time per call (from
 * /proc), which moves much less than latency on a shared machine. A and B run the same load in alternation,
 * AB_ROUNDS (default 8) times each, AB_SECONDS (default 5) a run at AB_CONCURRENCY (default 64; 1 = sequential
 * calls over one connection). Each side is a build (AB_A_BUILD / AB_B_BUILD: a server/index.js; default build/)
 * with node flags (AB_A_FLAGS / AB_B_FLAGS, space-separated). To compare a change: `npm run build`, copy
 * build/ to bench/results/ab-a/, make the change, `npm run build` again, AB_A_BUILD=bench/results/ab-a/server/index.js.
 * Prints each round and the mean and standard deviation per side. BENCH_BILLING=1 bills the calls.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { cpuMs, root, rssMb, startBenchHub, startUpstream, stopProcess } from "./processes";
import { sequentialLatency } from "./sequential";

const rounds = Number(process.env.AB_ROUNDS ?? 8);
const seconds = Number(process.env.AB_SECONDS ?? 5);
const concurrency = Number(process.env.AB_CONCURRENCY ?? 64);
const billing = process.env.BENCH_BILLING === "1";
const body = JSON.stringify({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "Hello, A/B!" }] });

async function run(url: string, headers: Record<string, string>): Promise<{ calls: number; p50: number }> {
  if (concurrency === 1) {
    const started = performance.now();
    let calls = 0;
    let p50 = 0;
    while (performance.now() - started < seconds * 1000) {
      p50 = (await sequentialLatency(url, headers, body, 500)).p50;
      calls += 500;
    }
    return { calls, p50 };
  }
  const r = await autocannon({
    url,
    method: "POST",
    connections: concurrency,
    duration: seconds,
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  return { calls: r.requests.total, p50: r.latency.p50 };
}

async function main() {
  const upstream = await startUpstream();
  const sides = [];
  for (const side of ["A", "B"] as const) {
    const build = process.env[`AB_${side}_BUILD`];
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `ai-hub-ab-${side}-`));
    const hub = await startBenchHub(dataDir, upstream.url, {
      billing,
      nodeFlags: (process.env[`AB_${side}_FLAGS`] ?? "").split(" ").filter(Boolean),
      serverBuild: build ? path.resolve(root, build) : undefined,
    });
    sides.push({ side, hub, cpu: [] as number[], p50: [] as number[] });
  }
  for (const s of sides) await run(`${s.hub.url}/api/v2/chat/completions`, { authorization: `Bearer ${s.hub.key}` });
  for (let i = 0; i < rounds; i++) {
    // Alternate which side goes first, so a trend in the machine's load falls on both alike.
    for (const s of i % 2 ? [...sides].reverse() : sides) {
      const pid = s.hub.child.pid!;
      const before = cpuMs(pid);
      const r = await run(`${s.hub.url}/api/v2/chat/completions`, { authorization: `Bearer ${s.hub.key}` });
      s.cpu.push((cpuMs(pid) - before) / r.calls);
      s.p50.push(r.p50);
      console.log(`round ${i + 1} ${s.side}: ${(1000 * s.cpu.at(-1)!).toFixed(0)} µs CPU a call, p50 ${r.p50} ms, ${r.calls} calls, RSS ${rssMb(pid)} MB`); // prettier-ignore
    }
  }
  const stats = (xs: number[]) => {
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
    return { mean, sd };
  };
  for (const s of sides) {
    const c = stats(s.cpu);
    console.log(`${s.side}: CPU ${(1000 * c.mean).toFixed(0)} ± ${(1000 * c.sd).toFixed(0)} µs a call (mean ± sd of ${rounds}), p50 ${stats(s.p50).mean.toFixed(3)} ms`); // prettier-ignore
    await stopProcess(s.hub.child);
    fs.rmSync(s.hub.dataDir, { recursive: true, force: true });
  }
  const [a, b] = sides.map((s) => stats(s.cpu).mean) as [number, number];
  console.log(`B - A: ${(1000 * (b - a)).toFixed(0)} µs a call (${((100 * (b - a)) / a).toFixed(1)} %)`);
  await stopProcess(upstream.child);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
