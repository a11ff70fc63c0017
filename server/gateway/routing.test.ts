/**
 * Pure routing pieces, no database and no network: weighted credential order, the circuit breaker's state
 * machine, model name resolution, and the candidate list built from a hand-made RoutingCatalog.
 */
import { describe, expect, it } from "vitest";
import { HubError } from "../errors";
import { getAdapter } from "../providers/registry";
import type { ProviderKind } from "../providers/types";
import type { ModelType } from "../../drizzle/schema";
import { buildCandidates } from "./candidates";
import type { RoutingCatalog, CredentialEntry, ModelEntry, ProviderEntry } from "./routing-catalog.server";
import { CircuitBreaker, DEFAULT_BREAKER } from "./circuit-breaker";
import { orderByWeight } from "./weighted-order";
import { resolveModel } from "./resolve-model";

const byWeight = (item: { weight: number }) => item.weight;

/** mulberry32: a small deterministic PRNG, so the distribution checks give the same numbers every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("orderByWeight", () => {
  it("puts each credential first in proportion to its weight (3:1 → 75% / 25% ± 2%)", () => {
    const random = seeded(42);
    const items = [
      { id: "a", weight: 3 },
      { id: "b", weight: 1 },
    ];
    const lead = { a: 0, b: 0 };
    const draws = 10_000;
    for (let i = 0; i < draws; i++) lead[orderByWeight(items, byWeight, random)[0]!.id as "a" | "b"]++;
    expect(lead.a + lead.b).toBe(draws);
    expect(Math.abs(lead.a / draws - 0.75)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(lead.b / draws - 0.25)).toBeLessThanOrEqual(0.02);
  });

  it("keeps weight 0 last, only as failover, and never drops or duplicates an item", () => {
    const random = seeded(7);
    const items = [
      { id: "zero", weight: 0 },
      { id: "one", weight: 1 },
      { id: "heavy", weight: 1000 },
      { id: "two", weight: 2 },
    ];
    const firsts = new Set<string>();
    const lasts = new Set<string>();
    const shapes = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const order = orderByWeight(items, byWeight, random);
      lasts.add(order.at(-1)!.id);
      shapes.add(
        order
          .map((o) => o.id)
          .sort()
          .join(","),
      );
      firsts.add(order[0]!.id);
    }
    expect(lasts).toEqual(new Set(["zero"]));
    expect(shapes).toEqual(new Set(["heavy,one,two,zero"]));
    expect(firsts).toEqual(new Set(["heavy", "one", "two"]));
    // A draw of exactly 0 must not sink a positive weight below the weight-0 item.
    expect(
      orderByWeight(
        [
          { id: "zero", weight: 0 },
          { id: "one", weight: 1 },
        ],
        byWeight,
        () => 0,
      ).map((o) => o.id),
    ).toEqual(["one", "zero"]);
    expect(orderByWeight([{ id: "only", weight: 0 }], byWeight, random).map((o) => o.id)).toEqual(["only"]);
  });
});

describe("CircuitBreaker", () => {
  const T = 1_000_000;
  const { cooldownMs, maxCooldownMs } = DEFAULT_BREAKER;

  it("opens after 3 consecutive failures and skips the credential while open", () => {
    const b = new CircuitBreaker();
    expect(b.recordFailure("c", T)).toBe(false);
    expect(b.recordFailure("c", T + 1)).toBe(false);
    expect(b.tryAcquire("c", T + 2)).toBe(true);
    expect(b.recordFailure("c", T + 2)).toBe(true);
    expect(b.openUntil("c")).toBe(T + 2 + cooldownMs);
    expect(b.health("c", T + 3)).toBe("unhealthy");
    expect(b.tryAcquire("c", T + 3)).toBe(false);
    expect(b.isAvailable("c", T + 2 + cooldownMs - 1)).toBe(false);
    expect(b.tryAcquire("c", T + 2 + cooldownMs - 1)).toBe(false);
    // Another credential is unaffected.
    expect(b.tryAcquire("other", T + 3)).toBe(true);
  });

  it("a success in between resets the count", () => {
    const b = new CircuitBreaker();
    b.recordFailure("c", T);
    b.recordFailure("c", T);
    b.recordSuccess("c");
    expect(b.recordFailure("c", T)).toBe(false);
    expect(b.failures("c")).toBe(1);
    expect(b.tryAcquire("c", T)).toBe(true);
  });

  it("lets exactly one probe through after the cooldown; its success closes the circuit", () => {
    const b = new CircuitBreaker();
    for (let i = 0; i < 3; i++) b.recordFailure("c", T);
    const after = T + cooldownMs;
    expect(b.health("c", after)).toBe("probing");
    expect(b.isAvailable("c", after)).toBe(true);
    expect(b.tryAcquire("c", after)).toBe(true);
    expect(b.isAvailable("c", after)).toBe(false);
    expect(b.tryAcquire("c", after)).toBe(false);
    expect(b.tryAcquire("c", after + 5_000)).toBe(false);
    b.recordSuccess("c");
    expect(b.health("c", after)).toBe("healthy");
    expect(b.openUntil("c")).toBeNull();
    expect(b.failures("c")).toBe(0);
    expect(b.tryAcquire("c", after)).toBe(true);
    expect(b.tryAcquire("c", after)).toBe(true);
    // Closed again: it takes three fresh failures to open it, with the base cooldown.
    expect(b.recordFailure("c", after)).toBe(false);
    expect(b.recordFailure("c", after)).toBe(false);
    expect(b.recordFailure("c", after)).toBe(true);
    expect(b.openUntil("c")).toBe(after + cooldownMs);
  });

  it("a failed probe re-opens with a doubled cooldown, capped", () => {
    const b = new CircuitBreaker();
    for (let i = 0; i < 3; i++) b.recordFailure("c", T);
    let now = T + cooldownMs;
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      expect(b.tryAcquire("c", now)).toBe(true);
      expect(b.recordFailure("c", now)).toBe(true);
      const until = b.openUntil("c")!;
      seen.push(until - now);
      expect(b.tryAcquire("c", until - 1)).toBe(false);
      now = until;
    }
    expect(seen).toEqual([60_000, 120_000, 240_000, maxCooldownMs, maxCooldownMs, maxCooldownMs]);
  });

  it("a released probe slot (client gone) lets the next request probe", () => {
    const b = new CircuitBreaker();
    for (let i = 0; i < 3; i++) b.recordFailure("c", T);
    expect(b.tryAcquire("c", T + cooldownMs)).toBe(true);
    b.release("c");
    expect(b.tryAcquire("c", T + cooldownMs)).toBe(true);
  });

  it("a 429's Retry-After opens the circuit for exactly that long, even on the first failure", () => {
    const b = new CircuitBreaker();
    expect(b.recordFailure("c", T, 7_000)).toBe(true);
    expect(b.openUntil("c")).toBe(T + 7_000);
    expect(b.tryAcquire("c", T + 6_999)).toBe(false);
    expect(b.tryAcquire("c", T + 7_000)).toBe(true);
    b.recordSuccess("c");
    // Longer than the normal cooldown too.
    expect(b.recordFailure("c", T, 90_000)).toBe(true);
    expect(b.openUntil("c")).toBe(T + 90_000);
    // A zero Retry-After does not open it by itself.
    const fresh = new CircuitBreaker();
    expect(fresh.recordFailure("d", T, 0)).toBe(false);
    expect(fresh.tryAcquire("d", T)).toBe(true);
  });
});

// ---- A hand-made catalog -----------------------------------------------------------------------------------

function provider(
  name: string,
  kind: ProviderKind,
  opts: { allowAnyModel?: boolean; credentials?: Array<Partial<CredentialEntry>> } = {},
): ProviderEntry {
  const creds = opts.credentials ?? [{}];
  const credentials = creds.map((c, i) => ({
    id: `crd_${name}_${i}`,
    name: `key${i}`,
    weight: 1,
    baseUrl: `http://${name}.test`,
    secret: "s",
    ...c,
  }));
  return {
    id: `prv_${name}`,
    name,
    kind,
    displayName: name,
    allowAnyModel: opts.allowAnyModel ?? false,
    options: {},
    adapter: getAdapter(kind),
    credentials,
  };
}

function catalogOf(
  providers: ProviderEntry[],
  models: Array<[string, string, ModelType?, string[]?]>,
  aliases: Record<string, string> = {},
): RoutingCatalog {
  const catalog: RoutingCatalog = {
    providers: new Map(),
    models: new Map(),
    modelsById: new Map(),
    aliases: new Map(),
    loadedAt: 0,
  };
  for (const p of providers) catalog.providers.set(p.name, p);
  for (const [providerName, model, type = "chat", fallbackModels = []] of models) {
    const p = catalog.providers.get(providerName)!;
    const entry: ModelEntry = {
      id: `mdl_${providerName}_${model}`,
      provider: p,
      model,
      type,
      maxOutputTokens: null,
      fallbackModels,
      metadata: null,
      rate: null,
    };
    catalog.models.set(`${providerName}/${model}`, entry);
    catalog.modelsById.set(model, [...(catalog.modelsById.get(model) ?? []), entry]);
  }
  for (const [alias, target] of Object.entries(aliases)) catalog.aliases.set(alias, catalog.models.get(target)!);
  return catalog;
}

const names = (r: ReturnType<typeof resolveModel>) =>
  r.map((x) => `${x.publicName}${x.entry ? "" : " (pass-through)"}`);

describe("resolveModel", () => {
  const catalog = catalogOf(
    [
      provider("openai", "openai"),
      provider("azure", "openai"),
      provider("anthropic", "anthropic", { allowAnyModel: true }),
      provider("openrouter", "openrouter", { allowAnyModel: true }),
      provider("local", "ollama", { allowAnyModel: true }),
      provider("empty", "openai", { allowAnyModel: true, credentials: [] }),
    ],
    [
      ["openai", "gpt-4o-mini"],
      ["azure", "gpt-4o-mini"],
      ["openai", "text-embedding-3-small", "embedding"],
      ["anthropic", "claude-sonnet-4-5"],
      ["openrouter", "meta-llama/llama-3.1-70b-instruct"],
    ],
    { fast: "anthropic/claude-sonnet-4-5" },
  );

  it("resolves an alias to its model", () => {
    const [r] = resolveModel(catalog, "fast", "chat");
    expect(r).toMatchObject({ publicName: "anthropic/claude-sonnet-4-5", model: "claude-sonnet-4-5" });
    expect(r!.entry).toBe(catalog.models.get("anthropic/claude-sonnet-4-5"));
  });

  it("resolves a listed provider/model, with or without the aignehub/ prefix", () => {
    expect(names(resolveModel(catalog, "openai/gpt-4o-mini", "chat"))).toEqual(["openai/gpt-4o-mini"]);
    expect(names(resolveModel(catalog, "aignehub/openai/gpt-4o-mini", "chat"))).toEqual(["openai/gpt-4o-mini"]);
    expect(names(resolveModel(catalog, "  openai/gpt-4o-mini ", "chat"))).toEqual(["openai/gpt-4o-mini"]);
  });

  it("passes an unlisted model through when the provider allows any model", () => {
    const [r] = resolveModel(catalog, "anthropic/claude-opus-9", "chat");
    expect(r).toMatchObject({ publicName: "anthropic/claude-opus-9", model: "claude-opus-9", entry: null });
    expect(r!.provider.name).toBe("anthropic");
    expect(names(resolveModel(catalog, "aignehub/local/llama3.2:3b", "chat"))).toEqual([
      "local/llama3.2:3b (pass-through)",
    ]);
  });

  it("refuses an unlisted model of a strict provider with model_not_found and a hint", () => {
    let error: unknown;
    try {
      resolveModel(catalog, "openai/gpt-9000", "chat");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HubError);
    expect(error).toMatchObject({ kind: "model_not_found", status: 404, code: "model_not_found", param: "model" });
    const { message } = error as HubError;
    expect(message).toContain("'openai/gpt-9000' does not exist");
    expect(message).toContain('named "provider/model", for example openai/gpt-4o-mini');
    expect(message).not.toContain("text-embedding-3-small"); // hints are of the requested type
    // A provider without credentials serves nothing, even models it would pass through.
    expect(() => resolveModel(catalog, "empty/gpt-4o", "chat")).toThrow(/does not exist/);
    expect(() => resolveModel(catalog, "", "chat")).toThrow(/must provide a model/);
    expect(() => resolveModel(catalogOf([], []), "x/y", "chat")).toThrow(/No provider is configured/);
  });

  it("serves a bare id from every provider that lists it, only of the requested type", () => {
    expect(names(resolveModel(catalog, "gpt-4o-mini", "chat"))).toEqual(["openai/gpt-4o-mini", "azure/gpt-4o-mini"]);
    expect(names(resolveModel(catalog, "aignehub/gpt-4o-mini", "chat"))).toEqual([
      "openai/gpt-4o-mini",
      "azure/gpt-4o-mini",
    ]);
    expect(names(resolveModel(catalog, "text-embedding-3-small", "embedding"))).toEqual([
      "openai/text-embedding-3-small",
    ]);
    expect(() => resolveModel(catalog, "text-embedding-3-small", "chat")).toThrow(/does not exist/);
  });

  it("serves an unlisted bare id by its family, from a provider of that kind that allows any model", () => {
    expect(names(resolveModel(catalog, "claude-haiku-4-5", "chat"))).toEqual([
      "anthropic/claude-haiku-4-5 (pass-through)",
    ]);
    // openai and azure list only their models, and "empty" has no credentials: no openai-kind provider takes it.
    expect(() => resolveModel(catalog, "gpt-5", "chat")).toThrow(/does not exist/);
    expect(() => resolveModel(catalog, "some-unknown-model", "chat")).toThrow(/does not exist/);
  });

  it("handles OpenRouter-style ids that contain slashes", () => {
    // Listed bare id whose first segment is not a provider.
    expect(names(resolveModel(catalog, "meta-llama/llama-3.1-70b-instruct", "chat"))).toEqual([
      "openrouter/meta-llama/llama-3.1-70b-instruct",
    ]);
    // Provider prefix in front of a slashed id: the rest is the provider's model id, listed or passed through.
    const [listed] = resolveModel(catalog, "openrouter/meta-llama/llama-3.1-70b-instruct", "chat");
    expect(listed).toMatchObject({
      model: "meta-llama/llama-3.1-70b-instruct",
      publicName: "openrouter/meta-llama/llama-3.1-70b-instruct",
    });
    expect(listed!.entry).not.toBeNull();
    const [through] = resolveModel(catalog, "openrouter/mistralai/mistral-7b", "chat");
    expect(through).toMatchObject({ model: "mistralai/mistral-7b", entry: null });
    expect(() => resolveModel(catalog, "mistralai/mistral-7b", "chat")).toThrow(/does not exist/);
  });
});

describe("buildCandidates", () => {
  const catalog = catalogOf(
    [
      provider("main", "openai", { credentials: [{ weight: 5 }, { weight: 1 }, { weight: 0 }] }),
      provider("backup", "anthropic", { credentials: [{ weight: 1 }, { weight: 1 }] }),
      provider("third", "openai", {}),
    ],
    [
      ["main", "gpt-4o", "chat", ["backup/claude-sonnet-4-5", "main/gpt-4o", "gone/model", "third/gpt-4o-mini"]],
      ["backup", "claude-sonnet-4-5"],
      ["third", "gpt-4o-mini"],
    ],
  );
  const all = () => true;
  const ids = (cs: ReturnType<typeof buildCandidates>) => cs.map((c) => c.credential.id);

  it("lists the primary's credentials in weight order, then each fallback model's", () => {
    const random = seeded(1);
    let heavyFirst = 0;
    for (let i = 0; i < 600; i++) {
      const cs = buildCandidates(catalog, "main/gpt-4o", "chat", all, random);
      if (cs[0]!.credential.id === "crd_main_0") heavyFirst++;
      expect(cs).toHaveLength(6);
      expect(cs.slice(0, 3).map((c) => c.publicName)).toEqual(Array(3).fill("main/gpt-4o"));
      expect(new Set(ids(cs.slice(0, 3)))).toEqual(new Set(["crd_main_0", "crd_main_1", "crd_main_2"]));
      expect(cs[2]!.credential.id).toBe("crd_main_2"); // weight 0: last of its model
      expect(new Set(ids(cs.slice(3, 5)))).toEqual(new Set(["crd_backup_0", "crd_backup_1"]));
      expect(
        cs.slice(3, 5).every((c) => c.publicName === "backup/claude-sonnet-4-5" && c.model === "claude-sonnet-4-5"),
      ).toBe(true);
      // The self-reference is not repeated and the missing fallback is skipped.
      expect(cs[5]).toMatchObject({ publicName: "third/gpt-4o-mini", credential: { id: "crd_third_0" } });
    }
    expect(Math.abs(heavyFirst / 600 - 5 / 6)).toBeLessThan(0.05); // weight 5 of 6 leads 5/6 of the time
    // Candidates carry no weight field of their own, and resolve through the provider's real adapter.
    const [first] = buildCandidates(catalog, "main/gpt-4o", "chat", all, seeded(3));
    expect(first).not.toHaveProperty("weight");
    expect(first!.provider.adapter.kind).toBe("openai");
  });

  it("skips credentials whose circuit is open", () => {
    const open = new Set(["crd_main_0", "crd_backup_1"]);
    const cs = buildCandidates(catalog, "main/gpt-4o", "chat", (id) => !open.has(id), seeded(2));
    expect(ids(cs)).toEqual(["crd_main_1", "crd_main_2", "crd_backup_0", "crd_third_0"]);
  });

  it("still tries every credential, in weight order, when all of them are open", () => {
    const noFallback = catalogOf(
      [provider("solo", "openai", { credentials: [{ weight: 1 }, { weight: 0 }, { weight: 3 }] })],
      [["solo", "gpt-4o"]],
    );
    const cs = buildCandidates(noFallback, "solo/gpt-4o", "chat", () => false, seeded(4));
    expect(cs).toHaveLength(3);
    expect(cs.at(-1)!.credential.id).toBe("crd_solo_1");
    expect(new Set(ids(cs))).toEqual(new Set(["crd_solo_0", "crd_solo_1", "crd_solo_2"]));
  });

  it("fails the same way resolveModel does when the requested model is unknown", () => {
    expect(() => buildCandidates(catalog, "main/nope", "chat", all)).toThrow(HubError);
  });
});
