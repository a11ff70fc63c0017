/**
 * The ordered list of (provider, model, credential) a request will try: the resolved model's credentials in
 * weighted order, skipping those whose circuit is open, then those of each fallback model. Pure.
 */
import type { ModelType } from "../../drizzle/schema";
import type { RoutingCatalog, CredentialEntry } from "./routing-catalog.server";
import { orderByWeight } from "./weighted-order";
import { resolveModel, type ResolvedModel } from "./resolve-model";

export interface Candidate extends ResolvedModel {
  credential: CredentialEntry;
}

export function buildCandidates(
  catalog: RoutingCatalog,
  requested: string,
  type: ModelType,
  isAvailable: (credentialId: string) => boolean,
  random: () => number = Math.random,
): Candidate[] {
  const primary = resolveModel(catalog, requested, type);
  const out = expand(primary, isAvailable, random);
  const seen = new Set(primary.map((r) => r.publicName));
  for (const resolved of primary) {
    for (const fallback of resolved.entry?.fallbackModels ?? []) {
      if (seen.has(fallback)) continue;
      seen.add(fallback);
      try {
        out.push(...expand(resolveModel(catalog, fallback, type), isAvailable, random));
      } catch {
        // A fallback that no longer exists is skipped, not an error for the caller.
      }
    }
  }
  return out;
}

const weightOf = (c: Candidate) => c.credential.weight;

function expand(resolved: ResolvedModel[], isAvailable: (id: string) => boolean, random: () => number): Candidate[] {
  const all: Candidate[] = [];
  for (const r of resolved) for (const credential of r.provider.credentials) all.push({ ...r, credential });
  const open = all.filter((c) => isAvailable(c.credential.id));
  // When every circuit is open, still try them (in weight order) rather than refuse outright.
  return orderByWeight(open.length ? open : all, weightOf, random);
}
