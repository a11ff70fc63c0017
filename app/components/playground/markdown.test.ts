import { describe, expect, it } from "vitest";
import { parseInline, parseMarkdown, safeHref } from "./markdown";

describe("parseMarkdown", () => {
  it("reads fenced code (also still open while streaming), headings, lists, quotes and paragraphs", () => {
    const blocks = parseMarkdown("# Title\n\nSome **bold** text\nnext line\n\n- one\n- two\n\n1. first\n2. second\n\n> quoted\n\n```ts\nconst x = 1;\n```\n\n```py\nprint(1)");
    expect(blocks.map((b) => b.kind)).toEqual(["heading", "paragraph", "list", "list", "quote", "code", "code"]);
    expect(blocks[5]).toEqual({ kind: "code", lang: "ts", text: "const x = 1;" });
    expect(blocks[6]).toEqual({ kind: "code", lang: "py", text: "print(1)" });
    expect(blocks[2]).toMatchObject({ ordered: false, items: [[{ kind: "text", text: "one" }], [{ kind: "text", text: "two" }]] });
    expect(blocks[3]).toMatchObject({ ordered: true });
  });

  it("keeps HTML in model text as plain text", () => {
    const blocks = parseMarkdown('<img src=x onerror="alert(1)"> <script>alert(1)</script>');
    expect(blocks).toEqual([{ kind: "paragraph", children: [{ kind: "text", text: '<img src=x onerror="alert(1)"> <script>alert(1)</script>' }] }]);
  });
});

describe("parseInline", () => {
  it("reads code spans, bold, italic and links; nothing inside a code span is Markdown", () => {
    expect(parseInline("a `**x**` *b* __c__ [d](https://example.com)")).toEqual([
      { kind: "text", text: "a " },
      { kind: "code", text: "**x**" },
      { kind: "text", text: " " },
      { kind: "em", children: [{ kind: "text", text: "b" }] },
      { kind: "text", text: " " },
      { kind: "strong", children: [{ kind: "text", text: "c" }] },
      { kind: "text", text: " " },
      { kind: "link", href: "https://example.com", children: [{ kind: "text", text: "d" }] },
    ]);
  });

  it("turns links to javascript: and data: into plain text", () => {
    expect(parseInline("[x](javascript:alert(1))")).toEqual([{ kind: "text", text: "[x](javascript:alert(1)" }, { kind: "text", text: ")" }]);
    expect(parseInline("[x](data:text/html,hi)")).toEqual([{ kind: "text", text: "[x](data:text/html,hi)" }]);
    expect(safeHref(" JavaScript:alert(1)")).toBeNull();
    expect(safeHref("mailto:a@b.c")).toBe("mailto:a@b.c");
  });
});
