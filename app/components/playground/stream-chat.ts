/**
 * One streamed chat call from the browser: POST to the playground endpoint (the session is the caller), read the
 * SSE body as it arrives, hand each text delta to `onText`. The request id is chosen here and sent as
 * x-request-id, so the saved answer can be matched to its call record. Aborting `signal` (the Stop button)
 * closes the connection; the hub then records the call as aborted and bills what was generated.
 */
import { readApiError, toPlaygroundError, type PlaygroundError } from "./api-error";
import { createSseParser } from "./sse";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
}

export interface StreamResult {
  text: string;
  requestId: string;
  status: "done" | "stopped" | "failed";
  error: PlaygroundError | null;
  inputTokens: number | null;
  outputTokens: number | null;
  /** Credits, as the final chunk's usage.cost. */
  cost: number | null;
  ttftMs: number | null;
  durationMs: number;
}

export const CHAT_ENDPOINT = "/api/playground/chat/completions";

/** The body sent: always streaming, always asking for usage (tokens and cost arrive in the last chunk). */
export function streamBody(request: ChatRequest) {
  return { ...request, stream: true, stream_options: { include_usage: true } };
}

export async function streamChat(
  request: ChatRequest,
  signal: AbortSignal,
  onText: (text: string) => void,
): Promise<StreamResult> {
  const requestId = crypto.randomUUID();
  const started = performance.now();
  const result: StreamResult = {
    text: "",
    requestId,
    status: "done",
    error: null,
    inputTokens: null,
    outputTokens: null,
    cost: null,
    ttftMs: null,
    durationMs: 0,
  };
  const done = (status: StreamResult["status"], error: PlaygroundError | null = null) => {
    result.status = status;
    result.error = error;
    result.durationMs = Math.round(performance.now() - started);
    return result;
  };
  let response: Response;
  try {
    response = await fetch(CHAT_ENDPOINT, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": requestId },
      body: JSON.stringify(streamBody(request)),
      signal,
    });
  } catch (error) {
    if (signal.aborted) return done("stopped");
    return done("failed", {
      status: 0,
      message: error instanceof Error ? error.message : "The hub could not be reached.",
      code: null,
      link: null,
      retryAfterSeconds: null,
    });
  }
  if (!response.ok || !response.body) return done("failed", await readApiError(response));
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = createSseParser();
  const take = (events: string[]): PlaygroundError | null => {
    for (const data of events) {
      if (data === "[DONE]") continue;
      let chunk: {
        choices?: Array<{ delta?: { content?: string | null } }>;
        usage?: { prompt_tokens?: number; completion_tokens?: number; cost?: number } | null;
        error?: unknown;
      };
      try {
        chunk = JSON.parse(data);
      } catch {
        continue; // a line the hub did not write (a proxy's keep-alive): the next event carries on
      }
      // A failure after the stream began arrives in-band, as an error event.
      if (chunk.error) return toPlaygroundError(chunk, 502);
      const delta = chunk.choices?.[0]?.delta?.content;
      if (delta) {
        result.ttftMs ??= Math.round(performance.now() - started);
        result.text += delta;
        onText(result.text);
      }
      if (chunk.usage) {
        result.inputTokens = chunk.usage.prompt_tokens ?? null;
        result.outputTokens = chunk.usage.completion_tokens ?? null;
        result.cost = typeof chunk.usage.cost === "number" ? chunk.usage.cost : null;
      }
    }
    return null;
  };
  try {
    for (;;) {
      const { done: ended, value } = await reader.read();
      const error = take(ended ? parser.end() : parser.push(value));
      if (error) return done("failed", error);
      if (ended) return done("done");
    }
  } catch (error) {
    if (signal.aborted) return done("stopped");
    return done("failed", {
      status: 0,
      message: error instanceof Error ? error.message : "The stream broke off.",
      code: null,
      link: null,
      retryAfterSeconds: null,
    });
  }
}
