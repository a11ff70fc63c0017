import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, id, json, updatedAt } from "./columns";
import { users } from "./users";

export const conversations = sqliteTable(
  "playground_conversations",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    model: text("model"),
    systemPrompt: text("system_prompt"),
    params: json<{ temperature?: number; topP?: number; maxTokens?: number }>("params"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("conversations_user_idx").on(t.userId, t.updatedAt)],
);

export const conversationMessages = sqliteTable(
  "playground_messages",
  {
    id: id(),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["system", "user", "assistant"] }).notNull(),
    content: text("content").notNull(),
    model: text("model"),
    callId: text("call_id"),
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
    ttftMs: integer("ttft_ms"),
    durationMs: integer("duration_ms"),
    costMicro: integer("cost_micro"),
    createdAt: createdAt(),
  },
  (t) => [index("messages_conversation_idx").on(t.conversationId, t.createdAt)],
);
