/**
 * The candidates for one call: the key's model allow-list first, then routing over the current catalog; then
 * billing prices them and holds the worst case before any upstream call (`billedCandidatesFor`).
 */
import type { ModelType } from "../../drizzle/schema";
import { reserveForCall } from "../billing/call-billing.server";
import type { UsageBound } from "../billing/price-book";
import { HubError } from "../errors";
import type { CallContext } from "./call-context.server";
import { buildCandidates, type Candidate } from "./candidates";
import { getRoutingCatalog } from "./routing-catalog.server";
import { breaker } from "./credential-health.server";

export async function candidatesFor(
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

/** Candidates the call may use once its credit is held; `bound` is the most a candidate's model can use. */
export async function billedCandidatesFor(
  ctx: CallContext,
  model: string,
  type: ModelType,
  bound: (c: Candidate) => UsageBound,
): Promise<Candidate[]> {
  return (await reserveForCall(ctx, await candidatesFor(ctx, model, type), bound)).candidates;
}
