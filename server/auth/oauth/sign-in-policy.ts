/**
 * Who may get a new account at first sign-in (owner settings): anyone ("open"), nobody new ("invite_only": the
 * owner or an admin creates the user first, and the verified email links to it), or only some email domains.
 * People who already have an account are never stopped here; the owner disables them instead. Pure.
 */
import type { HubSettings } from "../../settings/settings.server";
import type { SignInErrorCode } from "./sign-in-errors";

function normalizeDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/^@/, "").replace(/\.$/, "");
}

/** null when a new account for this (verified) email may be created, else why not. */
export function refuseNewAccount(
  email: string,
  settings: Pick<HubSettings, "signInPolicy" | "allowedEmailDomains">,
): SignInErrorCode | null {
  if (settings.signInPolicy === "invite_only") return "invite_only";
  if (settings.signInPolicy === "domains") {
    const domain = normalizeDomain(email.slice(email.lastIndexOf("@") + 1));
    // Exact domain match: "example.com" does not admit "evil-example.com" or "mail.example.com".
    if (!settings.allowedEmailDomains.map(normalizeDomain).includes(domain)) return "domain_not_allowed";
  }
  return null;
}
