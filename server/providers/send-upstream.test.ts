import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeUpstreamPools, sendUpstream } from "./http.server";

/** How the fake upstream writes each answer: head and body in one write, the body late, or chunked. */
const answers: Record<string, (res: http.ServerResponse) => void> = {
  "/whole": (res) => {
    const body = Buffer.from(JSON.stringify({ text: "naïve ☕ answer" }));
    res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
    res.end(body);
  },
  "/bom": (res) => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"ok":true}')]);
    res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
    res.end(body);
  },
  "/late": (res) => {
    const body = Buffer.from('{"late":"' + "z".repeat(100) + '"}');
    res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
    res.flushHeaders();
    res.write(body.subarray(0, 10));
    setTimeout(() => res.end(body.subarray(10)), 30);
  },
  "/chunked": (res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"parts":');
    setTimeout(() => res.end("[1,2]}"), 10);
  },
};

let server: http.Server;
let base = "";

beforeAll(async () => {
  server = http.createServer((req, res) => answers[req.url!]!(res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await closeUpstreamPools();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const textOf = async (path: string) =>
  (await sendUpstream({ url: base + path, method: "POST", headers: {}, body: "{}" }, undefined)).text();

describe("an upstream answer's text", () => {
  it("is read whole when it came with its headers, multi-byte characters intact", async () => {
    const res = await sendUpstream({ url: `${base}/whole`, method: "POST", headers: {}, body: "{}" }, undefined);
    expect(JSON.parse(await res.text())).toEqual({ text: "naïve ☕ answer" });
    // Straight from the buffer: the stream was never switched to flowing, as undici's text() does.
    expect((res.body as Readable).readableFlowing).toBeNull();
  });

  it("skips a byte order mark, as undici's text() does", async () => {
    expect(await textOf("/bom")).toBe('{"ok":true}');
  });

  it("waits for a body that arrives after its headers, and for a chunked one", async () => {
    expect(JSON.parse(await textOf("/late"))).toEqual({ late: "z".repeat(100) });
    expect(JSON.parse(await textOf("/chunked"))).toEqual({ parts: [1, 2] });
  });

  it("leaves the connection usable for the next call", async () => {
    for (let i = 0; i < 20; i++) expect(JSON.parse(await textOf(i % 2 ? "/whole" : "/late"))).toBeTruthy();
  });
});
