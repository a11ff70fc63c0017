/**
 * The Settings page: the owner's settings without any secret, and the OAuth clients configured in the console.
 * A client secret is sealed with the hub's secret box on the way in and shown only as its last four characters;
 * leaving it empty when editing keeps the stored one. Clients set in the environment are listed read-only
 * (they take precedence, server/auth/oauth/provider-config.server.ts).
 */
import type { Actor } from "../audit/audit.server";
import { lastFour } from "../crypto/secret-box";
import { randomToken, sha256Hex } from "../crypto/tokens";
import { getSecretBox } from "../crypto/secret-key.server";
import { getEnv } from "../env.server";
import { HubError } from "../errors";
import { getSettings, updateSettings, type HubSettings } from "../settings/settings.server";

export const OAUTH_IDS = ["github", "google", "oidc"] as const;
export type OAuthId = (typeof OAUTH_IDS)[number];

export interface AdminOAuthClient {
  id: OAuthId;
  clientId: string;
  issuer: string | null;
  name: string | null;
  /** "…abcd", or a note when the sealed secret cannot be opened with the current secret key. */
  secretPreview: string;
}

export type EditableSettings = Omit<HubSettings, "oauthClients" | "trustedProxies">;

export interface AdminSettings {
  settings: EditableSettings;
  trustedProxies: string[];
  oauthClients: AdminOAuthClient[];
  /** Ids configured through environment variables (they win over the console's). */
  envOAuth: OAuthId[];
  /** What to register at each provider as the redirect URI. */
  callbackUrls: Record<OAuthId, string>;
  /** GET /metrics: whether a token is stored here, whether HUB_METRICS_TOKEN overrides it, and the URL to scrape. */
  metrics: { tokenSet: boolean; fromEnv: boolean; url: string };
}

function preview(sealed: string): string {
  try {
    return `…${lastFour(getSecretBox().open(sealed))}`;
  } catch {
    return "(cannot be read with this hub's secret key: enter it again)";
  }
}

/** Setting names that hold secrets (sealed or not): never sent to any page, whoever adds them. */
const SECRET_SETTING = /secret|sealed|password|token/i;

export async function getAdminSettings(): Promise<AdminSettings> {
  const { oauthClients, trustedProxies, metricsTokenHash, ...rest } = await getSettings();
  const settings = Object.fromEntries(
    Object.entries(rest).filter(([key]) => !SECRET_SETTING.test(key)),
  ) as EditableSettings;
  const env = getEnv();
  const envOAuth: OAuthId[] = [];
  if (env.GITHUB_CLIENT_ID && env.GITHUB_CLIENT_SECRET) envOAuth.push("github");
  if (env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET) envOAuth.push("google");
  if (env.OIDC_ISSUER && env.OIDC_CLIENT_ID) envOAuth.push("oidc");
  return {
    settings,
    trustedProxies,
    oauthClients: oauthClients.map((c) => ({
      id: c.id,
      clientId: c.clientId,
      issuer: c.issuer,
      name: c.name,
      secretPreview: preview(c.sealedClientSecret),
    })),
    envOAuth,
    callbackUrls: Object.fromEntries(OAUTH_IDS.map((id) => [id, `${env.PUBLIC_URL}/auth/${id}/callback`])) as Record<
      OAuthId,
      string
    >,
    metrics: {
      tokenSet: metricsTokenHash !== null,
      fromEnv: Boolean(env.HUB_METRICS_TOKEN),
      url: `${env.PUBLIC_URL}/metrics`,
    },
  };
}

export async function updateHubSettings(patch: Partial<EditableSettings>, actor: Actor): Promise<AdminSettings> {
  const clean = Object.fromEntries(
    Object.entries(patch).filter(([k, v]) => v !== undefined && k !== "oauthClients" && k !== "trustedProxies"),
  );
  if (!Object.keys(clean).length) throw new HubError("invalid_input", "Nothing to change", null);
  await updateSettings(clean, actor);
  return getAdminSettings();
}

export interface OAuthClientInput {
  id: OAuthId;
  clientId: string;
  /** Empty keeps the stored secret (required for a new client). */
  clientSecret?: string | null;
  issuer?: string | null;
  name?: string | null;
}

export async function setOAuthClient(input: OAuthClientInput, actor: Actor): Promise<AdminSettings> {
  const current = (await getSettings()).oauthClients;
  const existing = current.find((c) => c.id === input.id);
  const secret = input.clientSecret?.trim();
  if (!secret && !existing) throw new HubError("invalid_input", "Enter the client secret", "client_secret");
  if (input.id === "oidc" && !input.issuer)
    throw new HubError("invalid_input", "An OpenID Connect client needs its issuer URL", "issuer");
  const next = {
    id: input.id,
    clientId: input.clientId.trim(),
    sealedClientSecret: secret ? getSecretBox().seal(secret) : existing!.sealedClientSecret,
    issuer: input.id === "github" ? null : input.issuer?.trim() || null,
    name: input.id === "oidc" ? input.name?.trim() || null : null,
  };
  await updateSettings({ oauthClients: [...current.filter((c) => c.id !== input.id), next] }, actor);
  return getAdminSettings();
}

export async function removeOAuthClient(id: OAuthId, actor: Actor): Promise<AdminSettings> {
  const current = (await getSettings()).oauthClients;
  if (!current.some((c) => c.id === id))
    throw new HubError("not_found", "That sign-in provider is not configured here", "id");
  await updateSettings({ oauthClients: current.filter((c) => c.id !== id) }, actor);
  return getAdminSettings();
}

/**
 * A new bearer token for GET /metrics, replacing any previous one. Returned once, to the owner who asked; only
 * its SHA-256 is stored, and the audit entry records that a token was generated, never the token (the audit
 * writer masks the hash field too). HUB_METRICS_TOKEN, when set, still wins (server/usage/metrics.server.ts).
 */
export async function generateMetricsToken(actor: Actor): Promise<{ token: string; settings: AdminSettings }> {
  const token = `hub-metrics-${randomToken(32)}`;
  await updateSettings({ metricsTokenHash: sha256Hex(token) }, actor, "settings.metrics_token.generate");
  return { token, settings: await getAdminSettings() };
}

/** Removes the stored /metrics token: the endpoint answers 404 again unless HUB_METRICS_TOKEN is set. */
export async function revokeMetricsToken(actor: Actor): Promise<AdminSettings> {
  if ((await getSettings()).metricsTokenHash === null)
    throw new HubError("not_found", "No metrics token is stored here", null);
  await updateSettings({ metricsTokenHash: null }, actor, "settings.metrics_token.revoke");
  return getAdminSettings();
}
