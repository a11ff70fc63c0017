import { describe, expect, it } from "vitest";
import { assertSameOrigin, isSameOriginFormPost, isSameOriginRequest } from "./csrf";

const PUBLIC_URL = "https://hub.example.com";
const post = (headers: Record<string, string>, url = "https://hub.example.com/signout") =>
  new Request(url, { method: "POST", headers });

describe("isSameOriginRequest", () => {
  it("lets reads through", () => {
    expect(
      isSameOriginRequest(
        new Request("https://hub.example.com/x", { headers: { "sec-fetch-site": "cross-site" } }),
        PUBLIC_URL,
      ),
    ).toBe(true);
  });

  it("judges by Sec-Fetch-Site when the browser sends it", () => {
    expect(isSameOriginRequest(post({ "sec-fetch-site": "same-origin" }), PUBLIC_URL)).toBe(true);
    expect(isSameOriginRequest(post({ "sec-fetch-site": "none" }), PUBLIC_URL)).toBe(true); // typed into the address bar
    expect(
      isSameOriginRequest(post({ "sec-fetch-site": "cross-site", origin: "https://hub.example.com" }), PUBLIC_URL),
    ).toBe(false);
    // Another port or subdomain of the same site is still another origin.
    expect(isSameOriginRequest(post({ "sec-fetch-site": "same-site" }), PUBLIC_URL)).toBe(false);
  });

  it("falls back to Origin: the public URL or the request's own origin", () => {
    expect(isSameOriginRequest(post({ origin: "https://hub.example.com" }), PUBLIC_URL)).toBe(true);
    expect(
      isSameOriginRequest(post({ origin: "http://10.0.0.5:3000" }, "http://10.0.0.5:3000/signout"), PUBLIC_URL),
    ).toBe(true);
    expect(isSameOriginRequest(post({ origin: "https://evil.example" }), PUBLIC_URL)).toBe(false);
    expect(isSameOriginRequest(post({ origin: "null" }), PUBLIC_URL)).toBe(false); // sandboxed iframes, data: URLs
    expect(isSameOriginRequest(post({ origin: "https://hub.example.com.evil.example" }), PUBLIC_URL)).toBe(false);
  });

  it("lets non-browser clients (no Sec-Fetch-Site, no Origin) through", () => {
    expect(isSameOriginRequest(post({}), PUBLIC_URL)).toBe(true);
  });

  it("assertSameOrigin throws a 403 page that says why", async () => {
    let thrown: unknown;
    try {
      assertSameOrigin(post({ "sec-fetch-site": "cross-site" }), PUBLIC_URL);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(403);
    expect(await (thrown as Response).text()).toMatch(/another site/);
  });
});

describe("isSameOriginFormPost (posts to pages and forms)", () => {
  it("judges like isSameOriginRequest when the browser says where the post came from", () => {
    expect(isSameOriginFormPost(post({ "sec-fetch-site": "same-origin" }), PUBLIC_URL)).toBe(true);
    expect(isSameOriginFormPost(post({ "sec-fetch-site": "cross-site" }), PUBLIC_URL)).toBe(false);
    expect(isSameOriginFormPost(post({ origin: "https://hub.example.com" }), PUBLIC_URL)).toBe(true);
    expect(isSameOriginFormPost(post({ origin: "https://evil.example" }), PUBLIC_URL)).toBe(false);
    expect(isSameOriginFormPost(post({ origin: "null" }), PUBLIC_URL)).toBe(false);
  });

  it("refuses a post that proves no origin, unless its Referer is on the hub", () => {
    expect(isSameOriginFormPost(post({}), PUBLIC_URL)).toBe(false);
    expect(isSameOriginFormPost(post({ referer: "https://evil.example/x" }), PUBLIC_URL)).toBe(false);
    expect(isSameOriginFormPost(post({ referer: "not a url" }), PUBLIC_URL)).toBe(false);
    expect(isSameOriginFormPost(post({ referer: "https://hub.example.com/keys?x=1" }), PUBLIC_URL)).toBe(true);
  });
});
