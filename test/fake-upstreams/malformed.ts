/**
 * A fake upstream whose answers are malformed in content but not in framing: a 200 JSON body, SSE events or
 * Bedrock binary event-stream frames (the same encoder as ./bedrock.ts), each as the test sets it. It stands in
 * for any provider kind (the hub signs, keys and addresses it as usual), so a test can feed each adapter an answer
 * of the wrong shape and watch what the client, the call record and the ledger get.
 */
import { encodeEventStreamMessage } from "../../server/providers/bedrock/event-stream";
import { startFakeUpstream, writeSse, type FakeUpstream } from "./server";

export type MalformedAnswer =
  | { json: string }
  | { sse: Array<{ event?: string; data: string }> }
  | { frames: Array<{ type: string; payload: string }> };

export interface MalformedUpstream extends FakeUpstream {
  /** What every request gets from now on. */
  answer(next: MalformedAnswer): void;
}

export async function startMalformedUpstream(): Promise<MalformedUpstream> {
  let current: MalformedAnswer = { json: "{}" };
  const fake = await startFakeUpstream(async (_req, res) => {
    const a = current;
    if ("json" in a) {
      res.writeHead(200, { "content-type": "application/json" });
      return void res.end(a.json);
    }
    if ("sse" in a) return writeSse(res, a.sse);
    res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream" });
    const frames = a.frames.map((f) =>
      encodeEventStreamMessage(
        { ":event-type": f.type, ":content-type": "application/json", ":message-type": "event" },
        f.payload,
      ),
    );
    res.end(Buffer.concat(frames));
  });
  return Object.assign(fake, {
    answer(next: MalformedAnswer) {
      current = next;
    },
  });
}
