/**
 * Server-sent events, browser side: bytes in any chunking → the `data:` payload of each event. Only what the
 * hub's chat stream uses (data lines, blank-line separators, comments); multi-line data joins with "\n".
 */
export function createSseParser(): { push(text: string): string[]; end(): string[] } {
  let buffer = "";
  let data: string[] = [];
  const takeLine = (line: string, out: string[]) => {
    if (line === "") {
      if (data.length) out.push(data.join("\n"));
      data = [];
    } else if (line.startsWith("data:")) {
      data.push(line.slice(line.startsWith("data: ") ? 6 : 5));
    }
    // Comments (":") and other fields (event, id, retry) are not used by the hub's chat stream.
  };
  return {
    push(text) {
      buffer += text;
      const out: string[] = [];
      let nl: number;
      while ((nl = buffer.search(/\r\n|\n|\r/)) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + (buffer.startsWith("\r\n", nl) ? 2 : 1));
        takeLine(line, out);
      }
      return out;
    },
    end() {
      const out: string[] = [];
      if (buffer) takeLine(buffer, out);
      buffer = "";
      takeLine("", out);
      return out;
    },
  };
}
