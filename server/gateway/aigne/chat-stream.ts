/**
 * OpenAI chat chunks → AIGNE Hub's SSE stream (docs/aigne-protocol.md, "POST /api/v2/chat").
 *
 * The client (@aigne/core EventStreamParser + AgentResponseStreamParser) JSON-parses every event's data:
 * - nameless events `data: {"delta":{"text":{...}}}` append to fields (`text`, `thoughts`);
 * - `data: {"delta":{"json":{...}}}` is Object.assign'ed onto the result (tool calls, json, usage, model);
 * - `event: error` + `data: {"message"}` is raised as an Error; any other event name is dropped with a warning;
 * - non-JSON data (`[DONE]`) fails the whole call, so it is never written.
 * Tool calls are accumulated per index and sent once complete, since the client wants object arguments.
 * When a JSON answer was asked, text is held back and sent as `json` at the end, as @aigne/openai does.
 */
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import {
  parseArguments,
  parseJsonObject,
  toAigneUsage,
  type AigneToolCall,
  type AigneUsageInput,
} from "./chat-response";

export interface AigneStreamInfo {
  wantsJson: boolean;
  model: string;
  modelWithProvider: string;
}

export interface AigneStreamFinal {
  usage: AigneUsageInput;
  credits?: number;
  modelCallId?: string;
}

export interface AigneStreamEncoder {
  /** The SSE text to write for this chunk; "" when it only feeds accumulated state. */
  push(chunk: ChatCompletionChunk): string;
  /** The closing events: tool calls, json, then usage and model. Call once, then end the response. */
  finish(final: AigneStreamFinal): string;
  /** An in-band error after the stream began; end the response after writing it. */
  error(message: string): string;
}

/** Some providers (DeepSeek-style adapters, OpenRouter) stream thinking beside content. */
type ReasoningDelta = ChatCompletionChunk.Choice.Delta & {
  reasoning_content?: string | null;
  reasoning?: string | null;
};

interface PendingToolCall {
  id: string;
  name: string;
  args: string;
}

export function createAigneStreamEncoder(info: AigneStreamInfo): AigneStreamEncoder {
  const toolCalls = new Map<number, PendingToolCall>();
  let heldText = "";
  let done = false;

  return {
    push(chunk) {
      if (done) return "";
      // AIGNE models have one answer; extra choices (n > 1) have nowhere to go.
      const delta: ReasoningDelta | undefined = chunk.choices.find((c) => !c.index)?.delta;
      if (!delta) return ""; // e.g. the final usage chunk, `choices: []`
      let out = "";
      const thoughts = delta.reasoning_content ?? delta.reasoning;
      if (thoughts) out += event({ delta: { text: { thoughts } } });
      const text = delta.content || delta.refusal;
      if (text) {
        if (info.wantsJson) heldText += text;
        else out += event({ delta: { text: { text } } });
      }
      delta.tool_calls?.forEach((piece, position) => {
        // OpenAI sends index, id and name first, then argument fragments under the same index.
        const index = piece.index ?? position;
        const call = toolCalls.get(index) ?? { id: "", name: "", args: "" };
        if (piece.id) call.id = piece.id;
        const name = piece.function?.name;
        if (name && name !== call.name) call.name += name;
        if (piece.function?.arguments) call.args += piece.function.arguments;
        toolCalls.set(index, call);
      });
      return out;
    },

    finish(final) {
      if (done) return "";
      done = true;
      let out = "";
      if (toolCalls.size > 0) {
        const calls: AigneToolCall[] = [...toolCalls.entries()]
          .sort(([a], [b]) => a - b)
          .map(([index, c]) => ({
            id: c.id || `call_${index}`,
            type: "function",
            function: { name: c.name, arguments: parseArguments(c.args) },
          }));
        out += event({ delta: { json: { toolCalls: calls } } });
      }
      if (info.wantsJson && heldText) {
        const json = parseJsonObject(heldText);
        // Not JSON after all: hand the text over rather than lose it (the client's schema check then reports it).
        out += json ? event({ delta: { json: { json } } }) : event({ delta: { text: { text: heldText } } });
      }
      out += event({
        delta: {
          json: {
            usage: toAigneUsage(final.usage, final.credits, final.modelCallId),
            model: info.model,
            modelWithProvider: info.modelWithProvider,
          },
        },
      });
      return out;
    },

    error(message) {
      done = true;
      return `event: error\ndata: ${JSON.stringify({ message })}\n\n`;
    },
  };
}

function event(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}
