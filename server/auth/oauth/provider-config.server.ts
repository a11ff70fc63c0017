/**
 * Which OAuth clients this hub has: from the environment (GITHUB_*, GOOGLE_*, OIDC_*) or, for an id the
 * environment leaves unset, from the owner's settings (client secret sealed with the hub's secret key).
 * Listing never opens a secret; only a sign-in does, through `readSecret`.
 */
import { getSecretBox } from "../../crypto/secret-key.server";
import { getEnv } from "../../env.server";
import { getSettings } from "../../settings/settings.server";
import type { OAuthProviderId } from "./types";

const GOOGLE_ISSUER = "https://accounts.google.com";

export interface OAuthClientConfig {
  id: OAuthProviderId;
  clientId: string;
  /** OpenID Connect issuer (Google's, or the configured one); null for GitHub. */
  issuer: string | null;
  /** The provider's name on the button: "GitHub", "Google" or OIDC_NAME. */
  name: string;
  source: "env" | "settings";
  /** The client secret, opened on demand; throws SecretBoxError when the secret key changed. */
  readSecret(): string;
}

export async function listOAuthClients(): Promise<OAuthClientConfig[]> {
  const env = getEnv();
  const fromEnv: OAuthClientConfig[] = [];
  if (env.GITHUB_CLIENT_ID && env.GITHUB_CLIENT_SECRET) {
    const secret = env.GITHUB_CLIENT_SECRET;
    fromEnv.push({
      id: "github",
      clientId: env.GITHUB_CLIENT_ID,
      issuer: null,
      name: "GitHub",
      source: "env",
      readSecret: () => secret,
    });
  }
  if (env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET) {
    const secret = env.GOOGLE_CLIENT_SECRET;
    fromEnv.push({
      id: "google",
      clientId: env.GOOGLE_CLIENT_ID,
      issuer: GOOGLE_ISSUER,
      name: "Google",
      source: "env",
      readSecret: () => secret,
    });
  }
  if (env.OIDC_ISSUER && env.OIDC_CLIENT_ID) {
    // A public client (no secret) is allowed: PKCE protects the code exchange.
    const secret = env.OIDC_CLIENT_SECRET ?? "";
    fromEnv.push({
      id: "oidc",
      clientId: env.OIDC_CLIENT_ID,
      issuer: env.OIDC_ISSUER,
      name: env.OIDC_NAME,
      source: "env",
      readSecret: () => secret,
    });
  }

  const fromSettings: OAuthClientConfig[] = [];
  for (const c of (await getSettings()).oauthClients) {
    if (fromEnv.some((e) => e.id === c.id) || fromSettings.some((s) => s.id === c.id)) continue;
    const issuer = c.id === "google" ? (c.issuer ?? GOOGLE_ISSUER) : c.id === "oidc" ? c.issuer : null;
    if (c.id === "oidc" && !issuer) continue; // an OIDC client without an issuer cannot work
    const name = c.id === "github" ? "GitHub" : c.id === "google" ? "Google" : (c.name ?? env.OIDC_NAME);
    const sealed = c.sealedClientSecret;
    fromSettings.push({
      id: c.id,
      clientId: c.clientId,
      issuer,
      name,
      source: "settings",
      readSecret: () => getSecretBox().open(sealed),
    });
  }
  // A stable order on the page: GitHub, Google, then the OpenID Connect issuer.
  const order: OAuthProviderId[] = ["github", "google", "oidc"];
  return [...fromEnv, ...fromSettings].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
}

export async function getOAuthClient(id: string): Promise<OAuthClientConfig | null> {
  return (await listOAuthClients()).find((c) => c.id === id) ?? null;
}

/** `<PUBLIC_URL>/auth/<id>/callback`: what the owner registers at the provider. */
export function callbackUrl(id: OAuthProviderId): string {
  return `${getEnv().PUBLIC_URL}/auth/${id}/callback`;
}
