/**
 * How much garbage the server's old generation may gather before V8 collects it. V8 lets the heap grow by a factor
 * it picks between 1.1 and 4 from how fast its collector and the program run; under sustained load the hub's RSS
 * then swung between about 140 and 270 MB while live objects stayed at 35 MB. A fixed, smaller factor keeps
 * RSS flat for a few per cent of CPU (docs/decisions/024-heap-growth.md).
 */
import v8 from "node:v8";

/** The V8 flag to set for `percent` (growth factor 1 + percent / 100), or null: V8's own choice, or the operator's. */
export function heapGrowthFlag(percent: number, execArgv: readonly string[]): string | null {
  if (percent === 0) return null;
  // A value given on the command line (`node --heap-growing-percent=N bin/start.js`) is the operator's: keep it.
  if (execArgv.some((a) => /^--heap[-_]growing[-_]percent\b/.test(a))) return null;
  return `--heap-growing-percent=${percent}`;
}

/** Sets the growth factor for the rest of the process; V8 reads it each time it sizes the heap after a collection. */
export function applyHeapGrowth(percent: number, execArgv: readonly string[] = process.execArgv): string | null {
  const flag = heapGrowthFlag(percent, execArgv);
  if (flag) v8.setFlagsFromString(flag);
  return flag;
}
