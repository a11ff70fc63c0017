/**
 * OpenAI's chat stream wire format: `data: <chunk>` events and a final `data: [DONE]`. The usage chunk
 * (`choices: []`) goes out only when the client asked for it with stream_options.include_usage; the hub always
 * asks the provider, and makes one from its own count when the provider sent none. The provider's usage chunk is
 * held back until the end, so it can carry the call's cost (`usage.cost`, in credits) once the call is settled.
 * An error after the stream began is an in-band `data: {"error":...}` event, which the openai SDK raises.
 */
import type { ChatCompletionChunk, TokenUsage, UpstreamError } from "../../providers/types";
import type { CallCost } from "../../billing/call-billing.server";
import { microToCredits } from "../../billing/money";
import { toOpenAIUsage } from "../openai-usage";
import type { ChatStreamEncoder } from "./stream-response.server";

export function openAIStreamEncoder(includeUsage: boolean): ChatStreamEncoder {
  let heldUsage: ChatCompletionChunk | null = null;
  let last: Pick<ChatCompletionChunk, "id" | "created" | "model"> | null = null;
  return {
    chunk(chunk) {
      last ??= { id: chunk.id, created: chunk.created, model: chunk.model };
      const usageOnly = (!chunk.choices || chunk.choices.length === 0) && chunk.usage;
      if (usageOnly) {
        if (includeUsage) heldUsage = chunk;
        return "";
      }
      if (chunk.usage !== undefined && !includeUsage) {
        const { usage: _usage, ...rest } = chunk;
        return `data: ${JSON.stringify(rest)}\n\n`;
      }
      return `data: ${JSON.stringify(chunk)}\n\n`;
    },
    end(usage: TokenUsage, cost?: CallCost) {
      let out = "";
      if (includeUsage) {
        const chunk = heldUsage ?? {
          id: last?.id ?? "chatcmpl-hub",
          object: "chat.completion.chunk",
          created: last?.created ?? Math.floor(Date.now() / 1000),
          model: last?.model ?? "",
          choices: [],
          usage: toOpenAIUsage(usage),
        };
        const withCost =
          cost && cost.costMicro !== null
            ? { ...chunk, usage: { ...chunk.usage, cost: microToCredits(cost.costMicro) } }
            : chunk;
        out += `data: ${JSON.stringify(withCost)}\n\n`;
      }
      return out + "data: [DONE]\n\n";
    },
    error(error: UpstreamError) {
      return `data: ${JSON.stringify({ error: { message: error.message, type: error.type, code: error.code, param: null } })}\n\n`;
    },
  };
}
