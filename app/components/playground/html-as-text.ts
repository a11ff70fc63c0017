/**
 * A remark plugin that turns raw HTML in Markdown into plain text: a model that writes `<script>` or mentions a
 * `<div>` element gets exactly that shown, neither rendered nor silently dropped (react-markdown's default).
 */
/** The little of an mdast node this needs (html and text nodes both carry `value`). */
interface MarkdownNode {
  type: string;
  children?: MarkdownNode[];
}

function htmlToText(node: MarkdownNode): void {
  if (node.type === "html") node.type = "text";
  for (const child of node.children ?? []) htmlToText(child);
}

export function remarkHtmlAsText() {
  return (tree: MarkdownNode) => htmlToText(tree);
}
