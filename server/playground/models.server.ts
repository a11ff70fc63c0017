/**
 * The models the playground offers: what the signed-in person may call (a session has no key restrictions, so
 * every model with a usable credential), grouped by provider, with the rate in force. A provider that passes any
 * model through also offers its built-in models (ProviderFacts.builtinModels: the mock's), so a fresh hub has
 * something to try.
 */
import type { ModelType } from "../../drizzle/schema";
import { providerTitle } from "../catalog/provider-title";
import { getRoutingCatalog } from "../gateway/routing-catalog.server";

export type { ModelType };

export interface PlaygroundModel {
  /** "provider/model", as the API takes it. */
  id: string;
  model: string;
  type: ModelType;
  /** Micro-USD per million tokens (null: no price set). */
  inputPerMillion: number | null;
  outputPerMillion: number | null;
  /** Micro-USD per image. */
  perImage: number | null;
}

export interface PlaygroundProvider {
  name: string;
  displayName: string;
  models: PlaygroundModel[];
}

export async function listPlaygroundModels(): Promise<PlaygroundProvider[]> {
  const catalog = await getRoutingCatalog();
  const byProvider = new Map<string, PlaygroundProvider>();
  const group = (name: string, displayName: string) => {
    let g = byProvider.get(name);
    if (!g) byProvider.set(name, (g = { name, displayName, models: [] }));
    return g;
  };
  for (const m of catalog.models.values()) {
    if (m.provider.credentials.length === 0) continue;
    group(m.provider.name, providerTitle(m.provider.displayName)).models.push({
      id: `${m.provider.name}/${m.model}`,
      model: m.model,
      type: m.type,
      inputPerMillion: m.rate?.inputPerMillion ?? null,
      outputPerMillion: m.rate?.outputPerMillion ?? null,
      perImage: m.rate?.perImage ?? null,
    });
  }
  for (const p of catalog.providers.values()) {
    if (p.adapter.builtinModels.length === 0 || !p.allowAnyModel || p.credentials.length === 0) continue;
    const g = group(p.name, providerTitle(p.displayName));
    for (const { model, type } of p.adapter.builtinModels) {
      if (g.models.some((m) => m.model === model)) continue;
      g.models.push({
        id: `${p.name}/${model}`,
        model,
        type,
        inputPerMillion: null,
        outputPerMillion: null,
        perImage: null,
      });
    }
  }
  const groups = [...byProvider.values()].sort((a, b) => a.displayName.localeCompare(b.displayName));
  for (const g of groups) g.models.sort((a, b) => a.model.localeCompare(b.model));
  return groups;
}
