import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JsonResponse } from "./json-response";
import { writeWebResponse, type AnswerFrame } from "./node-bridge.server";

const frame: AnswerFrame = {
  always: ["x-request-id", "req-1", "x-client-request-id", "mine"],
  fill: [
    ["x-frame-options", "DENY"],
    ["content-security-policy", "default-src 'none'"],
  ],
};

/** Each path answers one kind of Response through writeWebResponse with the frame above. */
const answers: Record<string, (res: http.ServerResponse) => Response> = {
  "/json": () => new JsonResponse({ ok: "ü" }, { status: 201, headers: { "x-hub-cost": "0.5" } }),
  "/json-own-policy": () =>
    new JsonResponse({ ok: true }, { headers: { "Content-Security-Policy": "default-src 'self'" } }),
  "/json-headers-read": () => {
    const response = new JsonResponse({ ok: true });
    response.headers.set("x-later", "yes");
    return response;
  },
  "/closing": (res) => {
    res.setHeader("connection", "close");
    return new JsonResponse({ error: "too large" }, { status: 413 });
  },
  "/stream": () =>
    new Response(
      new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode("data: 1\n\n"));
          controller.close();
        },
      }),
      { headers: { "content-type": "text/event-stream", "x-frame-options": "SAMEORIGIN" } },
    ),
};

let server: http.Server;
let base = "";

beforeAll(async () => {
  server = http.createServer((req, res) => void writeWebResponse(res, answers[req.url!]!(res), frame));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The raw header lines, to see repeats that fetch would join. */
function rawHeaders(path: string): Promise<{ status: number; raw: string[]; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(base + path, { agent: false }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, raw: res.rawHeaders, body }));
      })
      .on("error", reject);
  });
}

const valuesOf = (raw: string[], name: string) =>
  raw.flatMap((value, i) => (i % 2 === 0 && value.toLowerCase() === name ? [raw[i + 1]!] : []));

describe("an answer frame", () => {
  it("sends a JSON answer's own headers with the frame's, and its exact length", async () => {
    const { status, raw, body } = await rawHeaders("/json");
    expect(status).toBe(201);
    expect(JSON.parse(body)).toEqual({ ok: "ü" });
    expect(valuesOf(raw, "content-length")).toEqual([String(Buffer.byteLength(body))]);
    expect(valuesOf(raw, "content-type")).toEqual(["application/json"]);
    expect(valuesOf(raw, "x-hub-cost")).toEqual(["0.5"]);
    expect(valuesOf(raw, "x-request-id")).toEqual(["req-1"]);
    expect(valuesOf(raw, "x-client-request-id")).toEqual(["mine"]);
    expect(valuesOf(raw, "x-frame-options")).toEqual(["DENY"]);
    expect(valuesOf(raw, "content-security-policy")).toEqual(["default-src 'none'"]);
  });

  it("leaves out a filled header the answer sets itself, whatever its case", async () => {
    const { raw } = await rawHeaders("/json-own-policy");
    expect(valuesOf(raw, "content-security-policy")).toEqual(["default-src 'self'"]);
    expect(valuesOf(raw, "x-frame-options")).toEqual(["DENY"]);
  });

  it("uses a JSON answer's Headers object once someone changed it", async () => {
    const { raw } = await rawHeaders("/json-headers-read");
    expect(valuesOf(raw, "x-later")).toEqual(["yes"]);
    expect(valuesOf(raw, "x-request-id")).toEqual(["req-1"]);
    expect(valuesOf(raw, "x-frame-options")).toEqual(["DENY"]);
  });

  it("keeps headers set on the response before the answer", async () => {
    const { status, raw } = await rawHeaders("/closing");
    expect(status).toBe(413);
    expect(valuesOf(raw, "connection")).toEqual(["close"]);
    expect(valuesOf(raw, "x-request-id")).toEqual(["req-1"]);
  });

  it("frames a streamed answer too, its own headers first", async () => {
    const { raw, body } = await rawHeaders("/stream");
    expect(body).toBe("data: 1\n\n");
    expect(valuesOf(raw, "x-frame-options")).toEqual(["SAMEORIGIN"]);
    expect(valuesOf(raw, "content-security-policy")).toEqual(["default-src 'none'"]);
    expect(valuesOf(raw, "x-request-id")).toEqual(["req-1"]);
  });
});
