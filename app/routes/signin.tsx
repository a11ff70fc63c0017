import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { describeSignInError } from "@server/auth/oauth/sign-in-errors";
import { DEFAULT_LANDING, safeNextPath } from "@server/auth/safe-next-path";
import { getSession } from "@server/auth/session.server";
import { getSignInPage } from "@server/auth/sign-in-options.server";
import { CenteredCard } from "~/components/ui/brand";

export const meta: MetaFunction = () => [{ title: "Sign in · AI Hub" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  // Only paths on this hub (server/auth/safe-next-path.ts): anything else would make sign-in an open redirect.
  const next = safeNextPath(params.get("next"), "") || null;
  if (await getSession(request)) throw redirect(next ?? DEFAULT_LANDING);
  return {
    ...(await getSignInPage()),
    next,
    error: describeSignInError(params.get("error")),
    signedOutEverywhere: params.get("signed_out") === "everywhere",
  };
}

// break-all: a long callback URL must wrap rather than widen the card past a phone's screen.
const Code = ({ children }: { children: React.ReactNode }) => (
  <code className="break-all font-mono text-[0.8rem] text-ink">{children}</code>
);

export default function SignIn() {
  const { options, ownerExists, next, error, signedOutEverywhere, callbackBase } = useLoaderData<typeof loader>();
  return (
    <CenteredCard title="Sign in to AI Hub" subtitle="One gateway for every AI provider your team uses.">
      {error ? (
        <div
          role="alert"
          className="mb-4 rounded-lg border border-danger/30 bg-danger-soft p-4 text-sm"
          data-error-code={error.code}
        >
          <p className="font-medium text-danger">{error.title}</p>
          <p className="mt-1 text-ink">{error.message}</p>
        </div>
      ) : null}
      {signedOutEverywhere && !error ? (
        <p role="status" className="mb-4 rounded-lg bg-brand-50 p-3 text-sm text-ink">
          You are signed out on every device.
        </p>
      ) : null}
      {!ownerExists ? (
        <div className="rounded-lg bg-brand-50 p-4 text-sm text-ink">
          <p className="font-medium">This hub has no owner yet.</p>
          <p className="mt-1 text-ink-muted">
            Open the setup link that <code className="font-mono">npm start</code> printed in the terminal, or print a
            new one with <code className="font-mono">npm run hub -- setup-link</code>.
          </p>
        </div>
      ) : null}
      {options.length > 0 ? (
        <div className="mt-4 space-y-3">
          {options.map((o) => (
            <a
              key={o.id}
              href={`/auth/${o.id}${next ? `?next=${encodeURIComponent(next)}` : ""}`}
              className="btn-secondary w-full"
            >
              {o.label}
            </a>
          ))}
        </div>
      ) : (
        <div className="mt-4 rounded-lg border border-line p-4 text-sm text-ink-muted">
          <p className="font-medium text-ink">No sign-in method is configured.</p>
          <p className="mt-1">
            Set <Code>GITHUB_CLIENT_ID</Code> and <Code>GITHUB_CLIENT_SECRET</Code>, <Code>GOOGLE_CLIENT_ID</Code> and{" "}
            <Code>GOOGLE_CLIENT_SECRET</Code>, or <Code>OIDC_ISSUER</Code>, <Code>OIDC_CLIENT_ID</Code> and{" "}
            <Code>OIDC_CLIENT_SECRET</Code>, then restart the hub.
          </p>
          <p className="mt-2">
            Register <Code>{callbackBase}/&lt;github|google|oidc&gt;/callback</Code> as the redirect URI at the
            provider.
          </p>
        </div>
      )}
    </CenteredCard>
  );
}
