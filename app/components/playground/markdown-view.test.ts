// Rendered to HTML with React's server renderer: model text must come out escaped, never as markup.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MarkdownView } from "./markdown-view";

const html = (text: string) => renderToStaticMarkup(createElement(MarkdownView, { text }));

describe("MarkdownView", () => {
  it("escapes HTML in paragraphs, code blocks and link text", () => {
    const out = html('<script>alert(1)</script>\n\n```html\n<img src=x onerror=alert(1)>\n```\n\n[<b>x</b>](https://example.com)');
    expect(out).not.toMatch(/<script|<img|<b>/);
    expect(out).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(out).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(out).toContain('href="https://example.com"');
    expect(out).toContain('rel="noopener noreferrer nofollow"');
  });

  it("renders no link for a javascript: address", () => {
    expect(html("[click](javascript:alert(1))")).not.toContain("href");
  });

  it("renders the structure as elements", () => {
    const out = html("## Title\n\n- **a**\n- `b`\n\n```js\nx\n```");
    expect(out).toContain('role="heading"');
    expect(out).toContain("<li><strong>a</strong></li>");
    expect(out).toContain("<code");
    expect(out).toContain("<pre");
  });
});
