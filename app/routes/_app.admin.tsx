import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { requireAdmin } from "@server/auth/require.server";
import { AdminData } from "~/components/admin/admin-data";
import type { AdminContext } from "~/components/admin/admin-role";

export const meta: MetaFunction = () => [{ title: "Admin · AI Hub" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdmin(request);
  return { role: user.role as AdminContext["role"], userId: user.id };
}

const SECTIONS = [
  { to: "/admin/providers", label: "Providers" },
  { to: "/admin/models", label: "Models" },
  { to: "/admin/users", label: "Users" },
  { to: "/admin/keys", label: "Keys" },
  { to: "/admin/quotas", label: "Quotas" },
  { to: "/admin/ip-rules", label: "IP rules" },
  { to: "/admin/settings", label: "Settings" },
  { to: "/admin/audit", label: "Audit log" },
  { to: "/admin/usage", label: "Usage" },
  { to: "/admin/billing", label: "Billing" },
];

const linkClass = ({ isActive }: { isActive: boolean }) =>
  `block whitespace-nowrap rounded-md px-3 py-1.5 text-sm ${isActive ? "bg-brand-50 font-medium text-brand-700" : "text-ink-muted hover:bg-surface-sunken hover:text-ink"}`;

/** The console's frame: the section list, and the query client the pages load their data with (tRPC). */
export default function Admin() {
  const context = useLoaderData<typeof loader>() satisfies AdminContext;
  return (
    <div className="grid gap-6 md:grid-cols-[11rem_minmax(0,1fr)] md:gap-8">
      <nav aria-label="Admin" className="flex gap-1 overflow-x-auto md:block md:space-y-1">
        <NavLink to="/admin" end className={linkClass}>
          Overview
        </NavLink>
        {SECTIONS.map((s) => (
          <NavLink key={s.to} to={s.to} className={linkClass} prefetch="intent">
            {s.label}
          </NavLink>
        ))}
      </nav>
      <div className="min-w-0">
        <AdminData>
          <Outlet context={context} />
        </AdminData>
      </div>
    </div>
  );
}
