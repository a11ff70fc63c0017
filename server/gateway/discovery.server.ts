/**
 * The unauthenticated and read-only endpoints apps use to find their way: AIGNE's component discovery
 * (`/__blocklet__.js?type=json`), AIGNE's model list (`/api/ai/models`), the OpenAI model list
 * (`/api/v2/models`, only what the key may use) and the status probe (`/api/v2/status`).
 */
import type { ModelType } from "../../drizzle/schema";
import { creditShortage } from "../billing/call-billing.server";
import { creditsPerToken } from "../billing/price-book";
import { getSettings } from "../settings/settings.server";
import { errorResponse, HubError } from "../errors";
import { blockletJson, toAigneModelList } from "./aigne/discovery";
import { authenticate } from "./authenticate.server";
import { getRoutingCatalog, type ModelEntry } from "./routing-catalog.server";
import { breaker } from "./credential-health.server";
import { resolveModel } from "./resolve-model";

export function handleBlockletJson(): Response {
  return Response.json(blockletJson("/"), {
    headers: { "cache-control": "public, max-age=60", "access-control-allow-origin": "*" },
  });
}

function listable(m: ModelEntry): boolean {
  return m.provider.credentials.length > 0;
}

function available(m: ModelEntry): boolean {
  const now = Date.now();
  return m.provider.credentials.some((c) => breaker.isAvailable(c.id, now));
}

export async function handleAigneModels(request: Request): Promise<Response> {
  const type = new URL(request.url).searchParams.get("type") as ModelType | null;
  const catalog = await getRoutingCatalog();
  // Rates are micro-USD per million tokens; AIGNE lists credits per token, with the margin and the credit price.
  const settings = await getSettings();
  const perToken = (microPerMillion: number | undefined) => creditsPerToken(microPerMillion ?? 0, settings);
  const models = [...catalog.models.values()]
    .filter((m) => listable(m) && (!type || m.type === type))
    .map((m) => ({
      provider: m.provider.name,
      providerDisplayName: m.provider.displayName,
      model: m.model,
      type: m.type,
      inputCreditsPerToken: perToken(m.rate?.inputPerMillion),
      outputCreditsPerToken: perToken(m.rate?.outputPerMillion),
      available: available(m),
      metadata: m.metadata,
    }));
  return Response.json(toAigneModelList(models), { headers: { "access-control-allow-origin": "*" } });
}

export async function handleModelList(request: Request): Promise<Response> {
  try {
    const principal = await authenticate(request);
    const catalog = await getRoutingCatalog();
    const allowed = principal.allowedModels ? new Set(principal.allowedModels) : null;
    const data = [...catalog.models.values()]
      .filter(listable)
      .map((m) => ({
        id: `${m.provider.name}/${m.model}`,
        object: "model" as const,
        created: 0,
        owned_by: m.provider.name,
        type: m.type,
      }))
      .filter((m) => !allowed || allowed.has(m.id))
      .sort((a, b) => a.id.localeCompare(b.id));
    for (const [alias, m] of catalog.aliases) {
      if (listable(m) && (!allowed || allowed.has(alias)))
        data.push({ id: alias, object: "model", created: 0, owned_by: m.provider.name, type: m.type });
    }
    return Response.json({ object: "list", data });
  } catch (error) {
    return errorResponse(error);
  }
}

/** `{"available":true}` or `{"available":false,"error","code"}`: may this caller use the hub (or the model) now? */
export async function handleStatus(request: Request): Promise<Response> {
  try {
    const principal = await authenticate(request);
    const shortage = await creditShortage(principal);
    if (shortage) throw shortage;
    const model = new URL(request.url).searchParams.get("model");
    if (model) {
      if (principal.allowedModels && !principal.allowedModels.includes(model)) {
        throw new HubError("forbidden", `This API key may not use the model '${model}'.`, "model");
      }
      const catalog = await getRoutingCatalog();
      const type = (["chat", "image", "embedding"] as const).find((t) => {
        try {
          return resolveModel(catalog, model, t).length > 0;
        } catch {
          return false; // not a model of this type: the next type is tried, and none found is reported below
        }
      });
      if (!type) resolveModel(catalog, model, "chat"); // throws the model_not_found error with its hint
      const now = Date.now();
      const usable = resolveModel(catalog, model, type!).some((r) =>
        r.provider.credentials.some((c) => breaker.isAvailable(c.id, now)),
      );
      if (!usable)
        throw new HubError("unavailable", `Every credential serving '${model}' is cooling down after errors.`, "model");
    }
    return Response.json({ available: true });
  } catch (error) {
    const e = error instanceof HubError ? error : new HubError("internal", "status check failed");
    return Response.json({ available: false, error: e.message, code: e.status, type: e.type, ...(e.extra ?? {}) });
  }
}
