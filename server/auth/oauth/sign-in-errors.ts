/**
 * Why a sign-in was refused: one code per reason, used in the audit log and in `/signin?error=<code>`, and the
 * message the sign-in page shows for it. Pure, so the page can import it.
 */
export const SIGN_IN_ERRORS = {
  state_mismatch: {
    title: "Sign-in could not be verified",
    message:
      "The security check between this browser and the provider did not match, so you were not signed in. Start again from this page.",
  },
  flow_missing: {
    title: "Sign-in expired",
    message:
      "The sign-in took longer than 10 minutes, or was finished in another browser, so you were not signed in. Please try again.",
  },
  flow_tampered: {
    title: "Sign-in could not be verified",
    message:
      "The sign-in cookie in this browser was changed or damaged, so you were not signed in. Start again from this page.",
  },
  flow_reused: {
    title: "Sign-in link already used",
    message: "This sign-in was already completed once and cannot be used again. Start a new sign-in from this page.",
  },
  provider_denied: {
    title: "Sign-in cancelled",
    message: "The provider did not authorize the sign-in (it was cancelled or refused there). You can try again.",
  },
  code_rejected: {
    title: "Sign-in refused by the provider",
    message: "The provider did not accept the sign-in code: it was already used or has expired. Please try again.",
  },
  id_token_invalid: {
    title: "Identity could not be verified",
    message:
      "The provider's identity token failed its checks, so you were not signed in. If this keeps happening, ask the hub owner to check the provider configuration.",
  },
  provider_unavailable: {
    title: "Provider unreachable",
    message: "The sign-in provider could not be reached or answered with an error. Try again in a moment.",
  },
  provider_not_configured: {
    title: "Sign-in method not available",
    message: "That sign-in method is not configured on this hub. Use one of the buttons below.",
  },
  provider_misconfigured: {
    title: "Sign-in method misconfigured",
    message:
      "This sign-in method's stored client secret cannot be read (the hub's secret key changed). Ask the hub owner to enter it again.",
  },
  email_missing: {
    title: "No verified email",
    message:
      "Your account at the provider has no verified email address, which this hub needs. Add and verify one there, then try again.",
  },
  email_unverified: {
    title: "Email not verified",
    message:
      "Your email address is not verified at the provider, so it cannot be used here. Verify it there, then try again.",
  },
  invite_only: {
    title: "Invitation needed",
    message: "This hub is invite only and has no account for your email address. Ask the hub owner to invite you.",
  },
  domain_not_allowed: {
    title: "Email domain not allowed",
    message:
      "This hub accepts new accounts only from some email domains, and yours is not one of them. Ask the hub owner.",
  },
  account_disabled: {
    title: "Account disabled",
    message: "Your account on this hub is disabled. Ask the hub owner to enable it.",
  },
} as const;

export type SignInErrorCode = keyof typeof SIGN_IN_ERRORS;

function isSignInErrorCode(code: string | null | undefined): code is SignInErrorCode {
  return typeof code === "string" && Object.hasOwn(SIGN_IN_ERRORS, code);
}

/** The page text for `?error=`; an unknown code still gets a clear, generic message. */
export function describeSignInError(code: string | null): { code: string; title: string; message: string } | null {
  if (!code) return null;
  if (isSignInErrorCode(code)) return { code, ...SIGN_IN_ERRORS[code] };
  return { code: "unknown", title: "Sign-in failed", message: "You were not signed in. Please try again." };
}

/** A refused sign-in. `detail` goes to the audit log only (never to the page, never a secret). */
export class SignInError extends Error {
  override name = "SignInError";
  constructor(
    readonly code: SignInErrorCode,
    readonly detail?: string,
    readonly subject?: { userId?: string; email?: string | null },
  ) {
    super(`Sign-in refused: ${code}${detail ? ` (${detail})` : ""}`);
  }
}
