import { describe, expect, it } from "vitest";
import { createSseParser } from "./sse";

describe("createSseParser", () => {
  it("yields each event's data whatever the chunking, ignoring comments", () => {
    const text = ': ping\n\ndata: {"a":1}\n\ndata: [DONE]\n\n';
    for (const size of [1, 3, 7, text.length]) {
      const parser = createSseParser();
      const out: string[] = [];
      for (let i = 0; i < text.length; i += size) out.push(...parser.push(text.slice(i, i + size)));
      out.push(...parser.end());
      expect(out).toEqual(['{"a":1}', "[DONE]"]);
    }
  });

  it("handles CRLF, multi-line data and a last event without its blank line", () => {
    const parser = createSseParser();
    expect(parser.push("data: one\r\ndata: two\r\n\r\ndata:x")).toEqual(["one\ntwo"]);
    expect(parser.end()).toEqual(["x"]);
  });
});
