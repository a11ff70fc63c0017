/**
 * GET /v1/responses/{id}/input_items: the items a stored response was generated from (the whole conversation before
 * it, as the store keeps it), in the list shape OpenAI's SDK pages through (`data`, `first_id`, `last_id`,
 * `has_more`, with `after` as the cursor). Items the client sent without an id get one derived from the response id
 * and their position, so the cursor is stable across pages. See docs/responses-api.md, "State".
 */
import { HubError } from "../../errors";
import type { Item } from "./request-schema";

export interface InputItemsQuery {
  after: string | null;
  limit: number;
  order: "asc" | "desc";
}

export interface InputItemList {
  object: "list";
  data: Item[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

const invalid = (param: string, message: string) => new HubError("invalid_input", message, param);

/** The query string as OpenAI documents it: `limit` 1–100 (default 20), `order` asc|desc (default desc), `after`. */
export function parseInputItemsQuery(params: URLSearchParams): InputItemsQuery {
  const limitText = params.get("limit");
  const limit = limitText === null ? 20 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw invalid("limit", `Invalid 'limit': expected an integer from 1 to 100, got '${limitText}'.`);
  const order = params.get("order") ?? "desc";
  if (order !== "asc" && order !== "desc")
    throw invalid("order", `Invalid 'order': expected 'asc' or 'desc', got '${order}'.`);
  return { after: params.get("after"), limit, order };
}

const ID_PREFIX: Record<string, string> = {
  message: "msg",
  function_call: "fc",
  function_call_output: "fco",
  custom_tool_call: "ctc",
  custom_tool_call_output: "ctco",
};

/** A message's text content as the list shape: a string becomes one input_text part (output_text for the assistant). */
function contentParts(role: unknown, content: unknown): unknown {
  if (typeof content !== "string") return content;
  return role === "assistant"
    ? [{ type: "output_text", text: content, annotations: [] }]
    : [{ type: "input_text", text: content }];
}

/** One stored input item in the shape the list returns: typed, with an id, a message's content as parts. */
export function listedItem(item: Item, responseId: string, index: number): Item {
  const type = item.type ?? (item.role ? "message" : "item");
  const id =
    typeof item.id === "string" && item.id
      ? item.id
      : `${ID_PREFIX[type] ?? "item"}_${responseId.replace(/^resp_/, "")}_${index}`;
  if (type !== "message") return { ...item, type, id };
  const listed: Item = { ...item, type, id, content: contentParts(item.role, item.content) };
  if (item.role === "assistant" && listed.status === undefined) listed.status = "completed";
  return listed;
}

export function listInputItems(responseId: string, stored: Item[], query: InputItemsQuery): InputItemList {
  const items = stored.map((item, i) => listedItem(item, responseId, i));
  if (query.order === "desc") items.reverse();
  let start = 0;
  if (query.after !== null) {
    const at = items.findIndex((item) => item.id === query.after);
    if (at < 0) throw invalid("after", `No input item with id '${query.after}' in response '${responseId}'.`);
    start = at + 1;
  }
  const data = items.slice(start, start + query.limit);
  return {
    object: "list",
    data,
    first_id: (data[0]?.id as string | undefined) ?? null,
    last_id: (data.at(-1)?.id as string | undefined) ?? null,
    has_more: start + query.limit < items.length,
  };
}
