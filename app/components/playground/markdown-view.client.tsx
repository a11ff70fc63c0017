/**
 * Model answers as GitHub-flavoured Markdown (tables, task lists, strikethrough, autolinks, nested lists) with
 * syntax-coloured code, rendered by react-markdown straight to React elements. Nothing in model text can run:
 * raw HTML is shown as the text it is (./html-as-text.ts), links keep only http(s) and mailto addresses, and
 * images become links, so a model cannot make the browser load a third-party address. A half-streamed answer
 * (an open fence, half a table) is valid Markdown at every step, so it renders as it grows.
 * A client module: the server build leaves it empty, so the Markdown libraries are never loaded in the server
 * process (docs/decisions/021-server-memory.md).
 */
import type { ComponentProps, ReactNode } from "react";
import ReactMarkdown, { type Components, type ExtraProps } from "react-markdown";
import rehypeHighlight from "rehype-highlight";
import remarkGfm from "remark-gfm";
import { CopyButton } from "~/components/keys/copy-button";
import { remarkHtmlAsText } from "./html-as-text";

/** Only links a click cannot turn into script: http(s) and mailto. */
export function safeHref(href: string): string | null {
  const trimmed = href.trim();
  return /^(https?:\/\/|mailto:)/i.test(trimmed) ? trimmed : null;
}

/** A syntax-tree element as react-markdown hands it to components (its own hast types). */
type Element = NonNullable<ExtraProps["node"]>;
type ElementContent = Element["children"][number];

function textOf(node: ElementContent | Element): string {
  if (node.type === "text") return node.value;
  if (node.type === "element") return node.children.map(textOf).join("");
  return "";
}

function CodeBlock({ node, children }: ComponentProps<"pre"> & ExtraProps) {
  const code = node?.children.find((c): c is Element => c.type === "element" && c.tagName === "code");
  const classes = code?.properties?.className;
  const language = (Array.isArray(classes) ? classes : [])
    .map(String)
    .find((c) => c.startsWith("language-"))
    ?.slice(9);
  return (
    <div className="overflow-hidden rounded-lg border border-line">
      <div className="flex items-center justify-between bg-surface-sunken px-3 py-1 text-xs text-ink-muted">
        <span>{language ?? "code"}</span>
        <CopyButton
          text={code ? textOf(code).replace(/\n$/, "") : ""}
          label="Copy code"
          className="rounded px-2 py-0.5 hover:bg-surface hover:text-ink"
        />
      </div>
      <pre className="markdown-code overflow-x-auto bg-ink p-3 font-mono text-xs leading-relaxed text-surface-sunken">
        {children}
      </pre>
    </div>
  );
}

function Link({ href, children }: { href?: string; children?: ReactNode }) {
  const safe = href ? safeHref(href) : null;
  if (!safe) return <>{children}</>;
  return (
    <a href={safe} target="_blank" rel="noopener noreferrer nofollow" className="text-brand-700 underline">
      {children}
    </a>
  );
}

const components: Components = {
  pre: CodeBlock,
  code: ({ className, children }) =>
    className?.includes("hljs") || className?.startsWith("language-") ? (
      <code className={className}>{children}</code>
    ) : (
      <code className="rounded bg-surface-sunken px-1 py-0.5 font-mono text-[0.85em]">{children}</code>
    ),
  a: ({ href, children }) => <Link href={href}>{children}</Link>,
  img: ({ src, alt }) => <Link href={typeof src === "string" ? src : undefined}>{alt || src}</Link>,
  h1: ({ children }) => (
    <p role="heading" aria-level={3} className="text-base font-semibold">
      {children}
    </p>
  ),
  h2: ({ children }) => (
    <p role="heading" aria-level={4} className="text-base font-semibold">
      {children}
    </p>
  ),
  h3: ({ children }) => (
    <p role="heading" aria-level={5} className="text-sm font-semibold">
      {children}
    </p>
  ),
  h4: ({ children }) => (
    <p role="heading" aria-level={6} className="text-sm font-semibold">
      {children}
    </p>
  ),
  ul: ({ children, className }) => (
    <ul className={`space-y-1 ${className?.includes("contains-task-list") ? "list-none pl-1" : "list-disc pl-5"}`}>
      {children}
    </ul>
  ),
  ol: ({ children, start }) => (
    <ol start={start} className="list-decimal space-y-1 pl-5">
      {children}
    </ol>
  ),
  blockquote: ({ children }) => (
    <blockquote className="border-l-4 border-line-strong pl-3 text-ink-muted">{children}</blockquote>
  ),
  table: ({ children }) => (
    <div className="overflow-x-auto">
      <table className="min-w-full border-collapse text-left text-sm">{children}</table>
    </div>
  ),
  th: ({ children, style }) => (
    <th style={style} className="border border-line bg-surface-sunken px-2 py-1 font-semibold">
      {children}
    </th>
  ),
  td: ({ children, style }) => (
    <td style={style} className="border border-line px-2 py-1">
      {children}
    </td>
  ),
  input: ({ checked, type }) => (
    <input type={type} checked={checked} disabled readOnly className="mr-1.5 align-middle" />
  ),
};

/** `urlTransform` runs before the components: unsafe addresses are dropped here already. */
const keepSafe = (url: string) => safeHref(url) ?? "";

export function MarkdownView({ text }: { text: string }) {
  return (
    <div className="markdown-answer space-y-3 break-words text-sm leading-relaxed text-ink">
      <ReactMarkdown
        remarkPlugins={[remarkGfm, remarkHtmlAsText]}
        rehypePlugins={[[rehypeHighlight, { detect: false }]]}
        components={components}
        urlTransform={keepSafe}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
}
