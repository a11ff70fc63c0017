import { Form, NavLink } from "@remix-run/react";
import { BrandMark } from "./ui/brand";

const LINKS = [
  { to: "/usage", label: "Usage" },
  { to: "/keys", label: "Keys" },
  { to: "/playground", label: "Playground" },
  { to: "/billing", label: "Billing" },
];

export interface NavUser {
  name: string;
  email: string;
  role: "owner" | "admin" | "member";
}

export function AppNav({ user }: { user: NavUser }) {
  const links = user.role === "member" ? LINKS : [...LINKS, { to: "/admin", label: "Admin" }];
  return (
    <header className="border-b border-line bg-surface">
      {/* On a phone the links take a second row of their own (wrapping rather than hiding one off the edge). */}
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-1 px-4 py-2 sm:h-14 sm:flex-nowrap sm:py-0">
        <a href="/usage" className="flex items-center gap-2 text-brand-600">
          <BrandMark className="h-6 w-6" />
          <span className="font-semibold text-ink">AI Hub</span>
        </a>
        <nav
          aria-label="Main"
          className="order-last -mx-2.5 flex w-full flex-wrap items-center gap-0.5 sm:order-none sm:mx-0 sm:w-auto sm:flex-1 sm:gap-1"
        >
          {links.map((l) => (
            <NavLink
              key={l.to}
              to={l.to}
              className={({ isActive }) =>
                `rounded-md px-2.5 py-1.5 text-sm font-medium sm:px-3 ${isActive ? "bg-brand-50 text-brand-700" : "text-ink-muted hover:bg-surface-sunken hover:text-ink"}`
              }
            >
              {l.label}
            </NavLink>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-3 sm:ml-0">
          <AccountMenu user={user} />
          <Form method="post" action="/signout">
            <button type="submit" className="btn-secondary px-3 py-1.5">
              Sign out
            </button>
          </Form>
        </div>
      </div>
    </header>
  );
}

/**
 * Who is signed in, opening a small menu with "Sign out everywhere" (ends this user's sessions in every browser).
 * A native <details> so it works before hydration and needs no script.
 */
function AccountMenu({ user }: { user: NavUser }) {
  return (
    <details className="group relative">
      <summary className="flex cursor-pointer list-none items-center gap-2 rounded-md px-2 py-1 hover:bg-surface-sunken [&::-webkit-details-marker]:hidden">
        <span className="hidden text-right sm:block">
          <span className="block text-sm font-medium leading-tight text-ink">{user.name}</span>
          <span className="block text-xs leading-tight text-ink-faint">
            {user.email} · {user.role}
          </span>
        </span>
        <span className="sm:hidden text-sm font-medium text-ink">Account</span>
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
      <div className="absolute right-0 z-10 mt-2 w-64 rounded-lg border border-line bg-surface p-3 shadow-card">
        <p className="text-xs text-ink-muted">
          Signed in on other devices too? End every session of this account, this browser included.
        </p>
        <Form method="post" action="/signout-everywhere" className="mt-2">
          <button type="submit" className="btn-secondary w-full px-3 py-1.5">
            Sign out everywhere
          </button>
        </Form>
      </div>
    </details>
  );
}
