/**
 * A tiny HTTP server on 127.0.0.1 for fake provider upstreams. Each fake (openai.ts, anthropic.ts, ...) supplies
 * a handler that speaks its provider's real wire format; this file only owns listening, recording requests and
 * closing. Tests use the `requests` log to assert what the gateway actually sent.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type FakeHandler = (req: RecordedRequest, res: http.ServerResponse) => void | Promise<void>;

export interface FakeUpstream {
  /** e.g. "http://127.0.0.1:43121" (no trailing slash). */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startFakeUpstream(handler: FakeHandler): Promise<FakeUpstream> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const recorded: RecordedRequest = {
        method: req.method ?? "GET",
        path: req.url ?? "/",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(recorded);
      Promise.resolve(handler(recorded, res)).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: String(error) } }));
      });
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Write SSE events with an optional pause between them (for slow and broken stream scenarios). */
export async function writeSse(
  res: http.ServerResponse,
  events: Array<{ event?: string; data: string }>,
  options: { delayMs?: number; breakAfter?: number } = {},
): Promise<void> {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  let i = 0;
  for (const e of events) {
    if (options.breakAfter !== undefined && i === options.breakAfter) {
      // Let the bytes already written leave the socket first: Node holds back a response's first writes a tick.
      await new Promise((r) => setTimeout(r, 10));
      res.socket?.destroy();
      return;
    }
    res.write(`${e.event ? `event: ${e.event}\n` : ""}data: ${e.data}\n\n`);
    i++;
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
  }
  res.end();
}
