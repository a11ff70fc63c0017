/**
 * A value loaded from the database, held in memory for the gateway's hot path, dropped at once when its
 * invalidation topic is published (in this process, and through Redis in the others) and re-read after
 * `maxAgeMs` regardless: the safety net for a lost message.
 */
import { subscribe, type Topic } from "../cache/invalidation.server";

export interface CachedLoader<T> {
  get(): Promise<T>;
  /** The value, when it is loaded and as fresh as get() would take it; undefined otherwise (get() then decides). */
  peek(): T | undefined;
  clear(): void;
}

export function cachedLoader<T>(topic: Topic, load: () => Promise<T>, maxAgeMs = 10_000): CachedLoader<T> {
  let current: { value: Promise<T>; at: number; loaded?: { value: T } } | undefined;
  let generation = 0;
  let subscribed = false;
  const clear = () => {
    current = undefined;
    generation++;
  };
  return {
    clear,
    get() {
      if (!subscribed) {
        subscribed = true;
        subscribe(topic, clear);
      }
      if (current && Date.now() - current.at < maxAgeMs) return current.value;
      const mine = generation;
      const value = load();
      const entry: NonNullable<typeof current> = { value, at: Date.now() };
      current = entry;
      // A failed load is not cached; a load overtaken by an invalidation is not kept either.
      value.then(
        (loaded) => {
          entry.loaded = { value: loaded };
        },
        () => {
          if (generation === mine) current = undefined;
        },
      );
      return value;
    },
    peek() {
      return subscribed && current && Date.now() - current.at < maxAgeMs ? current.loaded?.value : undefined;
    },
  };
}
