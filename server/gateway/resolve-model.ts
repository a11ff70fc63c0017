/**
 * From the model name a client sends to the provider and model that serve it. Accepted forms:
 * - an admin alias ("fast");
 * - "provider/model" ("openai/gpt-4o-mini"), and "aignehub/provider/model" (AIGNE's hub-protocol prefix);
 * - a bare id ("gpt-4o-mini"): AIGNE's client strips the provider when it speaks OpenAI style
 *   (docs/aigne-protocol.md, "Which protocol the client uses"), so the providers that list the model come first, then the model's family.
 * Pure: works on a RoutingCatalog snapshot.
 */
import type { ModelType } from "../../drizzle/schema";
import { HubError } from "../errors";
import type { RoutingCatalog, ModelEntry, ProviderEntry } from "./routing-catalog.server";

export interface ResolvedModel {
  provider: ProviderEntry;
  /** The provider's own model id. */
  model: string;
  /** The catalog entry when the model is listed (rates, limits, fallbacks); null for pass-through ids. */
  entry: ModelEntry | null;
  /** "provider/model", recorded on the call. */
  publicName: string;
}

function usable(p: ProviderEntry): boolean {
  return p.credentials.length > 0;
}

function fromEntry(entry: ModelEntry): ResolvedModel {
  return { provider: entry.provider, model: entry.model, entry, publicName: `${entry.provider.name}/${entry.model}` };
}

function notFound(catalog: RoutingCatalog, requested: string, type: ModelType): HubError {
  const examples = [...catalog.models.values()]
    .filter((m) => m.type === type && usable(m.provider))
    .slice(0, 5)
    .map((m) => `${m.provider.name}/${m.model}`);
  const hint = examples.length
    ? ` Models are named "provider/model", for example ${examples.join(", ")}; GET /api/v2/models lists them all.`
    : catalog.providers.size
      ? ` Models are named "provider/model", with providers ${[...catalog.providers.keys()].join(", ")}.`
      : " No provider is configured yet: an admin can add one (try the mock provider).";
  return new HubError(
    "model_not_found",
    `The model '${requested}' does not exist or is not available.${hint}`,
    "model",
  );
}

/**
 * Every way the name can be served, best first: for a bare id listed by several providers, each of them (the
 * caller spreads calls among them); otherwise one.
 */
export function resolveModel(catalog: RoutingCatalog, requested: string, type: ModelType): ResolvedModel[] {
  const name = requested.trim();
  if (!name)
    throw new HubError("invalid_input", "you must provide a model parameter", "model", {
      code: "missing_required_parameter",
    });

  const alias = catalog.aliases.get(name);
  if (alias && usable(alias.provider)) return [fromEntry(alias)];

  const withoutHub = name.startsWith("aignehub/") ? name.slice("aignehub/".length) : name;
  const slash = withoutHub.indexOf("/");
  if (slash > 0) {
    const providerName = withoutHub.slice(0, slash);
    const model = withoutHub.slice(slash + 1);
    const provider = catalog.providers.get(providerName);
    if (provider && model) {
      const entry = catalog.models.get(`${provider.name}/${model}`);
      if (entry && usable(provider)) return [fromEntry(entry)];
      if (provider.allowAnyModel && usable(provider))
        return [{ provider, model, entry: null, publicName: `${provider.name}/${model}` }];
      throw notFound(catalog, name, type);
    }
    // Not a provider prefix: the whole string may be a bare id with slashes (OpenRouter's "meta-llama/...").
  }

  const listed = (catalog.modelsById.get(withoutHub) ?? []).filter((m) => usable(m.provider) && m.type === type);
  if (listed.length) return listed.map(fromEntry);

  // The model's family (ProviderFacts.modelFamily): families do not overlap, so the first match is the only kind.
  for (const provider of catalog.providers.values()) {
    if (provider.adapter.modelFamily?.test(withoutHub) && usable(provider) && provider.allowAnyModel)
      return [{ provider, model: withoutHub, entry: null, publicName: `${provider.name}/${withoutHub}` }];
  }
  throw notFound(catalog, name, type);
}
