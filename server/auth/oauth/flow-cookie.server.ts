/**
 * The state of one sign-in between the redirect to the provider and the callback: state, PKCE verifier, nonce and
 * where to go afterwards. It lives in a short-lived HttpOnly cookie, sealed with the hub's secret key (AES-GCM), so
 * the browser can neither read the verifier nor change anything unnoticed, and no server-side row is needed.
 * SameSite=Lax, because the callback is a top-level GET navigation from the provider's site.
 */
import { z } from "zod";
import { getSecretBox } from "../../crypto/secret-key.server";
import { getEnv } from "../../env.server";
import { SignInError } from "./sign-in-errors";
import type { FlowSecrets, OAuthProviderId } from "./types";

const FLOW_COOKIE = "hub_oauth_flow";
export const FLOW_TTL_MS = 10 * 60 * 1000;

const flowSchema = z.object({
  provider: z.string(),
  state: z.string().min(1),
  codeVerifier: z.string().min(1),
  nonce: z.string().min(1),
  next: z.string(),
  expiresAt: z.number(),
});

export interface FlowState extends FlowSecrets {
  provider: OAuthProviderId;
  next: string;
  expiresAt: number;
}

function attributes(maxAgeSeconds: number): string {
  const secure = getEnv().PUBLIC_URL.startsWith("https:") ? "; Secure" : "";
  // Path=/auth: the cookie is sent to the sign-in routes only, not with every page and API call.
  return `Path=/auth; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure}`;
}

export function serializeFlowCookie(flow: FlowState): string {
  return `${FLOW_COOKIE}=${getSecretBox().seal(JSON.stringify(flow))}; ${attributes(Math.floor(FLOW_TTL_MS / 1000))}`;
}

export function clearFlowCookie(): string {
  return `${FLOW_COOKIE}=; ${attributes(0)}`;
}

function readCookie(request: Request, name: string): string | null {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** The flow of this browser; refuses a missing, altered or expired one. */
export function readFlowCookie(request: Request, now = Date.now()): FlowState {
  const sealed = readCookie(request, FLOW_COOKIE);
  if (!sealed) throw new SignInError("flow_missing", "no flow cookie");
  let parsed: z.infer<typeof flowSchema>;
  try {
    parsed = flowSchema.parse(JSON.parse(getSecretBox().open(sealed)));
  } catch {
    throw new SignInError("flow_tampered", "the flow cookie does not open with the hub's key");
  }
  if (parsed.expiresAt <= now) throw new SignInError("flow_missing", "the flow cookie expired");
  return parsed as FlowState;
}
