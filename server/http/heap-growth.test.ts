import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { heapGrowthFlag } from "./heap-growth.server";

describe("heapGrowthFlag", () => {
  it("sets V8's growth factor from the percentage", () => {
    expect(heapGrowthFlag(50, [])).toBe("--heap-growing-percent=50");
    expect(heapGrowthFlag(50, ["--enable-source-maps"])).toBe("--heap-growing-percent=50");
  });

  it("leaves V8's own choice at 0, and the operator's command-line flag in either spelling", () => {
    expect(heapGrowthFlag(0, [])).toBeNull();
    expect(heapGrowthFlag(50, ["--heap-growing-percent=30"])).toBeNull();
    expect(heapGrowthFlag(50, ["--heap_growing_percent=30"])).toBeNull();
  });
});

/**
 * In a process of its own (the flag changes the whole process): the same garbage after applyHeapGrowth(0), which
 * leaves V8's own factor, and after applyHeapGrowth(10), counting V8's full collections. A smaller factor must make
 * it collect more often, which is what keeps RSS flat.
 */
function majorCollections(percent: number): number {
  const module = path.resolve(import.meta.dirname, "heap-growth.server.ts");
  const script = `
    const { PerformanceObserver, constants } = await import("node:perf_hooks");
    const { applyHeapGrowth } = await import(${JSON.stringify(module)});
    applyHeapGrowth(${percent}, []);
    let majors = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors++;
    }).observe({ entryTypes: ["gc"] });
    let kept = [];
    for (let i = 0; i < 8_000_000; i++) {
      kept.push({ i, s: "x" + i });
      if (kept.length > 200_000) kept = [];
    }
    await new Promise((r) => setTimeout(r, 50));
    console.log(majors);`;
  const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    encoding: "utf8",
  });
  return Number(out.trim());
}

describe("applyHeapGrowth", () => {
  it("makes V8 collect the old generation more often in the running process", () => {
    const v8Default = majorCollections(0);
    const fixedLow = majorCollections(10);
    expect(v8Default).toBeGreaterThan(0);
    expect(fixedLow).toBeGreaterThanOrEqual(v8Default * 1.5);
  });
});
