/**
 * Between Node's http objects and Web Request/Response: builds a Request whose signal aborts when the client
 * goes away (that is where an abandoned stream gets recorded), and writes a Response back with backpressure.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export class BodyTooLargeError extends Error {}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > limit) return Promise.reject(new BodyTooLargeError());
  // Plain events rather than `for await`: the async iterator costs measurably more per request.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.once("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.once("error", reject);
  });
}

export function toWebRequest(req: IncomingMessage, origin: string, body: Buffer | null, signal: AbortSignal): Request {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  for (const name of ["x-hub-request-id", "x-hub-client-ip"]) {
    const value = req.headers[name];
    if (typeof value === "string") headers.set(name, value);
  }
  const method = req.method ?? "GET";
  return new Request(origin + (req.url ?? "/"), {
    method,
    headers,
    // A Buffer is a valid body at runtime; the DOM typings only want ArrayBuffer-backed views.
    body: method === "GET" || method === "HEAD" || !body ? undefined : (body as unknown as BodyInit),
    signal,
  });
}

export async function writeWebResponse(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  for (const [name, value] of response.headers) {
    if (name === "set-cookie") continue;
    res.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader("set-cookie", cookies);
  if (!response.body) {
    res.end();
    return;
  }
  const type = response.headers.get("content-type") ?? "";
  if (type.includes("json")) {
    // JSON answers are whole: one write with a length, not chunk by chunk. Other bodies (SSE, CSV exports)
    // stream as they are produced.
    const body = Buffer.from(await response.arrayBuffer());
    res.setHeader("content-length", body.length);
    res.end(body);
    return;
  }
  // Usually the first bytes are ready at once and go out with the headers in one packet; when they are not
  // (an answer held back until it is complete), the headers still leave promptly, because AIGNE's client
  // re-sends a request whose headers take too long.
  const flushLater = setTimeout(() => {
    if (!res.headersSent && !res.destroyed) res.flushHeaders();
  }, 20);
  const reader = response.body.getReader();
  const onClose = () => void reader.cancel().catch(() => {});
  res.once("close", onClose);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await new Promise<void>((resolve) => {
        const done = () => { res.off("drain", done); res.off("close", done); resolve(); };
        res.once("drain", done);
        res.once("close", done);
      });
      if (res.destroyed) break;
    }
  } catch {
    // The client went away or the stream failed; the route has already recorded what happened.
  } finally {
    clearTimeout(flushLater);
    res.off("close", onClose);
    if (!res.destroyed) res.end();
  }
}
