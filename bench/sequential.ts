/**
 * Precise latency at concurrency 1: sequential requests over one keep-alive connection, timed with
 * performance.now() (autocannon reports whole milliseconds, too coarse for a sub-millisecond overhead).
 */
import { Pool } from "undici";

export async function sequentialLatency(url: string, headers: Record<string, string>, body: string, count: number) {
  const u = new URL(url);
  const pool = new Pool(u.origin, { connections: 1 });
  const times: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      const res = await pool.request({
        path: u.pathname,
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
      });
      await res.body.text();
      if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
      times.push(performance.now() - t0);
    }
  } finally {
    await pool.close();
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => Number(times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(3));
  return {
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    rps: Math.round(1000 / (times.reduce((a, b) => a + b, 0) / times.length)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [url, key] = process.argv.slice(2);
  const body = JSON.stringify({
    model: "openai/gpt-4o-mini",
    messages: [{ role: "user", content: "Hello, benchmark!" }],
  });
  await sequentialLatency(url!, key ? { authorization: `Bearer ${key}` } : {}, body, 500);
  console.log(JSON.stringify(await sequentialLatency(url!, key ? { authorization: `Bearer ${key}` } : {}, body, 3000)));
}
