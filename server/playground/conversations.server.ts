/**
 * Saved playground conversations (docs/decisions/006-playground.md). Every function takes the caller's user id and filters on it, so a
 * conversation id guessed or copied from someone else reads as "not found" rather than leaking or changing it.
 */
import { and, asc, desc, eq } from "drizzle-orm";
import { conversationMessages, conversations } from "../../drizzle/schema";
import { newId } from "../crypto/tokens";
import { getDb } from "../db/client.server";
import { HubError } from "../errors";
import { callMetrics, type CallMetrics } from "./call-metrics.server";

export interface ConversationParams {
  temperature?: number;
  topP?: number;
  maxTokens?: number;
}

export interface ConversationSummary {
  id: string;
  title: string;
  model: string | null;
  updatedAt: Date;
}

export interface SavedMessage extends CallMetrics {
  id: string;
  role: "system" | "user" | "assistant";
  content: string;
  model: string | null;
  callId: string | null;
}

export interface ConversationDetail extends ConversationSummary {
  systemPrompt: string | null;
  params: ConversationParams | null;
  messages: SavedMessage[];
}

const TITLE_MAX = 80;

/** A title from the first prompt: its first line, cut at a word near TITLE_MAX characters. */
export function titleFrom(text: string): string {
  const line = text.trim().split("\n")[0]?.trim() || "New conversation";
  if (line.length <= TITLE_MAX) return line;
  const cut = line.slice(0, TITLE_MAX);
  const space = cut.lastIndexOf(" ");
  return (space > 40 ? cut.slice(0, space) : cut) + "…";
}

export async function listConversations(userId: string): Promise<ConversationSummary[]> {
  const db = await getDb();
  return db
    .select({
      id: conversations.id,
      title: conversations.title,
      model: conversations.model,
      updatedAt: conversations.updatedAt,
    })
    .from(conversations)
    .where(eq(conversations.userId, userId))
    .orderBy(desc(conversations.updatedAt))
    .limit(200);
}

async function requireOwn(userId: string, id: string) {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.id, id), eq(conversations.userId, userId)))
    .limit(1);
  if (!row) throw new HubError("not_found", "This conversation does not exist, or is not yours.");
  return row;
}

export async function getConversation(userId: string, id: string): Promise<ConversationDetail> {
  const row = await requireOwn(userId, id);
  const db = await getDb();
  const messages = await db
    .select()
    .from(conversationMessages)
    .where(eq(conversationMessages.conversationId, id))
    .orderBy(asc(conversationMessages.createdAt), asc(conversationMessages.id));
  return {
    id: row.id,
    title: row.title,
    model: row.model,
    updatedAt: row.updatedAt,
    systemPrompt: row.systemPrompt,
    params: row.params,
    messages: messages.map((m) => ({
      id: m.id,
      role: m.role,
      content: m.content,
      model: m.model,
      callId: m.callId,
      inputTokens: m.inputTokens,
      outputTokens: m.outputTokens,
      ttftMs: m.ttftMs,
      durationMs: m.durationMs,
      costMicro: m.costMicro,
    })),
  };
}

export async function renameConversation(userId: string, id: string, title: string): Promise<void> {
  await requireOwn(userId, id);
  const db = await getDb();
  await db
    .update(conversations)
    .set({ title: title.trim().slice(0, TITLE_MAX) })
    .where(and(eq(conversations.id, id), eq(conversations.userId, userId)));
}

export async function deleteConversation(userId: string, id: string): Promise<void> {
  await requireOwn(userId, id);
  const db = await getDb();
  // Messages go with it (ON DELETE CASCADE).
  await db.delete(conversations).where(and(eq(conversations.id, id), eq(conversations.userId, userId)));
}

export interface ExchangeInput {
  /** Absent: a new conversation, titled after the prompt. */
  conversationId?: string | null;
  model: string;
  systemPrompt: string | null;
  params: ConversationParams;
  prompt: string;
  answer: string;
  /** The x-request-id the browser sent with the call: how its record (tokens, time, cost) is found. */
  requestId: string | null;
  /** What the browser saw, for when the record cannot be read (not yet written by another instance). */
  seen: CallMetrics;
}

/** Saves one prompt and its answer; the answer's numbers come from the call record when it can be read. */
export async function saveExchange(
  userId: string,
  input: ExchangeInput,
): Promise<{ conversationId: string; assistant: SavedMessage }> {
  const db = await getDb();
  let conversationId = input.conversationId ?? null;
  if (conversationId) {
    await requireOwn(userId, conversationId);
    await db
      .update(conversations)
      .set({ model: input.model, systemPrompt: input.systemPrompt, params: input.params, updatedAt: new Date() })
      .where(eq(conversations.id, conversationId));
  } else {
    conversationId = newId("conv");
    await db.insert(conversations).values({
      id: conversationId,
      userId,
      title: titleFrom(input.prompt),
      model: input.model,
      systemPrompt: input.systemPrompt,
      params: input.params,
    });
  }
  const record = input.requestId ? await callMetrics(userId, input.requestId) : null;
  const metrics: CallMetrics = record?.metrics ?? input.seen;
  const now = Date.now();
  const user = {
    id: newId("msg"),
    conversationId,
    role: "user" as const,
    content: input.prompt,
    createdAt: new Date(now),
  };
  const assistant = {
    id: newId("msg"),
    conversationId,
    role: "assistant" as const,
    content: input.answer,
    model: input.model,
    callId: record?.callId ?? null,
    ...metrics,
    // One millisecond later, so the pair always reads back in order.
    createdAt: new Date(now + 1),
  };
  await db.insert(conversationMessages).values([user, assistant]);
  return {
    conversationId,
    assistant: {
      ...metrics,
      id: assistant.id,
      role: "assistant",
      content: assistant.content,
      model: assistant.model,
      callId: assistant.callId,
    },
  };
}
