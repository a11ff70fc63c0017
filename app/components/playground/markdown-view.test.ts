// Rendered to HTML with React's server renderer: model text must come out escaped, never as markup.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MarkdownView } from "./markdown-view.client";

const html = (text: string) => renderToStaticMarkup(createElement(MarkdownView, { text }));

describe("MarkdownView", () => {
  it("shows raw HTML as text in paragraphs, code blocks and link text, never as markup", () => {
    const out = html(
      '<script>alert(1)</script>\n\nUse a <div onclick="x()"> here.\n\n```html\n<img src=x onerror=alert(1)>\n```\n\n[<b>x</b>](https://example.com)',
    );
    expect(out).not.toMatch(/<script|<img|<b>|<div onclick/);
    expect(out).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(out).toContain("&lt;div onclick=&quot;x()&quot;&gt;");
    expect(out).toContain('&lt;<span class="hljs-name">img</span>');
    expect(out).toContain('href="https://example.com"');
    expect(out).toContain('rel="noopener noreferrer nofollow"');
  });

  it("keeps only http(s) and mailto links, and turns images into links", () => {
    expect(html("[click](javascript:alert(1))")).not.toContain("href");
    expect(html("[x](data:text/html,hi)")).not.toContain("href");
    expect(html("[mail](mailto:a@b.c)")).toContain('href="mailto:a@b.c"');
    const image = html("![a chart](https://tracker.example/pixel.png)");
    expect(image).not.toContain("<img");
    expect(image).toContain('href="https://tracker.example/pixel.png"');
  });

  it("renders GitHub-flavoured Markdown: tables, task lists, strikethrough, autolinks and nested lists", () => {
    const out = html(
      "| Name | Qty |\n| :--- | ---: |\n| apple | 3 |\n\n- [x] done\n- [ ] todo\n\n~~old~~ see https://example.com/docs\n\n1. one\n   - inner",
    );
    expect(out).toMatch(/<table[^>]*>.*<th[^>]*>Name<\/th>.*<td[^>]*>apple<\/td>.*<td[^>]*>3<\/td>/s);
    expect(out).toMatch(/<li class="task-list-item"><input type="checkbox" disabled=""[^>]*checked=""\/> done/);
    expect(out).toMatch(/<li class="task-list-item"><input type="checkbox" disabled=""[^>]*class="[^"]*"\/> todo/);
    expect(out).toContain("<del>old</del>");
    expect(out).toContain('href="https://example.com/docs"');
    expect(out).toMatch(/<ol[^>]*>\s*<li>one\s*<ul[^>]*>\s*<li>inner<\/li>\s*<\/ul>/s);
  });

  it("colours fenced code by its language and keeps the language label", () => {
    const out = html("```ts\nconst total: number = 3; // sum\n```");
    expect(out).toContain(">ts</span>");
    expect(out).toMatch(/<code class="hljs language-ts">/);
    expect(out).toContain('<span class="hljs-keyword">const</span>');
    expect(out).toContain('<span class="hljs-comment">// sum</span>');
  });

  it("renders half-streamed answers: an open fence and half a table", () => {
    expect(html("Here:\n\n```python\ndef f():")).toMatch(/<code class="hljs language-python">.*def/s);
    expect(html("| a | b |\n| --- | --- |\n| 1 |")).toMatch(/<td[^>]*>1<\/td>/);
    expect(html("| a | b |\n| --")).toContain("| a | b |");
  });
});
