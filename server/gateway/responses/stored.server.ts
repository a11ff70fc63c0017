/**
 * GET and DELETE /v1/responses/{id} and GET /v1/responses/{id}/input_items (also under /api/v2/): a stored response
 * of the key's own user (docs/responses-api.md, "State"). Not model calls: authenticated and checked against the IP rules, not recorded.
 */
import { errorResponse, HubError } from "../../errors";
import { checkRequestIp } from "../../governance/ip-rules.server";
import { authenticate } from "../authenticate.server";
import { listInputItems, parseInputItemsQuery } from "./input-items";
import { deleteStoredResponse, getStoredInput, getStoredResponse } from "./store.server";

async function withCaller(request: Request, run: (userId: string, id: string) => Promise<Response>): Promise<Response> {
  try {
    const principal = await authenticate(request);
    const { decision } = await checkRequestIp(request, principal.keyId);
    if (!decision.allowed)
      throw new HubError("forbidden", "Requests from this address are not allowed.", null, { code: "ip_not_allowed" });
    // The id is the segment after "responses": the same under /v1 and /api/v2, without relying on a router's params.
    const segments = new URL(request.url).pathname.split("/").filter(Boolean);
    const id = decodeURIComponent(segments[segments.lastIndexOf("responses") + 1] ?? "");
    return await run(principal.userId, id);
  } catch (error) {
    return errorResponse(error);
  }
}

export function handleGetResponse(request: Request): Promise<Response> {
  return withCaller(request, async (userId, id) => Response.json(await getStoredResponse(userId, id)));
}

export function handleDeleteResponse(request: Request): Promise<Response> {
  return withCaller(request, async (userId, id) => {
    if (request.method !== "DELETE")
      throw new HubError("method_not_allowed", `${request.method} is not allowed on a stored response.`);
    await deleteStoredResponse(userId, id);
    return Response.json({ id, object: "response.deleted", deleted: true });
  });
}

export function handleListInputItems(request: Request): Promise<Response> {
  return withCaller(request, async (userId, id) => {
    const query = parseInputItemsQuery(new URL(request.url).searchParams);
    return Response.json(listInputItems(id, await getStoredInput(userId, id), query));
  });
}
