import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, json } from "./columns";
import { users } from "./users";

/**
 * Responses the hub keeps for OpenAI's Responses API (`store`, `previous_response_id`, GET/DELETE by id):
 * docs/responses-api.md. One row per stored response, owned by the key's user; pruned after the retention an admin
 * sets (settings.responseStoreRetentionDays).
 */
export const storedResponses = sqliteTable(
  "stored_responses",
  {
    /** The id the client saw ("resp_..."). */
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The call that produced it. */
    callId: text("call_id"),
    /** The whole conversation before this answer, as Responses input items (earlier turns included). */
    input: json<Array<Record<string, unknown>>>("input").notNull(),
    /** The response object as the client got it. */
    response: json<Record<string, unknown>>("response").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("stored_responses_user_idx").on(t.userId), index("stored_responses_created_idx").on(t.createdAt)],
);
