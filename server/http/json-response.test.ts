import { describe, expect, it } from "vitest";
import { JsonResponse } from "./json-response";

const answer = { id: "chatcmpl-1", choices: [{ message: { role: "assistant", content: "héllo" } }] };
const text = JSON.stringify(answer);

describe("JsonResponse", () => {
  it("is a Response with the JSON's text, status and headers", async () => {
    const res = new JsonResponse(answer, { status: 201, headers: { "x-hub-cost": "0.1" } });
    expect(res).toBeInstanceOf(Response);
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("x-hub-cost")).toBe("0.1");
    expect(res.jsonText).toBe(text);
    expect(res.bodyUsed).toBe(false);
    expect(await res.json()).toEqual(answer);
    expect(res.bodyUsed).toBe(true);
  });

  it("lets its headers override the content type", () => {
    const res = new JsonResponse(answer, { headers: { "content-type": "application/problem+json" } });
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });

  it("reads as text, bytes and a blob, each body once", async () => {
    expect(await new JsonResponse(answer).text()).toBe(text);
    expect(new TextDecoder().decode(await new JsonResponse(answer).arrayBuffer())).toBe(text);
    const blob = await new JsonResponse(answer).blob();
    expect(blob.type).toBe("application/json");
    expect(await blob.text()).toBe(text);
    const once = new JsonResponse(answer);
    await once.text();
    await expect(once.text()).rejects.toThrow(TypeError);
    await expect(once.json()).rejects.toThrow(TypeError);
  });

  it("streams its body to readers of `body`, which use it up", async () => {
    const res = new JsonResponse(answer);
    expect(res.body).toBe(res.body);
    expect(await new Response(res.body).text()).toBe(text);
    expect(res.bodyUsed).toBe(true);
    await expect(res.text()).rejects.toThrow(TypeError);
  });

  it("can be wrapped in a new Response, as Remix and middleware do", async () => {
    const res = new JsonResponse(answer, { status: 429, headers: { "retry-after": "3" } });
    const wrapped = new Response(res.body, res);
    expect(wrapped.status).toBe(429);
    expect(wrapped.headers.get("retry-after")).toBe("3");
    expect(await wrapped.json()).toEqual(answer);
  });

  it("clones into an independent copy, and refuses to once read", async () => {
    const res = new JsonResponse(answer, { status: 400, headers: { "x-request-id": "r1" } });
    const copy = res.clone();
    expect(copy).toBeInstanceOf(JsonResponse);
    expect(copy.status).toBe(400);
    expect(copy.headers.get("x-request-id")).toBe("r1");
    expect(await copy.json()).toEqual(answer);
    expect(await res.json()).toEqual(answer);
    expect(() => res.clone()).toThrow(TypeError);
  });

  it("keeps its headers as given until something asks for the Headers object, and that one counts after", () => {
    const res = new JsonResponse(answer, { headers: { "x-hub-cost": "0.1" } });
    expect(res.plainHeaders()).toEqual({ "content-type": "application/json", "x-hub-cost": "0.1" });
    res.headers.set("x-extra", "yes");
    expect(res.plainHeaders()).toBeNull();
    expect(res.headers.get("x-extra")).toBe("yes");
    expect(res.headers.get("x-hub-cost")).toBe("0.1");
  });
});
