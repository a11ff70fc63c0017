/**
 * Which sign-in buttons the sign-in page shows: the OAuth clients configured in the environment or in the owner's
 * settings (server/auth/oauth/provider-config.server.ts), plus what the page needs to explain a refused sign-in or
 * how to configure a first provider.
 */
import { getEnv } from "../env.server";
import { listOAuthClients } from "./oauth/provider-config.server";
import { hasOwner } from "./users.server";

export interface SignInOption {
  id: "github" | "google" | "oidc";
  label: string;
}

export async function getSignInPage(): Promise<{
  options: SignInOption[];
  ownerExists: boolean;
  callbackBase: string;
}> {
  const options = (await listOAuthClients()).map((c) => ({ id: c.id, label: `Continue with ${c.name}` }));
  return { options, ownerExists: await hasOwner(), callbackBase: `${getEnv().PUBLIC_URL}/auth` };
}
