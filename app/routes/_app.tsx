import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { requireSession } from "@server/auth/require.server";
import { AppNav } from "~/components/app-nav";

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, setCookie } = await requireSession(request);
  // Sliding expiry: when the session was extended, the browser gets the longer cookie.
  return data(
    { user: { name: user.name, email: user.email, role: user.role } },
    setCookie ? { headers: { "Set-Cookie": setCookie } } : undefined,
  );
}

export default function AppLayout() {
  const { user } = useLoaderData<typeof loader>();
  return (
    <div className="min-h-screen">
      <AppNav user={user} />
      <main className="mx-auto max-w-6xl px-4 py-8">
        <Outlet />
      </main>
    </div>
  );
}
