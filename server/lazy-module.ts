/**
 * A package loaded on first use rather than when the server starts: what only some hubs need (Redis, Bedrock)
 * stays out of the others' memory (docs/decisions/021-server-memory.md). Synchronous, through `require`, so callers
 * keep their synchronous signatures; the type import alone costs nothing at run time.
 */
import { createRequire } from "node:module";

export function lazyModule<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= createRequire(import.meta.url)(name) as T);
}
