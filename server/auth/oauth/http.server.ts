/**
 * The sign-in's outgoing HTTP: every call goes through the injected fetch with a timeout, and any transport
 * failure or unexpected answer becomes `provider_unavailable` without echoing bodies (they may hold tokens).
 */
import { SignInError } from "./sign-in-errors";
import type { FetchLike } from "./types";

const TIMEOUT_MS = 10_000;

export async function send(fetchImpl: FetchLike, request: Request, what: string): Promise<Response> {
  try {
    return await fetchImpl(request, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new SignInError("provider_unavailable", `${what}: ${(error as Error).name}`);
  }
}

/** GET a JSON document (discovery, JWKS, profile); `token` adds a bearer Authorization header. */
export async function getJson(
  fetchImpl: FetchLike,
  url: string,
  what: string,
  headers: Record<string, string> = {},
): Promise<unknown> {
  const response = await send(
    fetchImpl,
    new Request(url, { headers: { Accept: "application/json", ...headers } }),
    what,
  );
  if (!response.ok) {
    await response.body?.cancel();
    throw new SignInError("provider_unavailable", `${what}: HTTP ${response.status}`);
  }
  try {
    return await response.json();
  } catch {
    throw new SignInError("provider_unavailable", `${what}: not JSON`);
  }
}
