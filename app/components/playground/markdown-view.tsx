import { Fragment } from "react";
import { CopyButton } from "~/components/keys/copy-button";
import { parseMarkdown, type Block, type Inline } from "./markdown";

/** Model text as React elements: every piece of it ends up as a text node, so nothing in it can run. */
export function MarkdownView({ text }: { text: string }) {
  return <div className="space-y-3 break-words text-sm leading-relaxed text-ink">{parseMarkdown(text).map((b, i) => <BlockView key={i} block={b} />)}</div>;
}

function BlockView({ block }: { block: Block }) {
  switch (block.kind) {
    case "code":
      return (
        <div className="overflow-hidden rounded-lg border border-line">
          <div className="flex items-center justify-between bg-surface-sunken px-3 py-1 text-xs text-ink-muted">
            <span>{block.lang || "code"}</span>
            <CopyButton text={block.text} label="Copy code" className="rounded px-2 py-0.5 hover:bg-surface hover:text-ink" />
          </div>
          <pre className="overflow-x-auto bg-ink p-3 font-mono text-xs leading-relaxed text-surface-sunken">
            <code>{block.text}</code>
          </pre>
        </div>
      );
    case "heading": {
      const size = block.level <= 2 ? "text-base" : "text-sm";
      return <p role="heading" aria-level={Math.min(block.level + 2, 6)} className={`${size} font-semibold`}><Inlines nodes={block.children} /></p>;
    }
    case "list": {
      const Tag = block.ordered ? "ol" : "ul";
      return (
        <Tag className={`space-y-1 pl-5 ${block.ordered ? "list-decimal" : "list-disc"}`}>
          {block.items.map((item, i) => <li key={i}><Inlines nodes={item} /></li>)}
        </Tag>
      );
    }
    case "quote":
      return <blockquote className="whitespace-pre-wrap border-l-4 border-line-strong pl-3 text-ink-muted"><Inlines nodes={block.children} /></blockquote>;
    case "paragraph":
      return <p className="whitespace-pre-wrap"><Inlines nodes={block.children} /></p>;
  }
}

function Inlines({ nodes }: { nodes: Inline[] }) {
  return (
    <>
      {nodes.map((n, i) => {
        switch (n.kind) {
          case "text":
            return <Fragment key={i}>{n.text}</Fragment>;
          case "code":
            return <code key={i} className="rounded bg-surface-sunken px-1 py-0.5 font-mono text-[0.85em]">{n.text}</code>;
          case "strong":
            return <strong key={i}><Inlines nodes={n.children} /></strong>;
          case "em":
            return <em key={i}><Inlines nodes={n.children} /></em>;
          case "link":
            return <a key={i} href={n.href} target="_blank" rel="noopener noreferrer nofollow" className="text-brand-700 underline"><Inlines nodes={n.children} /></a>;
        }
      })}
    </>
  );
}
