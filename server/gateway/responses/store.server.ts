/**
 * The hub's own store of Responses answers (docs/responses-api.md, "State"): kept per user for the retention an
 * admin sets (settings.responseStoreRetentionDays, 0 = store nothing), so `previous_response_id` continues a
 * conversation whichever provider answered it, and GET/DELETE by id work. Another user's id is "not found", never
 * "forbidden": ownership is part of every query.
 */
import { and, eq, gte, lt } from "drizzle-orm";
import { storedResponses } from "../../../drizzle/schema";
import { getDb } from "../../db/client.server";
import { HubError } from "../../errors";
import { log } from "../../log.server";
import { getSettings } from "../../settings/settings.server";
import type { ResponseObject } from "./encode";
import type { Item } from "./request-schema";

const DAY_MS = 86_400_000;

/** OpenAI's 404 for an id it does not know (or that is not the caller's). */
function responseNotFound(id: string): HubError {
  return new HubError("not_found", `Response with id '${id}' not found.`, null, { code: null });
}

export async function retentionDays(): Promise<number> {
  return (await getSettings()).responseStoreRetentionDays;
}

async function findStored(userId: string, id: string, days: number) {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(storedResponses)
    .where(
      and(
        eq(storedResponses.id, id),
        eq(storedResponses.userId, userId),
        gte(storedResponses.createdAt, new Date(Date.now() - days * DAY_MS)),
      ),
    )
    .limit(1);
  return row ?? null;
}

/**
 * The conversation up to and including a stored response, as input items: what a new turn continues from.
 * Instructions are not carried over (as in OpenAI's API: each request gives its own).
 */
export async function conversationBefore(userId: string, id: string): Promise<Item[]> {
  const days = await retentionDays();
  if (days === 0) {
    throw new HubError(
      "invalid_input",
      "This hub does not store responses (an admin turned it off), so 'previous_response_id' cannot be used: " +
        "send the whole conversation in 'input'.",
      "previous_response_id",
      { code: "responses_store_disabled" },
    );
  }
  const row = await findStored(userId, id, days);
  if (!row) throw responseNotFound(id);
  return [...row.input, ...(row.response.output as Item[])];
}

export async function saveResponse(
  userId: string,
  callId: string,
  input: Item[],
  response: ResponseObject,
): Promise<void> {
  const db = await getDb();
  await db.insert(storedResponses).values({ id: response.id, userId, callId, input, response });
}

export async function getStoredResponse(userId: string, id: string): Promise<ResponseObject> {
  const row = await findStored(userId, id, await retentionDays());
  if (!row) throw responseNotFound(id);
  return row.response as ResponseObject;
}

/** The conversation a stored response was generated from, as it was stored. */
export async function getStoredInput(userId: string, id: string): Promise<Item[]> {
  const row = await findStored(userId, id, await retentionDays());
  if (!row) throw responseNotFound(id);
  return row.input;
}

export async function deleteStoredResponse(userId: string, id: string): Promise<void> {
  const db = await getDb();
  const rows = await db
    .delete(storedResponses)
    .where(and(eq(storedResponses.id, id), eq(storedResponses.userId, userId)))
    .returning({ id: storedResponses.id });
  if (rows.length === 0) throw responseNotFound(id);
}

/** Background job: drops responses past the retention (all of them when storing is off). Returns how many. */
export async function pruneStoredResponses(now = Date.now()): Promise<number> {
  const days = await retentionDays();
  const db = await getDb();
  const cutoff = days > 0 ? now - days * DAY_MS : Number.MAX_SAFE_INTEGER;
  const rows = await db
    .delete(storedResponses)
    .where(lt(storedResponses.createdAt, new Date(cutoff)))
    .returning({ id: storedResponses.id });
  if (rows.length)
    log.info("pruned stored responses past their retention", { count: rows.length, retentionDays: days });
  return rows.length;
}
