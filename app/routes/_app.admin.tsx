import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData, useLocation } from "@remix-run/react";
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

function SectionLinks() {
  return (
    <>
      <NavLink to="/admin" end className={linkClass}>
        Overview
      </NavLink>
      {SECTIONS.map((s) => (
        <NavLink key={s.to} to={s.to} className={linkClass} prefetch="intent">
          {s.label}
        </NavLink>
      ))}
    </>
  );
}

/**
 * On a phone the eleven sections do not fit a row: they fold into a menu naming the current one (a native
 * <details>, so it works before hydration). Keyed by the path, so it closes again after a choice.
 */
function SectionMenu() {
  const { pathname } = useLocation();
  const current = SECTIONS.find((s) => pathname.startsWith(s.to))?.label ?? "Overview";
  return (
    <details key={pathname} className="group card md:hidden">
      <summary className="flex cursor-pointer list-none items-center justify-between px-4 py-2.5 text-sm [&::-webkit-details-marker]:hidden">
        <span>
          <span className="text-ink-faint">Admin · </span>
          <span className="font-medium text-ink">{current}</span>
        </span>
        <svg viewBox="0 0 20 20" className="h-4 w-4 shrink-0 text-ink-faint group-open:rotate-180" aria-hidden="true">
          <path
            d="M5 8l5 5 5-5"
            stroke="currentColor"
            strokeWidth="1.8"
            fill="none"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </svg>
      </summary>
      <nav aria-label="Admin" className="grid grid-cols-2 gap-1 border-t border-line p-2">
        <SectionLinks />
      </nav>
    </details>
  );
}

/** The console's frame: the section list, and the query client the pages load their data with (tRPC). */
export default function Admin() {
  const context = useLoaderData<typeof loader>() satisfies AdminContext;
  return (
    <div className="grid gap-6 md:grid-cols-[11rem_minmax(0,1fr)] md:gap-8">
      <SectionMenu />
      <nav aria-label="Admin" className="hidden space-y-1 md:block">
        <SectionLinks />
      </nav>
      <div className="min-w-0">
        <AdminData>
          <Outlet context={context} />
        </AdminData>
      </div>
    </div>
  );
}
