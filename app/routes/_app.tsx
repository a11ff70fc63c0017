import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData, useLocation } from "@remix-run/react";
import { requireSession } from "@server/auth/require.server";
import { creditWarning } from "@server/billing/billing-page.server";
import { AppNav } from "~/components/app-nav";
import { CreditWarningBar } from "~/components/billing/balance-summary";

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, setCookie } = await requireSession(request);
  // Sliding expiry: when the session was extended, the browser gets the longer cookie.
  return data(
    { user: { name: user.name, email: user.email, role: user.role }, credit: await creditWarning(user) },
    setCookie ? { headers: { "Set-Cookie": setCookie } } : undefined,
  );
}

export default function AppLayout() {
  const { user, credit } = useLoaderData<typeof loader>();
  // The Billing page shows its own, larger banner.
  const onBilling = useLocation().pathname.startsWith("/billing");
  return (
    <div className="min-h-screen">
      <AppNav user={user} />
      {credit && !onBilling ? <CreditWarningBar {...credit} /> : null}
      <main className="mx-auto max-w-7xl px-4 py-8">
        <Outlet />
      </main>
    </div>
  );
}
