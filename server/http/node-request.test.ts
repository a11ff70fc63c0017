/**
 * The Request a resource route gets from the listener (./node-request.ts): what it serves itself reads as a Web
 * Request would, and what it hands to a real Request on first use (forms, clones, the body stream) carries the same
 * method, URL, headers, bytes and signal.
 */
import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { NodeRequest } from "./node-request";

/** What Node's parser gives a listener, for the fields the request reads. */
function incoming(method: string, url: string, rawHeaders: string[]): IncomingMessage {
  const headers: Record<string, string> = {};
  for (let i = 0; i < rawHeaders.length; i += 2) headers[rawHeaders[i]!.toLowerCase()] ??= rawHeaders[i + 1]!;
  return { method, url, rawHeaders, headers } as unknown as IncomingMessage;
}

const origin = "http://hub.test";

describe("NodeRequest", () => {
  it("reads method, URL and headers as a Web Request does, repeats joined and set-cookie apart", () => {
    const req = incoming("POST", "/v1/chat/completions?x=1", [
      "Content-Type", "application/json",
      "X-Forwarded-For", "10.0.0.1",
      "x-forwarded-for", "10.0.0.2",
      "Authorization", "Bearer one",
      "Authorization", "Bearer two",
      "Set-Cookie", "a=1",
      "Set-Cookie", "b=2",
    ]); // prettier-ignore
    const request = new NodeRequest(req, origin, Buffer.from("{}"));
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
    const web = new Request(`${origin}/v1/chat/completions?x=1`, { method: "POST", headers });
    expect(request.method).toBe("POST");
    expect(request.url).toBe(web.url);
    for (const name of ["content-type", "X-Forwarded-For", "authorization", "set-cookie", "missing"])
      expect(request.headers.get(name)).toBe(web.headers.get(name));
    expect(request.headers.getSetCookie()).toEqual(web.headers.getSetCookie());
    expect([...request.headers]).toEqual([...web.headers]);
    expect(request.headers.has("CONTENT-TYPE")).toBe(true);
  });

  it("takes the listener's own headers over the client's values of them", () => {
    const req = incoming("GET", "/api/v2/status", ["X-Hub-Client-Ip", "6.6.6.6", "x-hub-request-id", "forged"]);
    req.headers["x-hub-client-ip"] = "127.0.0.1";
    req.headers["x-hub-request-id"] = "req_hub";
    const request = new NodeRequest(req, origin, null);
    expect(request.headers.get("x-hub-client-ip")).toBe("127.0.0.1");
    expect(request.headers.get("x-hub-request-id")).toBe("req_hub");
  });

  it("serves its body from the bytes read, as often as asked", async () => {
    const request = new NodeRequest(incoming("POST", "/", ["content-type", "application/json"]), origin, Buffer.from('{"a":"é"}')); // prettier-ignore
    expect(await request.json()).toEqual({ a: "é" });
    expect(await request.text()).toBe('{"a":"é"}');
    expect(new TextDecoder().decode(await request.arrayBuffer())).toBe('{"a":"é"}');
    expect((await request.blob()).type).toBe("application/json");
    expect(await new NodeRequest(incoming("GET", "/", []), origin, null).text()).toBe("");
  });

  it("reads forms from its bytes, and hands clones and the body stream to a real Request with the same bytes", async () => {
    const form = "name=Ada&role=owner";
    const request = new NodeRequest(incoming("POST", "/device/token", ["Content-Type", "application/x-www-form-urlencoded"]), origin, Buffer.from(form)); // prettier-ignore
    const fields = await request.formData();
    expect(fields.get("name")).toBe("Ada");
    expect(request.mode).toBe("cors");
    expect(await request.clone().text()).toBe(form);
    expect(await new Response(request.body).text()).toBe(form);
    expect(request.bodyUsed).toBe(true);
  });

  it("aborts its signal when the client leaves, whether the signal was read before or after", () => {
    const early = new NodeRequest(incoming("POST", "/", []), origin, null);
    const signal = early.signal;
    expect(signal.aborted).toBe(false);
    early.abort();
    expect(signal.aborted).toBe(true);
    const late = new NodeRequest(incoming("POST", "/", []), origin, null);
    late.abort();
    expect(late.signal.aborted).toBe(true);
    expect(late.signal).toBe(late.signal);
  });
});
