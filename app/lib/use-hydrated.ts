import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * False on the server and while the page hydrates, true from then on (and at once on later client-side navigation).
 * Components from `.client.tsx` modules, which the server build leaves empty, render only when it is true, so the
 * server never loads their libraries and hydration sees what the server rendered.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
