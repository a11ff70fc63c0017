/**
 * Each sign-in flow may finish once. The flow cookie is cleared at the callback, but a copied cookie (or a
 * double-submitted callback) would otherwise redeem the same state again. Remembered per process until the flow
 * would have expired anyway; across instances the provider's single-use codes refuse the replay.
 */
const consumed = new Map<string, number>();

/** True the first time a state is seen; false for every later attempt before `expiresAt`. */
export function consumeFlow(state: string, expiresAt: number, now = Date.now()): boolean {
  for (const [key, until] of consumed) if (until <= now) consumed.delete(key);
  if (consumed.has(state)) return false;
  consumed.set(state, expiresAt);
  return true;
}
