/**
 * Incremental Server-Sent Events decoder (https://html.spec.whatwg.org/multipage/server-sent-events.html).
 * Feed it bytes as they arrive from any upstream; it returns whole events. Shared by every adapter whose
 * provider streams SSE (OpenAI-compatible, Anthropic, Gemini).
 */
export interface SseEvent {
  /** The `event:` field, or "message" when absent. */
  event: string;
  /** The `data:` lines joined with "\n". */
  data: string;
  id?: string;
}

export class SseDecoder {
  private readonly text = new TextDecoder();
  private buffer = "";
  private eventName = "";
  private dataLines: string[] = [];
  private id: string | undefined;

  push(bytes: Uint8Array): SseEvent[] {
    this.buffer += this.text.decode(bytes, { stream: true });
    return this.drain(false);
  }

  end(): SseEvent[] {
    this.buffer += this.text.decode();
    return this.drain(true);
  }

  private drain(final: boolean): SseEvent[] {
    const events: SseEvent[] = [];
    let start = 0;
    for (;;) {
      const lf = this.buffer.indexOf("\n", start);
      const cr = this.buffer.indexOf("\r", start);
      const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (end === -1) break;
      // A lone "\r" at the end of the buffer may be the first half of "\r\n": wait for more bytes.
      if (end === cr && cr === this.buffer.length - 1 && !final) break;
      const line = this.buffer.slice(start, end);
      start = end + (this.buffer[end] === "\r" && this.buffer[end + 1] === "\n" ? 2 : 1);
      const event = this.line(line);
      if (event) events.push(event);
    }
    this.buffer = this.buffer.slice(start);
    if (final) {
      if (this.buffer.length > 0) {
        const event = this.line(this.buffer);
        if (event) events.push(event);
        this.buffer = "";
      }
      const event = this.line("");
      if (event) events.push(event);
    }
    return events;
  }

  private line(line: string): SseEvent | null {
    if (line === "") {
      if (this.dataLines.length === 0) {
        this.eventName = "";
        return null;
      }
      const event: SseEvent = { event: this.eventName || "message", data: this.dataLines.join("\n") };
      if (this.id !== undefined) event.id = this.id;
      this.eventName = "";
      this.dataLines = [];
      return event;
    }
    if (line.startsWith(":")) return null; // comment / keep-alive
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.dataLines.push(value);
    else if (field === "event") this.eventName = value;
    else if (field === "id") this.id = value;
    return null;
  }
}
