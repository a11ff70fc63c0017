/**
 * OpenID Connect discovery (https://openid.net/specs/openid-connect-discovery-1_0.html): the issuer's endpoints,
 * fetched once and cached for an hour. Only a valid document is cached, so a provider outage heals by itself.
 */
import { z } from "zod";
import { getJson } from "./http.server";
import { SignInError } from "./sign-in-errors";
import type { FetchLike } from "./types";

const CACHE_MS = 60 * 60 * 1000;

const discoverySchema = z.object({
  issuer: z.string().url(),
  authorization_endpoint: z.string().url(),
  token_endpoint: z.string().url(),
  jwks_uri: z.string().url(),
  userinfo_endpoint: z.string().url().optional(),
  id_token_signing_alg_values_supported: z.array(z.string()).optional(),
});

export type DiscoveryDocument = z.infer<typeof discoverySchema>;

const cache = new Map<string, { doc: DiscoveryDocument; at: number }>();

const trimSlash = (url: string) => url.replace(/\/+$/, "");

export async function getDiscoveryDocument(
  issuer: string,
  fetchImpl: FetchLike,
  now = Date.now(),
): Promise<DiscoveryDocument> {
  const key = trimSlash(issuer);
  const hit = cache.get(key);
  if (hit && now - hit.at < CACHE_MS) return hit.doc;
  const raw = await getJson(fetchImpl, `${key}/.well-known/openid-configuration`, "discovery");
  const parsed = discoverySchema.safeParse(raw);
  if (!parsed.success)
    throw new SignInError(
      "provider_unavailable",
      `discovery: invalid document (${parsed.error.issues[0]?.path.join(".")})`,
    );
  // The spec requires the document's issuer to be the one we asked; a mismatch means a wrong or hostile URL.
  if (trimSlash(parsed.data.issuer) !== key)
    throw new SignInError("provider_unavailable", "discovery: issuer does not match the configured issuer");
  cache.set(key, { doc: parsed.data, at: now });
  return parsed.data;
}

export function clearDiscoveryCache(): void {
  cache.clear();
}
