/**
 * Every registered adapter declares facts the rest of the hub can rely on (server/providers/types.ts,
 * ProviderFacts): the catalog, billing, routing and the admin's provider menu read them without asking the kind.
 */
import { describe, expect, it } from "vitest";
import { ADAPTERS, PROVIDER_KINDS } from "./registry";

const entries = Object.entries(ADAPTERS);

describe("the provider registry", () => {
  it.each(entries)("%s declares consistent facts", (key, adapter) => {
    expect(adapter.kind).toBe(key);
    expect(adapter.displayName.trim()).not.toBe("");
    expect(adapter.menuHint === null || adapter.menuHint.trim() !== "").toBe(true);
    expect(adapter.keyHint === null || adapter.keyHint.trim() !== "").toBe(true);
    expect(() => new URL(adapter.defaultBaseUrl.replace("{region}", "us-east-1"))).not.toThrow();
    // Free when unpriced is only for a provider that costs the hub nothing, and so takes no account key.
    if (adapter.freeWhenUnpriced) expect(adapter.needsKey).toBe(false);
    for (const { model, type } of adapter.builtinModels) {
      // A built-in model is served by its own adapter, for its type, and its name routes to no other kind.
      if (type === "embedding") expect(adapter.embeddings).toBeDefined();
      if (type === "image") expect(adapter.images).toBeDefined();
      expect(adapter.modelFamily?.test(model)).toBe(true);
    }
  });

  it("routes a bare model id to at most one kind: families do not overlap", () => {
    const examples = [
      ...entries.flatMap(([, a]) => a.builtinModels.map((m) => m.model)),
      "gpt-4o-mini",
      "o3-mini",
      "text-embedding-3-small",
      "claude-sonnet-4-5",
      "gemini-2.5-flash",
      "imagen-4.0-generate-001",
      "deepseek-chat",
      "grok-4",
      "doubao-seed-1-6",
      "mock-chat",
    ];
    for (const model of examples) {
      const kinds = entries.filter(([, a]) => a.modelFamily?.test(model)).map(([k]) => k);
      expect(kinds, model).toHaveLength(1);
    }
  });

  it("gives every kind its own name in the provider menu", () => {
    expect(new Set(PROVIDER_KINDS.map((k) => ADAPTERS[k].displayName)).size).toBe(PROVIDER_KINDS.length);
  });
});
