/**
 * The one way every API picks the candidates for a call (chat, embeddings, images, AIGNE, Messages, Responses and
 * the Messages API's token counter): the key's model allow-list first, then routing over the routing catalog with
 * the credentials whose circuit is open left out (./candidates.ts). Billing then prices them and holds credit
 * (server/billing/call-billing.server.ts `priceCall`, `reserveForCall`).
 */
import type { ModelType } from "../../drizzle/schema";
import { HubError } from "../errors";
import type { CallContext } from "./call-context.server";
import { buildCandidates, type Candidate } from "./candidates";
import { breaker } from "./credential-health.server";
import { getRoutingCatalog } from "./routing-catalog.server";

export async function pickCandidates(
  ctx: Pick<CallContext, "principal">,
  model: string,
  type: ModelType,
): Promise<Candidate[]> {
  const allowed = ctx.principal.allowedModels;
  if (allowed && !allowed.includes(model)) {
    throw new HubError("forbidden", `This API key may not use the model '${model}'.`, "model", {
      code: "model_not_allowed",
    });
  }
  const catalog = await getRoutingCatalog();
  return buildCandidates(catalog, model, type, (id) => breaker.isAvailable(id, Date.now()));
}
