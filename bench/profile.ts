/**
 * `npx tsx bench/profile.ts`: where the hub's CPU time and memory go per call. Starts the fast upstream and the
 * production hub under `--cpu-prof`, sends PROFILE_CALLS (default 20,000) chat calls at PROFILE_CONCURRENCY
 * (default 1: sequential over one connection; 64 = autocannon), takes a heap snapshot after the load, stops the
 * hub, and prints self and inclusive CPU time by function and self time by module, in µs per call, and the
 * retained heap by constructor. Needs the production build (`npm run build`). Files go to PROFILE_DIR
 * (default a temporary folder). BENCH_BILLING=1 bills the calls; PROFILE_BODY_LOGGING=1 keeps their bodies.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { startBenchHub, startUpstream, stopProcess, writeHeapSnapshot, writeSetting } from "./processes";
import { sequentialLatency } from "./sequential";

const calls = Number(process.env.PROFILE_CALLS ?? 20_000);
const concurrency = Number(process.env.PROFILE_CONCURRENCY ?? 1);
const top = Number(process.env.PROFILE_TOP ?? 30);
const billing = process.env.BENCH_BILLING === "1";
const bodyLogging = process.env.PROFILE_BODY_LOGGING === "1";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** A module's name: its package under node_modules, the app's own folder, or Node's internals. */
function moduleOf(url: string): string {
  if (!url) return "(native / V8)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith("node:")) return url.split("/").slice(0, 2).join("/");
  return url.replace(/^file:\/\/.*?\/(build|server|app)\//, "$1/");
}

function summarizeCpu(profile: Profile, perCall: number) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const fnName = (n: ProfileNode) =>
    `${n.callFrame.functionName || "(anonymous)"} ${moduleOf(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const modules = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    total += us;
    self.set(fnName(node), (self.get(fnName(node)) ?? 0) + us);
    modules.set(moduleOf(node.callFrame.url), (modules.get(moduleOf(node.callFrame.url)) ?? 0) + us);
    // Inclusive: once for each distinct function on the sample's stack (recursion counted once).
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const n = byId.get(at);
      if (!n) break;
      const name = fnName(n);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + us);
    }
  }
  const idle = self.get("(idle) (native / V8):0") ?? 0;
  const busy = total - idle;
  const table = (m: Map<string, number>) =>
    [...m]
      .filter(([name]) => !name.startsWith("(idle)") && !name.startsWith("(root)") && !name.startsWith("(program)"))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([name, us]) =>
          `${(us / perCall).toFixed(1).padStart(8)} µs ${((100 * us) / busy).toFixed(1).padStart(5)} %  ${name}`,
      )
      .join("\n");
  console.log(`\nbusy CPU ${(busy / perCall).toFixed(1)} µs a call (${calls} calls, idle excluded)`);
  console.log(`\nself time by module:\n${table(modules)}`);
  console.log(`\nself time by function:\n${table(self)}`);
  console.log(`\ninclusive time by function:\n${table(inclusive)}`);
}

/** Self size by constructor in a .heapsnapshot (V8's JSON format). */
function summarizeHeap(file: string) {
  const snap = JSON.parse(fs.readFileSync(file, "utf8")) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snap.snapshot.meta.node_fields;
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ["type", "name", "self_size"].map((f) => fields.indexOf(f)) as [
    number,
    number,
    number,
  ];
  const types = snap.snapshot.meta.node_types[0];
  const bySize = new Map<string, { size: number; count: number }>();
  let total = 0;
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]!] ?? "?";
    const name = type === "object" || type === "closure" ? (snap.strings[snap.nodes[i + nameAt]!] ?? "?") : `(${type})`;
    const size = snap.nodes[i + sizeAt]!;
    total += size;
    const entry = bySize.get(name) ?? { size: 0, count: 0 };
    entry.size += size;
    entry.count++;
    bySize.set(name, entry);
  }
  console.log(`\nheap snapshot: ${(total / 1048576).toFixed(1)} MB in live objects; largest by constructor:`);
  for (const [name, e] of [...bySize].sort((a, b) => b[1].size - a[1].size).slice(0, top))
    console.log(`${(e.size / 1048576).toFixed(2).padStart(8)} MB ${String(e.count).padStart(8)}  ${name.slice(0, 80)}`);
}

async function main() {
  const dir = process.env.PROFILE_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), "ai-hub-profile-"));
  fs.mkdirSync(dir, { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ai-hub-profile-data-"));
  const upstream = await startUpstream();
  const hub = await startBenchHub(dataDir, upstream.url, {
    billing,
    nodeFlags: ["--cpu-prof", `--cpu-prof-dir=${dir}`],
  });
  const url = `${hub.url}/api/v2/chat/completions`;
  const headers = { authorization: `Bearer ${hub.key}` };
  const body = JSON.stringify({
    model: "openai/gpt-4o-mini",
    messages: [{ role: "user", content: "Hello, profile!" }],
  });
  try {
    if (bodyLogging) {
      await writeSetting(dataDir, "bodyLogRetentionDays", "7");
      await new Promise((r) => setTimeout(r, 5_500)); // the hub's settings cache time
    }
    await sequentialLatency(url, headers, body, 2000); // warm-up, in the profile too but spread over more calls
    if (concurrency === 1) await sequentialLatency(url, headers, body, calls);
    else
      await autocannon({
        url,
        method: "POST",
        connections: concurrency,
        amount: calls,
        headers: { "content-type": "application/json", ...headers },
        body,
      });
    await writeHeapSnapshot(hub.inspector, path.join(dir, "after-load.heapsnapshot"));
  } finally {
    await stopProcess(hub.child);
    await stopProcess(upstream.child);
  }
  const files = fs.readdirSync(dir);
  const cpu = files.find((f) => f.endsWith(".cpuprofile"));
  const heap = files.find((f) => f.endsWith(".heapsnapshot"));
  if (cpu) summarizeCpu(JSON.parse(fs.readFileSync(path.join(dir, cpu), "utf8")) as Profile, calls + 2000);
  if (heap) summarizeHeap(path.join(dir, heap));
  console.log(`\nfiles in ${dir}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
