/**
 * A streamed chat answer put back together for the call record (body logging, docs/decisions/007-call-body-logging.md): the text, reasoning and
 * tool calls generated, per choice, in the shape of a non-streaming `chat.completion`, so the call drawer shows
 * streams and JSON answers alike. Works on whatever arrived, so an aborted or broken stream keeps its part.
 * Only created when body logging is on. Pure.
 */
import type { ChatCompletionChunk } from "../providers/types";

interface ToolCallParts {
  id?: string;
  type?: string;
  name: string;
  arguments: string;
}

interface ChoiceParts {
  content: string;
  reasoning: string;
  refusal: string;
  tools: Map<number, ToolCallParts>;
  finishReason: string | null;
}

type Delta = {
  content?: string | null;
  reasoning_content?: string | null;
  refusal?: string | null;
  tool_calls?: Array<{ index?: number; id?: string; type?: string; function?: { name?: string; arguments?: string } }>;
};

export interface StreamAssembler {
  push(chunk: ChatCompletionChunk): void;
  /** The answer so far; `extra` (the call's end: aborted, an error) is merged in at the top level. */
  result(extra?: Record<string, unknown>): Record<string, unknown>;
}

export function createStreamAssembler(): StreamAssembler {
  let id: string | null = null;
  let model: string | null = null;
  let usage: unknown = undefined;
  const choices = new Map<number, ChoiceParts>();

  const choiceAt = (index: number): ChoiceParts => {
    let c = choices.get(index);
    if (!c) choices.set(index, (c = { content: "", reasoning: "", refusal: "", tools: new Map(), finishReason: null }));
    return c;
  };

  return {
    push(chunk) {
      id ??= chunk.id ?? null;
      model ??= chunk.model ?? null;
      if (chunk.usage) usage = chunk.usage;
      for (const choice of chunk.choices ?? []) {
        const c = choiceAt(choice.index ?? 0);
        const d = (choice.delta ?? {}) as Delta;
        if (d.content) c.content += d.content;
        if (d.reasoning_content) c.reasoning += d.reasoning_content;
        if (d.refusal) c.refusal += d.refusal;
        for (const t of d.tool_calls ?? []) {
          const index = t.index ?? c.tools.size;
          const tool = c.tools.get(index) ?? { name: "", arguments: "" };
          if (t.id) tool.id = t.id;
          if (t.type) tool.type = t.type;
          if (t.function?.name) tool.name += t.function.name;
          if (t.function?.arguments) tool.arguments += t.function.arguments;
          c.tools.set(index, tool);
        }
        if (choice.finish_reason) c.finishReason = choice.finish_reason;
      }
    },
    result(extra = {}) {
      const out = [...choices.entries()]
        .sort(([a], [b]) => a - b)
        .map(([index, c]) => ({
          index,
          message: {
            role: "assistant",
            content: c.content || null,
            ...(c.reasoning ? { reasoning_content: c.reasoning } : {}),
            ...(c.refusal ? { refusal: c.refusal } : {}),
            ...(c.tools.size
              ? {
                  tool_calls: [...c.tools.entries()]
                    .sort(([a], [b]) => a - b)
                    .map(([, t]) => ({
                      id: t.id ?? null,
                      type: t.type ?? "function",
                      function: { name: t.name, arguments: t.arguments },
                    })),
                }
              : {}),
          },
          finish_reason: c.finishReason,
        }));
      return { id, object: "chat.completion", model, choices: out, ...(usage ? { usage } : {}), ...extra };
    },
  };
}
