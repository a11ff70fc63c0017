import { describe, expect, it } from "vitest";
import { eventEnd, firstEventFirst } from "./first-event";

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

async function* reads(...parts: string[]) {
  for (const p of parts) yield bytes(p);
}

async function drain(it: AsyncIterator<Uint8Array>, max = 100): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < max; i++) {
    const n = await it.next();
    if (n.done) break;
    out.push(text(n.value));
  }
  return out;
}

describe("firstEventFirst", () => {
  it("hands out one event at a time while splitting, then the rest of a read whole", async () => {
    const reader = firstEventFirst(reads("data: 1\n\ndata: 2\n\ndata: 3\n\n", "data: 4\n\n"));
    expect(text((await reader.iterator.next()).value as Uint8Array)).toBe("data: 1\n\n");
    expect(text((await reader.iterator.next()).value as Uint8Array)).toBe("data: 2\n\n");
    reader.whole();
    expect(await drain(reader.iterator)).toEqual(["data: 3\n\n", "data: 4\n\n"]);
  });

  it("loses and reorders no byte, whatever the event endings and read boundaries", async () => {
    const parts = ["event: a\r\ndata: x\r\n\r\nevent: b\r\n", "data: é\r\n\r\n: ping\n\ndata: [DONE]\n\n", "tail"];
    const reader = firstEventFirst(reads(...parts));
    expect((await drain(reader.iterator)).join("")).toBe(parts.join(""));
  });

  it("finds the end of the first event, CRLF or LF, and none in a partial one", () => {
    expect(eventEnd(bytes("data: 1\n\nrest"))).toBe(9);
    expect(eventEnd(bytes("data: 1\r\n\r\nrest"))).toBe(11);
    expect(eventEnd(bytes("data: 1\ndata: 2\n"))).toBe(-1);
    expect(eventEnd(bytes("data: 1\r\n\rx"))).toBe(-1);
  });
});
