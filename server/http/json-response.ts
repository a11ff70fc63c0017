/**
 * A JSON answer that keeps the text it was serialised to, so the listener writes that text in one `end` instead of
 * reading it back out of the Response's body stream (about a tenth of a call's time in the hub at concurrency 1,
 * docs/decisions/018-per-call-cost.md). It is a whole Response all the same: its body stream is there for anything
 * else that reads it (Remix's handler, tests), and is simply never read on the listener's path.
 */
export class JsonResponse extends Response {
  readonly jsonText: string;

  constructor(data: unknown, init: { status?: number; headers?: Record<string, string> } = {}) {
    const text = JSON.stringify(data);
    super(text, { status: init.status, headers: { "content-type": "application/json", ...init.headers } });
    this.jsonText = text;
  }
}
