import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BodyTimeoutError, BodyTooLargeError, readBody } from "./node-bridge.server";

const LIMITS = { maxBytes: 1_000, timeoutMs: 300 };

/** What readBody gave the server for the last request: the body or the error's name, and whether it went flowing. */
let outcome: Promise<{ body?: string; error?: string; flowing: boolean | null }>;
let server: http.Server;
let port = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    outcome = readBody(req, LIMITS).then(
      (body) => ({ body: body.toString("utf8"), flowing: req.readableFlowing }),
      (error: Error) => ({ error: error.constructor.name, flowing: req.readableFlowing }),
    );
    void outcome.then(() => res.end("ok"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Sends a POST whose bytes go out in `parts` (the head first), `gapMs` apart, and waits for readBody's outcome. */
async function send(body: string, parts: "one write" | "head, then body in pieces", gapMs = 20) {
  const head = `POST /x HTTP/1.1\r\nhost: localhost\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n`;
  const socket = net.connect(port, "127.0.0.1");
  socket.on("error", () => undefined);
  await new Promise<void>((resolve) => socket.once("connect", resolve));
  if (parts === "one write") socket.write(head + body);
  else {
    socket.write(head);
    const half = Math.floor(body.length / 2);
    for (const piece of [body.slice(0, half), body.slice(half)]) {
      await new Promise((r) => setTimeout(r, gapMs));
      socket.write(piece);
    }
  }
  await new Promise((r) => setTimeout(r, 5));
  const result = await outcome;
  socket.destroy();
  return result;
}

describe("readBody", () => {
  it("takes a body that came with its headers straight from the stream's buffer, never flowing", async () => {
    const body = JSON.stringify({ model: "m", messages: [{ role: "user", content: "héllo" }] });
    expect(await send(body, "one write")).toEqual({ body, flowing: null });
  });

  it("reads a body that arrives after its headers as it comes", async () => {
    const body = "x".repeat(600);
    expect(await send(body, "head, then body in pieces")).toEqual({ body, flowing: true });
  });

  it("refuses a body over the limit either way", async () => {
    expect((await send("y".repeat(1_001), "one write")).error).toBe(BodyTooLargeError.name);
    expect((await send("y".repeat(1_001), "head, then body in pieces")).error).toBe(BodyTooLargeError.name);
  });

  it("answers a body that stops coming with the timeout", async () => {
    const head = `POST /x HTTP/1.1\r\nhost: localhost\r\ncontent-length: 100\r\n\r\n`;
    const socket = net.connect(port, "127.0.0.1");
    socket.on("error", () => undefined);
    await new Promise<void>((resolve) => socket.once("connect", resolve));
    socket.write(head + "only part");
    await new Promise((r) => setTimeout(r, 20));
    expect((await outcome).error).toBe(BodyTimeoutError.name);
    socket.destroy();
  });
});
